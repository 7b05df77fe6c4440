/**
 * Readable drift from `terraform show -json <plan>`: one line per resource, with the attributes that differ as
 * "attribute applied → found" (what Plinth applied, then what is there now), so the customer and staff read
 * what changed rather than a bare "drift detected".
 */
type Change = { address?: string; action_reason?: string; change?: { actions?: string[]; before?: unknown; after?: unknown } };

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null));

/** Leaf attributes that differ between two values, as dotted paths (nested objects one level at a time). */
function differences(applied: unknown, found: unknown, at = ''): string[] {
  if (JSON.stringify(applied) === JSON.stringify(found)) return [];
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObj(applied) && isObj(found)) {
    return [...new Set([...Object.keys(applied), ...Object.keys(found)])].flatMap((k) => differences(applied[k], found[k], at ? `${at}.${k}` : k));
  }
  return [`${at || 'value'} ${show(applied)} → ${show(found)}`];
}

/**
 * Drift lines of a shown plan. `resource_drift` (refresh-only: state = applied, before → after = applied → found);
 * `resource_changes` (normal plan: after = the configuration Plinth applies, before = the edited or tainted state).
 */
export function describeShownPlan(json: string): string[] {
  let doc: { resource_drift?: Change[]; resource_changes?: Change[] };
  try {
    doc = JSON.parse(json);
  } catch {
    return [];
  }
  const lines: string[] = [];
  for (const c of doc.resource_drift ?? []) {
    const attrs = differences(c.change?.before, c.change?.after);
    lines.push(`${c.address}: ${c.change?.after === null ? 'deleted outside Terraform' : attrs.join(', ') || 'changed outside Terraform'}`);
  }
  for (const c of doc.resource_changes ?? []) {
    const actions = c.change?.actions ?? [];
    if (actions.length === 0 || actions.every((a) => a === 'no-op' || a === 'read')) continue;
    if (c.action_reason === 'replace_because_tainted') lines.push(`${c.address}: tainted, will be replaced`);
    else if (actions.length === 1 && actions[0] === 'create') lines.push(`${c.address}: missing, will be created`);
    else if (actions.length === 1 && actions[0] === 'delete') lines.push(`${c.address}: not in the configuration, will be destroyed`);
    else lines.push(`${c.address}: ${differences(c.change?.after, c.change?.before).join(', ') || actions.join('/')}`);
  }
  return lines;
}
