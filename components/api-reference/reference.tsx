/**
 * The REST API reference, rendered on the server from the generated OpenAPI document (no CDN, no client
 * JavaScript): each operation with its parameters, body and answers, then every schema it refers to.
 */
import { Card } from '~/components/ui/card';

type Schema = { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; description?: string; enum?: unknown[]; items?: Schema; anyOf?: Schema[]; format?: string; default?: unknown };
type Param = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = { operationId: string; summary?: string; description?: string; tags?: string[]; parameters?: Param[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }> };
export type Doc = { info: { title: string; description?: string; version: string }; paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

const refName = (s?: Schema) => s?.$ref?.split('/').pop();

function typeOf(s?: Schema): string {
  if (!s) return 'any';
  if (s.$ref) return refName(s)!;
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  const t = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'object');
  return s.format ? `${t} (${s.format})` : t;
}

const methodTone: Record<string, string> = {
  get: 'bg-sky-50 text-sky-800 ring-sky-200',
  post: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  patch: 'bg-amber-50 text-amber-800 ring-amber-200',
  delete: 'bg-red-50 text-red-700 ring-red-200',
};

function Properties({ schema }: { schema: Schema }) {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return <p className="text-xs text-slate-500">{typeOf(schema)}</p>;
  return (
    <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1 text-xs">
      {props.map(([name, p]) => (
        <div key={name} className="contents">
          <dt className="font-mono text-slate-800">
            {name}
            {schema.required?.includes(name) ? '' : '?'}
          </dt>
          <dd className="text-slate-600">
            <span className="font-mono">{typeOf(p)}</span>
            {p.description && ` — ${p.description}`}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function ApiReference({ doc }: { doc: Doc }) {
  const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  const tags = [...new Set(ops.map((o) => o.op.tags?.[0] ?? 'Other'))];
  const schemas = doc.components?.schemas ?? {};
  return (
    <div className="space-y-8">
      <Card className="p-6 text-sm text-slate-700">
        <p>{doc.info.description}</p>
        <p className="mt-2">
          Base URL <span className="font-mono">/api/v1</span> · version {doc.info.version} · machine-readable:{' '}
          <a className="text-indigo-700 underline" href="/api/v1/openapi.json">
            openapi.json
          </a>
        </p>
      </Card>
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`} className="mb-3 text-lg font-semibold text-slate-900">
            {tag}
          </h2>
          <div className="space-y-4">
            {ops
              .filter((o) => (o.op.tags?.[0] ?? 'Other') === tag)
              .map(({ path, method, op }) => {
                const body = op.requestBody?.content['application/json']?.schema;
                return (
                  <Card key={op.operationId} className="p-5">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ring-1 ring-inset ${methodTone[method] ?? ''}`}>{method}</span>
                      <span className="font-mono text-sm break-all text-slate-900">{path}</span>
                    </div>
                    <p className="mt-2 text-sm font-medium text-slate-900">{op.summary}</p>
                    {op.description && <p className="mt-1 text-sm text-slate-600">{op.description}</p>}
                    {op.parameters && op.parameters.length > 0 && (
                      <div className="mt-3">
                        <h3 className="text-xs font-semibold text-slate-500 uppercase">Parameters</h3>
                        <dl className="mt-1 grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1 text-xs">
                          {op.parameters.map((p) => (
                            <div key={`${p.in}-${p.name}`} className="contents">
                              <dt className="font-mono text-slate-800">
                                {p.name}
                                {p.required ? '' : '?'} <span className="text-slate-400">({p.in})</span>
                              </dt>
                              <dd className="text-slate-600">
                                <span className="font-mono">{typeOf(p.schema)}</span>
                                {p.description && ` — ${p.description}`}
                              </dd>
                            </div>
                          ))}
                        </dl>
                      </div>
                    )}
                    {body && (
                      <div className="mt-3">
                        <h3 className="text-xs font-semibold text-slate-500 uppercase">Body {refName(body) && <span className="font-mono normal-case">{refName(body)}</span>}</h3>
                        <div className="mt-1">
                          <Properties schema={body.$ref ? (schemas[refName(body)!] ?? body) : body} />
                        </div>
                      </div>
                    )}
                    <div className="mt-3">
                      <h3 className="text-xs font-semibold text-slate-500 uppercase">Answers</h3>
                      <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
                        {Object.entries(op.responses).map(([status, r]) => (
                          <li key={status}>
                            <span className="font-mono font-semibold text-slate-800">{status}</span>{' '}
                            <span className="font-mono">{typeOf(r.content?.['application/json']?.schema)}</span> — {r.description}
                          </li>
                        ))}
                      </ul>
                    </div>
                  </Card>
                );
              })}
          </div>
        </section>
      ))}
      <section aria-labelledby="schemas">
        <h2 id="schemas" className="mb-3 text-lg font-semibold text-slate-900">
          Schemas
        </h2>
        <div className="grid gap-4 lg:grid-cols-2">
          {Object.entries(schemas).map(([name, schema]) => (
            <Card key={name} className="p-5">
              <h3 className="font-mono text-sm font-semibold text-slate-900">{name}</h3>
              {schema.description && <p className="mt-1 text-xs text-slate-600">{schema.description}</p>}
              <div className="mt-2">
                <Properties schema={schema} />
              </div>
            </Card>
          ))}
        </div>
      </section>
    </div>
  );
}
