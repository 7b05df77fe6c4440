'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTransition } from 'react';
import { Button } from '~/components/ui/button';
import { Input, Select } from '~/components/ui/field';

const sorts = [
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
  ['name', 'Name'],
  ['revenue', 'Plan revenue'],
  ['credit', 'Credit balance'],
] as const;

/**
 * The filters live in the URL, so a search can be shared with a colleague and the back button works. A plain GET
 * form underneath: it works before hydration too; with JS, selects apply at once and the search on Enter.
 */
export function TenantFilters({ plans }: { plans: Array<{ slug: string; name: string }> }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const apply = (form: HTMLFormElement) => {
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim() !== '' && !(k === 'sort' && v === 'newest')) next.set(k, v.trim());
    startTransition(() => router.push(`${pathname}${next.size ? `?${next}` : ''}`));
  };
  return (
    <form
      role="search"
      className="mb-4 flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        apply(e.currentTarget);
      }}
      onChange={(e) => {
        if (e.target instanceof HTMLSelectElement) apply(e.currentTarget);
      }}
    >
      <div className="min-w-64 flex-1">
        <label htmlFor="search" className="sr-only">
          Search tenants
        </label>
        <Input id="search" name="search" type="search" defaultValue={params.get('search') ?? ''} placeholder="Organization name or slug, member email, deployment id" />
      </div>
      {/* Select is full-width by design; the wrappers size it. */}
      <div className="w-40">
        <Select aria-label="Status" name="status" defaultValue={params.get('status') ?? ''}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="suspended">Suspended</option>
        </Select>
      </div>
      <div className="w-40">
        <Select aria-label="Plan" name="plan" defaultValue={params.get('plan') ?? ''}>
          <option value="">Any plan</option>
          {plans.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </Select>
      </div>
      <div className="w-44">
        <Select aria-label="Sort" name="sort" defaultValue={params.get('sort') ?? 'newest'}>
          {sorts.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      <Button type="submit" variant="secondary" pending={pending}>
        Search
      </Button>
    </form>
  );
}
