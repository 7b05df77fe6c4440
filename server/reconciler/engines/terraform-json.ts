/**
 * Terraform's and OpenTofu's machine-readable UI (`-json`): one JSON object per line. This turns lines into
 * what Plinth shows (per-resource progress), what it decides on (diagnostics → retry or stop) and what it must
 * never show (outputs). The format's rules: ignore unknown fields, present unknown message types by their
 * `@message`, reject an unsupported major UI version — and, in practice, tolerate lines that are not JSON at all.
 */
import { TerminalError, TransientError } from './types';

export type Diagnostic = { severity: 'error' | 'warning'; summary: string; detail: string; address?: string; filename?: string };

export type UiLine =
  | { kind: 'version'; tool: 'terraform' | 'tofu'; version: string; ui: string }
  | { kind: 'diagnostic'; diagnostic: Diagnostic }
  | { kind: 'progress'; message: string; address: string; type: string }
  | { kind: 'summary'; message: string; operation: string; add: number; change: number; remove: number }
  | { kind: 'drift'; message: string; address: string }
  | { kind: 'outputs'; changed: boolean }
  | { kind: 'log'; message: string };

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Hook messages that are per-resource progress a customer can follow. */
const PROGRESS = new Set(['apply_start', 'apply_progress', 'apply_complete', 'apply_errored', 'provision_errored']);

export function parseUiLine(raw: string): UiLine | null {
  const line = raw.trim();
  if (line === '') return null;
  let m: Record<string, unknown>;
  try {
    m = obj(JSON.parse(line));
  } catch {
    // Not JSON (colour codes, a provider's stray print): keep it as plain log text.
    return { kind: 'log', message: stripAnsi(line) };
  }
  const type = str(m.type);
  const message = str(m['@message']);
  if (type === 'version') {
    const tool = typeof m.tofu === 'string' ? 'tofu' : 'terraform';
    const ui = str(m.ui);
    if (ui && !ui.startsWith('1.')) {
      throw new TerminalError(`${tool} speaks machine-readable UI version ${ui}; Plinth understands 1.x. Use Terraform 1.5+ or OpenTofu 1.6+ (TERRAFORM_BIN).`);
    }
    return { kind: 'version', tool, version: str(m[tool]), ui };
  }
  if (type === 'diagnostic') {
    const d = obj(m.diagnostic);
    const range = obj(d.range);
    return {
      kind: 'diagnostic',
      diagnostic: {
        severity: d.severity === 'warning' ? 'warning' : 'error',
        summary: str(d.summary) || message,
        detail: str(d.detail),
        ...(d.address ? { address: str(d.address) } : {}),
        ...(range.filename ? { filename: str(range.filename) } : {}),
      },
    };
  }
  if (PROGRESS.has(type)) {
    const hook = obj(m.hook);
    return { kind: 'progress', message, address: str(obj(hook.resource).addr), type };
  }
  if (type === 'change_summary') {
    const c = obj(m.changes);
    return { kind: 'summary', message, operation: str(c.operation), add: num(c.add), change: num(c.change), remove: num(c.remove) };
  }
  if (type === 'resource_drift') return { kind: 'drift', message, address: str(obj(obj(m.change).resource).addr) };
  // Output values never leave this parser: sensitive ones are plain text in `output -json` and may be here too.
  if (type === 'outputs') {
    // Planned outputs carry an action; an output-only change still needs an apply to be recorded.
    const changed = Object.values(obj(m.outputs)).some((o) => typeof obj(o).action === 'string' && obj(o).action !== 'noop');
    return { kind: 'outputs', changed };
  }
  return { kind: 'log', message };
}

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** `terraform version` prints `Terraform v1.11.4` or `OpenTofu v1.10.2` first; anything else is not a binary we can drive. */
export function parseVersionText(text: string): { tool: 'terraform' | 'tofu'; version: string } | null {
  const m = /^(Terraform|OpenTofu) v(\d+\.\d+\.\d+\S*)/m.exec(stripAnsi(text));
  if (!m) return null;
  return { tool: m[1] === 'OpenTofu' ? 'tofu' : 'terraform', version: m[2]! };
}

export const LOCK_SUMMARY = 'Error acquiring the state lock';
export const isLockError = (d: Diagnostic) => d.summary.includes(LOCK_SUMMARY) || /already locked/i.test(d.detail);

/**
 * Diagnostics a retry cannot fix: the configuration, the module or the credentials are wrong. Everything else
 * (cloud API hiccups, throttling, a stale plan, an interrupted run) is worth retrying with backoff.
 */
const CONFIG_ERRORS = [
  /^Unsupported (argument|attribute|block type)/,
  /^Missing required argument/,
  /^Reference to undeclared/,
  /^(No value for required|Value for undeclared) variable/,
  /^Invalid (value for (input )?variable|reference|expression|function argument|template|for_each|count|provider configuration|module source)/,
  /^Module not installed/,
  /^Unreadable module directory/,
  /^Failed to (read|install|query|download) (module|available provider)/,
  /^Duplicate /,
  /^(Unsuitable|Incorrect) (value|attribute value) type/,
  /^Call to unknown function/,
  /^Error in function call/,
  /^Backend initialization required/,
  /^Inconsistent dependency lock file/,
  /^Unsupported Terraform Core version/,
  // HCL syntax: the module's files do not parse.
  /^(Unclosed configuration block|Missing newline after argument|Invalid block definition|Argument or block definition required|Invalid character|Invalid multi-line string|Unterminated template string|Missing (item|attribute|key\/value) separator|Missing expression|Extraneous JSON object property|Invalid JSON keyword|Invalid single-argument block definition|Attribute redefined|Unsupported operator|Invalid quoted type constraints|Invalid escape sequence)/,
  // The pg backend's connection: wrong sslmode, credentials or grants need PG_CONN_STR or the role fixed, not a retry.
  /SSL is not enabled on the server|password authentication failed|no pg_hba\.conf entry|permission denied for|must be owner of|role ".*" does not exist|database ".*" does not exist/,
];
const AUTH_ERRORS = /AccessDenied|UnauthorizedOperation|InvalidClientTokenId|not authorized to perform|AssumeRole|Forbidden|Unauthorized/i;
const TRANSIENT = /timeout|timed out|throttl|rate exceeded|too many requests|connection (refused|reset)|temporarily unavailable|try again|Saved plan is stale|execution halted|interrupt/i;

export function classify(errors: Diagnostic[]): 'terminal' | 'transient' {
  if (errors.some(isLockError)) return 'transient';
  if (errors.some((d) => TRANSIENT.test(d.summary) || TRANSIENT.test(d.detail))) return 'transient';
  if (errors.some((d) => CONFIG_ERRORS.some((r) => r.test(d.summary)) || AUTH_ERRORS.test(`${d.summary} ${d.detail}`))) return 'terminal';
  return 'transient';
}

/** One readable message from the error diagnostics: summary, where, and the first line of the detail. */
export function describeDiagnostics(command: string, errors: Diagnostic[]): string {
  const parts = errors.map((d) => {
    const where = d.address ?? d.filename;
    const detail = d.detail.split('\n').find((l) => l.trim() !== '')?.trim();
    return `${d.summary}${where ? ` (${where})` : ''}${detail ? `: ${detail}` : ''}`;
  });
  return `terraform ${command} failed: ${[...new Set(parts)].join('; ')}`;
}

export function diagnosticsError(command: string, errors: Diagnostic[], fallback: string): Error {
  const message = errors.length > 0 ? describeDiagnostics(command, errors) : `terraform ${command} failed: ${fallback || 'no diagnostics'}`;
  return classify(errors) === 'terminal' ? new TerminalError(message) : new TransientError(message);
}

/** Runs `fn` on a line of a finished run's stdout (unsupported UI versions were reported by the run itself). */
export function watchLine(raw: string, fn: (line: UiLine) => unknown) {
  try {
    const line = parseUiLine(raw);
    if (line) fn(line);
  } catch {
    // An unsupported UI version was already reported by the run itself.
  }
}

/** What a customer sees live: per-resource progress, plan/apply summaries, drift and warnings. */
export function progressMessage(line: UiLine): string | null {
  switch (line.kind) {
    case 'progress':
    case 'summary':
    case 'drift':
      return line.message;
    case 'diagnostic':
      return line.diagnostic.severity === 'warning' ? `Warning: ${line.diagnostic.summary}` : null;
    default:
      return null;
  }
}

/**
 * Commands without -json (init, workspace) report errors as text: `Error: <summary>`, then (for configuration
 * errors) `on <file> line <n>:` and a source snippet, then the explanation. Some end right after the summary:
 * `Error: pq: SSL is not enabled on the server` as the last line of the output. Lines before the first error
 * ("Initializing the backend...", warnings) are not the error.
 */
export function textDiagnostics(text: string): Diagnostic[] {
  const clean = text.replace(/\x1b\[[0-9;]*m/g, '').replace(/^[│╷╵]\s?/gm, '');
  const out: Diagnostic[] = [];
  const re = /(?:^|\n)Error: (.+)(?:\n|$)([\s\S]*?)(?=\nError: |$)/g;
  for (let m = re.exec(clean); m; m = re.exec(clean)) {
    const lines = m[2]!.split('\n');
    const on = lines.map((l) => /^\s*on (.+ line \d+)/.exec(l)?.[1]).find(Boolean);
    // The explanation is what follows the snippet (indented `  1: code` lines) — or everything, without one.
    const rest = lines.filter((l) => !/^\s*on .+ line \d+/.test(l) && !/^\s+\d+: /.test(l) && !/^\s+├|^\s+│/.test(l));
    out.push({ severity: 'error', summary: m[1]!.trim(), detail: rest.join('\n').trim(), ...(on ? { filename: on } : {}) });
  }
  if (out.length > 0) return out;
  const last = clean.trim().split('\n').filter((l) => l.trim() !== '').at(-1);
  return last ? [{ severity: 'error', summary: last.trim(), detail: clean.trim() }] : [];
}
