'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/components/providers';
import { Badge, Card, Section } from '~/components/ui/card';
import { Button } from '~/components/ui/button';
import { Field, Input, Select } from '~/components/ui/field';
import { Table } from '~/components/ui/table';
import { useToast } from '~/components/ui/toast';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { SEVERITIES, VERSION_STATUSES } from '~/lib/inputs/fleet';

const tone = { preview: 'indigo', available: 'emerald', deprecated: 'amber', retired: 'slate' } as const;

/** Versions and upgrade paths (internal console). Admins publish, move status forward, add and remove paths. */
export function VersionsPage({ admin }: { admin: boolean }) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.staff.fleet.versions.queryOptions());
  const done = (msg: string) => ({ onSuccess: () => (toast('success', msg), queryClient.invalidateQueries({ queryKey: trpc.staff.fleet.versions.queryKey() })) });
  const publish = useMutation(trpc.staff.fleet.publishVersion.mutationOptions(done('Version published.')));
  const status = useMutation(trpc.staff.fleet.setVersionStatus.mutationOptions({ ...done('Status changed.'), onError: (e) => toast('error', errorMessage(e)) }));
  const addPath = useMutation(trpc.staff.fleet.addPath.mutationOptions(done('Upgrade path added.')));
  const removePath = useMutation(trpc.staff.fleet.removePath.mutationOptions({ ...done('Upgrade path removed.'), onError: (e) => toast('error', errorMessage(e)) }));
  const pe = fieldErrors(publish.error);
  const ae = fieldErrors(addPath.error);
  const versions = q.data ?? [];

  return (
    <div className="space-y-6">
      <Card>
        <Table columns={[{ label: 'Version' }, { label: 'Status' }, { label: 'Severity' }, { label: 'Deployments' }, { label: 'Upgrades to' }, { label: 'Module / chart', className: 'hidden md:table-cell' }]}>
          {versions.map((v) => {
            const next = VERSION_STATUSES[VERSION_STATUSES.indexOf(v.status) + 1];
            return (
              <tr key={v.id} data-testid={`version-${v.version}`}>
                <td className="px-6 py-3 font-medium text-slate-900">{v.version}</td>
                <td className="px-6 py-3">
                  <Badge tone={tone[v.status]}>{v.status}</Badge>
                  {admin && next && (
                    <Button size="sm" variant="ghost" className="ml-2" pending={status.isPending} onClick={() => window.confirm(`Move ${v.version} to ${next}?`) && status.mutate({ version: v.version, status: next })}>
                      → {next}
                    </Button>
                  )}
                </td>
                <td className="px-6 py-3">{v.severity}</td>
                <td className="px-6 py-3">{v.deployments}</td>
                <td className="px-6 py-3">
                  {v.upgradesTo.map((to) => (
                    <span key={to} className="mr-2 inline-flex items-center gap-1">
                      {to}
                      {admin && (
                        <button type="button" aria-label={`Remove path ${v.version} to ${to}`} className="text-xs text-red-700" onClick={() => window.confirm(`Remove the path ${v.version} → ${to}?`) && removePath.mutate({ fromVersion: v.version, toVersion: to })}>
                          ×
                        </button>
                      )}
                    </span>
                  ))}
                </td>
                <td className="hidden px-6 py-3 font-mono text-xs md:table-cell">
                  {v.moduleRef} / {v.chartVersion}
                </td>
              </tr>
            );
          })}
        </Table>
      </Card>
      {admin && (
        <div className="grid gap-6 lg:grid-cols-2">
          <Section title="Publish a version">
            <form
              noValidate
              className="space-y-3 p-6"
              onSubmit={(e) => {
                e.preventDefault();
                const f = new FormData(e.currentTarget);
                publish.mutate({
                  version: String(f.get('version') ?? ''),
                  moduleRef: String(f.get('moduleRef') ?? ''),
                  chartVersion: String(f.get('chartVersion') ?? ''),
                  notes: String(f.get('notes') ?? ''),
                  severity: String(f.get('severity')) as (typeof SEVERITIES)[number],
                  status: String(f.get('status')) as 'preview' | 'available',
                });
              }}
            >
              <Field id="pv-version" label="Version" error={pe.version}><Input id="pv-version" name="version" placeholder="7.4.2" invalid={!!pe.version} /></Field>
              <Field id="pv-module" label="Terraform module ref" error={pe.moduleRef}><Input id="pv-module" name="moduleRef" placeholder="redis-7.4.2" invalid={!!pe.moduleRef} /></Field>
              <Field id="pv-chart" label="Helm chart version" error={pe.chartVersion}><Input id="pv-chart" name="chartVersion" placeholder="20.3.1" invalid={!!pe.chartVersion} /></Field>
              <Field id="pv-notes" label="Release notes" error={pe.notes}><Input id="pv-notes" name="notes" /></Field>
              <div className="grid grid-cols-2 gap-3">
                <Field id="pv-severity" label="Severity"><Select id="pv-severity" name="severity">{SEVERITIES.map((s) => <option key={s}>{s}</option>)}</Select></Field>
                <Field id="pv-status" label="Status"><Select id="pv-status" name="status"><option>preview</option><option>available</option></Select></Field>
              </div>
              {publish.error && !Object.keys(pe).length && <p className="text-sm text-red-700">{errorMessage(publish.error)}</p>}
              <Button type="submit" pending={publish.isPending}>Publish</Button>
            </form>
          </Section>
          <Section title="Add an upgrade path">
            <form
              noValidate
              className="space-y-3 p-6"
              onSubmit={(e) => {
                e.preventDefault();
                const f = new FormData(e.currentTarget);
                addPath.mutate({ fromVersion: String(f.get('fromVersion') ?? ''), toVersion: String(f.get('toVersion') ?? '') });
              }}
            >
              <Field id="path-from" label="From" error={ae.fromVersion}><Select id="path-from" name="fromVersion">{versions.map((v) => <option key={v.id}>{v.version}</option>)}</Select></Field>
              <Field id="path-to" label="To" error={ae.toVersion}><Select id="path-to" name="toVersion">{versions.map((v) => <option key={v.id}>{v.version}</option>)}</Select></Field>
              <Button type="submit" pending={addPath.isPending}>Add path</Button>
            </form>
          </Section>
        </div>
      )}
    </div>
  );
}
