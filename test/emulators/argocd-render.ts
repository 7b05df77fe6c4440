/** Renders an ApplicationSet template with goTemplate-style `{{.a.b}}` parameters, the subset Plinth's uses. */
export function render(node: unknown, params: Record<string, unknown>): unknown {
  if (typeof node === 'string') {
    return node.replace(/\{\{\s*\.([\w.]+)\s*\}\}/g, (_, key: string) => {
      const value = key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], params);
      // goTemplateOptions: missingkey=error
      if (value === undefined) throw new Error(`template: map has no entry for key "${key}"`);
      return String(value);
    });
  }
  if (Array.isArray(node)) return node.map((n) => render(n, params));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, render(v, params)]));
  return node;
}
