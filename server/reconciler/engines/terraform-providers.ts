/**
 * What a module says about its providers: the `required_providers` entries of its .tf files (local name →
 * source, version constraint, configuration aliases). The generated root repeats exactly these, so it declares
 * every provider it configures or passes (no "Reference to undefined provider" warnings in a customer's
 * timeline) and none the module does not use (no provider installed or configured for nothing).
 *
 * A small scanner, not an HCL parser: it reads the `terraform { required_providers { … } }` block, which is
 * plain attribute syntax in every module we know of (`name = { source = "…", version = "…" }`, one per line
 * or inline). Anything it cannot read is a configuration error that names the file.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { TerminalError } from './types';

export type ProviderRequirement = { source: string; version?: string; aliases: string[] };

/** The text between the brace at `open` and its match, skipping strings and comments. */
function block(text: string, open: number): string | null {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return null;
}

export function parseRequiredProviders(text: string, file = 'versions.tf'): Record<string, ProviderRequirement> {
  const out: Record<string, ProviderRequirement> = {};
  for (const m of text.matchAll(/\brequired_providers\s*\{/g)) {
    const body = block(text, m.index + m[0].length - 1);
    if (body === null) throw new TerminalError(`${file}: unbalanced braces in required_providers.`);
    for (const entry of body.matchAll(/(?:^|\n)\s*([A-Za-z][\w-]*)\s*=\s*\{/g)) {
      const inner = block(body, entry.index + entry[0].length - 1);
      if (inner === null) throw new TerminalError(`${file}: unbalanced braces in required_providers.${entry[1]}.`);
      const source = /\bsource\s*=\s*"([^"]+)"/.exec(inner)?.[1];
      if (!source) throw new TerminalError(`${file}: required_providers.${entry[1]} has no source; add source = "hashicorp/${entry[1]}".`);
      const version = /\bversion\s*=\s*"([^"]+)"/.exec(inner)?.[1];
      const aliases = [.../\bconfiguration_aliases\s*=\s*\[([^\]]*)\]/.exec(inner)?.[1]?.matchAll(/[\w-]+\.([\w-]+)/g) ?? []].map((a) => a[1]!);
      out[entry[1]!] = { source, ...(version ? { version } : {}), aliases };
    }
  }
  return out;
}

/** The providers a module directory requires (its own .tf files; submodules are the module's business). */
export async function moduleProviders(dir: string): Promise<Record<string, ProviderRequirement>> {
  const out: Record<string, ProviderRequirement> = {};
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort()) {
    Object.assign(out, parseRequiredProviders(await readFile(path.join(dir, file), 'utf8'), path.join(path.basename(dir), file)));
  }
  return out;
}
