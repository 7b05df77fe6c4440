'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { OrgRole } from '~/db/schema';
import { consoleHref } from '~/lib/console-href';
import { hasRole } from '~/lib/roles';

/** `deleting`: the owner asked to delete it; it can be read, not changed (components/settings/delete-org.tsx). */
export type ActiveOrg = { id: string; name: string; slug: string; role: OrgRole; status: 'active' | 'suspended'; deleting: boolean };
export type Me = { id: string; email: string; name: string; staffRole: 'none' | 'support' | 'admin' };

const OrgContext = createContext<{ org: ActiveOrg; me: Me } | null>(null);

export function OrgProvider({ org, me, children }: { org: ActiveOrg; me: Me; children: ReactNode }) {
  return <OrgContext.Provider value={{ org, me }}>{children}</OrgContext.Provider>;
}

/** The active organization and the caller's role in it; `can(role)` hides controls the server would refuse. */
export function useOrg() {
  const ctx = useContext(OrgContext);
  if (!ctx) throw new Error('useOrg outside the console');
  return {
    ...ctx,
    can: (min: OrgRole) => hasRole(ctx.org.role, min),
    /** A link inside this organization's console: `href('/deployments')` → `/o/{slug}/deployments`. */
    href: (path: string) => consoleHref(ctx.org.slug, path),
  };
}
