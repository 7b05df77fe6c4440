/**
 * The JSON UI stream, line for line as Terraform 1.11 prints it (see ../recorded/ for real captures):
 * `@level`, `@message`, `@module`, `@timestamp`, `type`, and the type's own fields.
 */
import { flavor } from './control.mjs';

// Terraform prints colour codes only without -no-color (Plinth always passes it to text commands).
const noColor = process.argv.includes('-no-color');
const moduleName = () => (flavor().tool === 'tofu' ? 'tofu.ui' : 'terraform.ui');
const ts = () => new Date().toISOString().replace('Z', '000Z').replace(/\.(\d{6})\d*Z$/, '.$1Z');

export function emit(type, message, fields = {}, level = 'info') {
  process.stdout.write(`${JSON.stringify({ '@level': level, '@message': message, '@module': moduleName(), '@timestamp': ts(), ...fields, type })}\n`);
}

export function version() {
  const f = flavor();
  const name = f.tool === 'tofu' ? 'OpenTofu' : 'Terraform';
  emit('version', `${name} ${f.version}`, { [f.tool]: f.version, ui: f.ui });
}

/** The resource object inside `change` and `hook`. */
export function resource(addr) {
  const parts = addr.split('.');
  const name = parts.pop();
  const type = parts.pop();
  const module = parts.join('.');
  return { addr, module, resource: `${type}.${name}`, implied_provider: type.split('_')[0], resource_type: type, resource_name: name, resource_key: null };
}

const verbs = {
  create: ['Creating...', 'Creation complete', 'Still creating...', 'Creation errored'],
  update: ['Modifying...', 'Modifications complete', 'Still modifying...', 'Modifications errored'],
  delete: ['Destroying...', 'Destruction complete', 'Still destroying...', 'Destruction errored'],
};

export const planned = (addr, action, reason) =>
  emit('planned_change', `${addr}: Plan to ${action}`, { change: { resource: resource(addr), action, ...(reason ? { reason } : {}) } });

export const drift = (addr) =>
  emit('resource_drift', `${addr}: Drift detected (update)`, { change: { resource: resource(addr), action: 'update' } });

export function refresh(addr, id) {
  emit('refresh_start', `${addr}: Refreshing state... [id=${id}]`, { hook: { resource: resource(addr), id_key: 'id', id_value: id } });
  emit('refresh_complete', `${addr}: Refresh complete [id=${id}]`, { hook: { resource: resource(addr), id_key: 'id', id_value: id } });
}

export function applyStart(addr, action, id) {
  const idPart = action === 'create' ? '' : ` [id=${id}]`;
  emit('apply_start', `${addr}: ${verbs[action][0]}${idPart}`, { hook: { resource: resource(addr), action, ...(action === 'create' ? {} : { id_key: 'id', id_value: id }) } });
}

// elapsed_seconds is a whole number of seconds in Terraform's JSON UI.
export const applyProgress = (addr, action, elapsed) =>
  emit('apply_progress', `${addr}: ${verbs[action][2]} [${Math.round(elapsed)}s elapsed]`, { hook: { resource: resource(addr), action, elapsed_seconds: Math.round(elapsed) } });

export function applyComplete(addr, action, id, elapsed) {
  const idPart = action === 'delete' ? '' : ` [id=${id}]`;
  const ids = action === 'delete' ? {} : { id_key: 'id', id_value: id };
  emit('apply_complete', `${addr}: ${verbs[action][1]} after ${Math.round(elapsed)}s${idPart}`, { hook: { resource: resource(addr), action, ...ids, elapsed_seconds: Math.round(elapsed) } });
}

export const applyErrored = (addr, action, elapsed) =>
  emit('apply_errored', `${addr}: ${verbs[action][3]} after ${Math.round(elapsed)}s`, { hook: { resource: resource(addr), action, elapsed_seconds: Math.round(elapsed) } });

export function diagnostic(summary, detail = '', extra = {}) {
  emit('diagnostic', `Error: ${summary}`, { diagnostic: { severity: 'error', summary, detail, ...extra } }, 'error');
}

export function summary(add, change, remove, operation) {
  const message =
    operation === 'apply'
      ? `Apply complete! Resources: ${add} added, ${change} changed, ${remove} destroyed.`
      : `Plan: ${add} to add, ${change} to change, ${remove} to destroy.`;
  emit('change_summary', message, { changes: { add, change, import: 0, remove, operation } });
}

export const outputs = (outs) => emit('outputs', `Outputs: ${Object.keys(outs).length}`, { outputs: outs });
export const log = (message) => emit('log', message);

/** A config diagnostic points into the file, like Terraform's own. */
export const configRange = (filename = 'main.tf.json') => ({ range: { filename, start: { line: 1, column: 1, byte: 0 }, end: { line: 1, column: 2, byte: 1 } } });

/** What the human-readable (non -json) commands print: coloured text, not JSON. */
export function text(s, colour = 32) {
  process.stdout.write(noColor ? `${s}\n` : `\x1b[0m\x1b[${colour}m${s}\x1b[0m\n`);
}
export function textError(summary, detail = '') {
  // As recorded from Terraform 1.11 with -no-color (../recorded/init-*.txt): a blank line, the error, its detail.
  if (noColor) return void process.stderr.write(`\nError: ${summary}\n${detail ? `\n${detail}\n` : ''}\n`);
  process.stderr.write(`\x1b[31m╷\x1b[0m\x1b[0m\n\x1b[31m│\x1b[0m \x1b[0m\x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1m${summary}\x1b[0m\n${detail ? `\x1b[31m│\x1b[0m \x1b[0m\n\x1b[31m│\x1b[0m \x1b[0m${detail}\n` : ''}\x1b[31m╵\x1b[0m\x1b[0m\n`);
}
