import type { OrgRole } from '~/db/schema';

export const orgRoles = ['owner', 'admin', 'member', 'viewer'] as const satisfies readonly OrgRole[];

const rank: Record<OrgRole, number> = { viewer: 1, member: 2, admin: 3, owner: 4 };

export const hasRole = (actual: OrgRole, minimum: OrgRole) => rank[actual] >= rank[minimum];

export const roleLabels: Record<OrgRole, string> = {
  owner: 'Owner — everything, including billing and deleting the organization',
  admin: 'Admin — manage deployments and members',
  member: 'Member — manage deployments',
  viewer: 'Viewer — read only',
};
