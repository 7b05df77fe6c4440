/**
 * What `init` learns from the configuration: the root `main.tf.json` and, for each module call with a local
 * source, the module's variables, outputs and resources (parsed with HashiCorp's HCL parser compiled to WASM).
 * Cached in `.terraform/emulator-modules.json`, as real init caches modules in `.terraform/modules`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const varRefs = (value) => [...new Set([...JSON.stringify(value).matchAll(/var\.([A-Za-z0-9_]+)/g)].map((m) => m[1]))];

async function parseDir(dir) {
  // Loaded here, not at the top: the WASM parser costs ~150 ms, and only init needs it.
  const { default: hcl } = await import('@cdktn/hcl2json');
  const merged = { variable: {}, output: {}, resource: {}, module: {} };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()) {
    const doc = await hcl.parse(file, readFileSync(path.join(dir, file), 'utf8'));
    for (const key of Object.keys(merged)) Object.assign(merged[key], doc[key] ?? {});
  }
  return merged;
}

/** Resources of a module (and of its local submodules), each with the input variables it depends on. */
async function loadModule(dir, prefix, inheritedVars) {
  const doc = await parseDir(dir);
  const resources = [];
  for (const [type, byName] of Object.entries(doc.resource)) {
    for (const [name, [body]] of Object.entries(byName)) {
      // Arguments that force a new resource when they change (terraform_data's triggers_replace).
      const replaceVars = inheritedVars ? [] : varRefs(body.triggers_replace ?? []);
      resources.push({ address: `${prefix}${type}.${name}`, type, vars: inheritedVars ?? varRefs(body), replaceVars });
    }
  }
  for (const [name, [call]] of Object.entries(doc.module)) {
    if (typeof call.source !== 'string' || !call.source.startsWith('.')) continue; // registry modules are not emulated
    const sub = await loadModule(path.resolve(dir, call.source), `${prefix}module.${name}.`, varRefs(call));
    resources.push(...sub.resources);
  }
  const variables = Object.fromEntries(Object.entries(doc.variable).map(([n, [v]]) => [n, { required: !('default' in (v ?? {})) }]));
  const outputs = Object.fromEntries(Object.entries(doc.output).map(([n, [v]]) => [n, { sensitive: v?.sensitive === true }]));
  return { variables, outputs, resources };
}

export const META_ARGS = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

/** Every .tf file under the directory, for the parse cache key. */
function fingerprint(dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.tf')) hash.update(path.join(d, e.name)).update(readFileSync(path.join(d, e.name)));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

export async function initModules(cwd) {
  const root = JSON.parse(readFileSync(path.join(cwd, 'main.tf.json'), 'utf8'));
  const modules = {};
  for (const [name, call] of Object.entries(root.module ?? {})) {
    const dir = path.resolve(cwd, call.source);
    if (!existsSync(dir)) {
      const err = new Error('Unreadable module directory');
      err.detail = `Unable to evaluate directory symlink: lstat ${call.source}: no such file or directory`;
      throw err;
    }
    // Real init reads local modules in a blink; the WASM parser does not. Parse each version of the modules once.
    const cacheFile = path.join(tmpdir(), 'plinth-tf-emulator-cache', `${fingerprint(path.dirname(dir))}-${path.basename(dir)}.json`);
    let parsed;
    if (existsSync(cacheFile)) parsed = JSON.parse(readFileSync(cacheFile, 'utf8'));
    else {
      parsed = await loadModule(dir, `module.${name}.`, null);
      mkdirSync(path.dirname(cacheFile), { recursive: true });
      writeFileSync(`${cacheFile}.${process.pid}`, JSON.stringify(parsed));
      renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    }
    modules[name] = { source: call.source, ...parsed };
  }
  return modules;
}
