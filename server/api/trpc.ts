/**
 * The tRPC hub: context, error formatting and the stacked procedures every router builds on.
 *
 *   publicProcedure → protectedProcedure (signed in) → orgProcedure(minRole) (member of input.orgId; ctx.actor)
 *                                                    → staffProcedure (support|admin; ctx.staff)
 *                                                      → staffAdminProcedure (staff admin only)
 *
 * "staff admin" is a Plinth employee's role; the org `admin` role (lib/roles.ts) is a customer's.
 *
 * Users, memberships and staff roles are re-read from the database on every call, so a revoked role or a removed
 * member loses access on the next request, whatever their session cookie says. The session itself (revoked,
 * version bumped) is checked in that same query: a signed-in call costs one cookie decode and one lookup.
 */
import { randomUUID } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import { transformer } from './transformer';
import { z, ZodError } from 'zod';
import type { Db } from '~/db/client';
import type { ApiKeyRole, OrgRole } from '~/db/schema';
import type { StripeContext } from '../billing/stripe';
import type { OrgActor, StaffActor } from '../actor';
import { env } from '../env';
import { AppError } from '../errors';
import { logger } from '../observability/logger';
import { clientIpFrom } from './client-ip';
import { isRetryableDbError, MAX_ATTEMPTS } from './retry';
import { getUserWithMembership } from '../services/orgs';
import { ORG_BEING_DELETED, ORG_DELETED } from '../offboarding/messages';
import { hasRole } from '~/lib/roles';
import { getUserForSession } from '../services/users';
import type { SessionCheck } from '../auth/sessions';

export type Context = {
  db: Db;
  /** From the decrypted session cookie; null when signed out. Trusted only with `session`'s check (see below). */
  userId: string | null;
  /**
   * The cookie's session id and version. The signed-in procedures check them in their own user lookup, so a
   * revoked session or a bumped version is refused on its next call. Absent where the caller names the user
   * directly (tests, a context built for a known user): then there is no session to check.
   */
  session?: SessionCheck;
  ip: string;
  /**
   * Set when the caller presented an API key (the REST API, server/rest/): `userId` is then the member who made
   * the key, and only org-scoped procedures of the key's org accept the call, with the lower of the two roles.
   */
  apiKey?: { id: string; orgId: string; role: ApiKeyRole };
  /** Process-wide settings the services need; injected so tests choose their own. */
  config: {
    secretKey: Buffer;
    engines: { infra: string; delivery: string };
    /** Null `stripe` means payments are not configured: billing is computed and shown, nothing is charged. */
    billing: { stripe: StripeContext | null; appUrl: string; pastDueGraceDays: number };
    /** Per-person allowances (PLINTH_FREE_DEPLOYMENTS_PER_USER, PLINTH_ORGS_PER_USER). */
    /** signUpsPerIpPerHour: PLINTH_SIGNUPS_PER_IP_HOUR (default 20). */
    limits: { freeDeploymentsPerUser: number; orgsPerUser: number; signUpsPerIpPerHour?: number };
    /** PLINTH_WEBHOOKS_ALLOW_PRIVATE: endpoints may point at private addresses (tests, on-prem). */
    webhooks: { allowPrivate: boolean };
    /** Where real deployments' metrics come from (PROMETHEUS_URL); absent or null: only sandbox series. */
    metrics?: { prometheusUrl: string | null };
  };
};


/** The one context factory: the route handler (`/api/trpc`) and the server-side caller both build it here. */
export async function createContext(headers: Headers): Promise<Context> {
  // The cookie is decoded here rather than by Auth.js's auth(), whose session check would be a query of its own
  // on every call: the procedures below fold that check into the user lookup they make anyway.
  // Imported on first use: tests build their own context from this module, without the process's database.
  const [{ readSessionCookie }, { appConfig, getDb }] = await Promise.all([import('../auth/session-cookie'), import('../db')]);
  const [db, claim] = await Promise.all([getDb(), readSessionCookie(headers)]);
  const session = claim ? { sid: claim.sid, version: claim.version } : undefined;
  return { db, userId: claim?.userId ?? null, session, ip: clientIp(headers), config: appConfig() };
}

export type Meta = {
  /** Who may call it. The isolation tests enumerate procedures by this. */
  scope: 'public' | 'user' | 'org' | 'staff' | 'staffAdmin';
  minRole?: OrgRole;
  /** An org mutation still allowed while the organization is being deleted (asking again for its deletion). */
  whileDeleting?: boolean;
};

/** See client-ip.ts: X-Forwarded-For is believed only as far as PLINTH_TRUSTED_PROXIES allows. */
export function clientIp(headers: Headers): string {
  return clientIpFrom(headers, env.trustedProxies);
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // superjson on the wire; responses serialized by a faster path that writes superjson's own output.
    transformer,
    defaultMeta: { scope: 'public' },
    errorFormatter({ shape, error }) {
      const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
      const appError = error.cause instanceof AppError ? error.cause : null;
      let message = shape.message;
      // The first zod issue reads better than the JSON dump tRPC would put here.
      if (error.cause instanceof ZodError) message = error.cause.issues[0]?.message ?? message;
      if (error.code === 'INTERNAL_SERVER_ERROR' && !appError) {
        const ref = randomUUID().slice(0, 8);
        logger.error({ err: error.cause ?? error, ref }, 'internal error');
        message = `Something went wrong on our side. Try again; if it keeps happening, contact support with reference ${ref}.`;
      }
      return {
        ...shape,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          zodError,
          field: appError?.field ?? null,
        },
      };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Turns domain errors into tRPC errors with the same code and the user-facing message. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.userMessage, cause });
  }
  return result;
});

/**
 * Re-runs a call whose transaction Postgres aborted as a deadlock or serialization victim (bounded, see retry.ts).
 * Each procedure's writes are one transaction, so the aborted attempt left nothing behind.
 */
const retryAborted = t.middleware(async ({ next }) => {
  for (let i = 1; ; i++) {
    const result = await next();
    if (result.ok || i >= MAX_ATTEMPTS || !isRetryableDbError(result.error.cause)) return result;
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * i));
  }
});

export const publicProcedure = t.procedure.use(domainErrors).use(retryAborted);

const signInFirst = () => new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });

/** Signed in at all: no database work, so an anonymous call is refused before its input is even parsed. */
const signedIn = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.userId) throw signInFirst();
  return next({ ctx: { ...ctx, userId: ctx.userId } });
});

const accountGone = () => new TRPCError({ code: 'UNAUTHORIZED', message: 'Your account no longer exists. Sign in again.' });

export const protectedProcedure = signedIn.meta({ scope: 'user' }).use(async ({ ctx, next }) => {
  // An API key acts within its organization only: never on the account or staff procedures built on this one.
  if (ctx.apiKey) throw new TRPCError({ code: 'FORBIDDEN', message: 'API keys work on organization endpoints only; sign in to the console for this.' });
  const found = await getUserForSession(ctx.db, ctx.userId, ctx.session);
  if (!found) throw accountGone();
  // A signed-out, signed-out-everywhere or password-changed session: the caller is anonymous, as with Auth.js.
  if (!found.sessionValid) throw signInFirst();
  const { user } = found;
  return next({ ctx: { ...ctx, user } });
});

/**
 * Org-scoped: the caller names the org in `input.orgId`; it is trusted only after the membership is found.
 * Viewers pass `orgProcedure('viewer')` (reads); anything that changes state asks for at least `member`.
 * The user and the membership are re-read together in one query (not protectedProcedure's user lookup and then
 * a membership lookup): this runs on nearly every signed-in call.
 */
export const orgProcedure = (minRole: OrgRole) =>
  signedIn
    .meta({ scope: 'org', minRole })
    .input(z.object({ orgId: z.uuid('Choose an organization.') }))
    .use(async ({ ctx, input, next, type, meta }) => {
      const key = ctx.apiKey;
      if (key && key.orgId !== input.orgId) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'This API key belongs to another organization. Use a key of this organization.' });
      }
      const found = await getUserWithMembership(ctx.db, input.orgId, ctx.userId, ctx.session);
      if (!found) throw accountGone();
      if (!found.sessionValid) throw signInFirst();
      const { user, membership } = found;
      if (!membership) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'You are not a member of this organization.' });
      }
      // A deleted organization is gone for its members (its rows stay for staff and accounting); one being
      // deleted can be read, not changed (server/offboarding/).
      if (membership.org.closedAt) throw new TRPCError({ code: 'NOT_FOUND', message: ORG_DELETED });
      if (membership.org.deletionRequestedAt && type === 'mutation' && !meta?.whileDeleting) {
        throw new TRPCError({ code: 'CONFLICT', message: ORG_BEING_DELETED });
      }
      // Through a key: the lower of the key's role and its maker's current one.
      const role = key && hasRole(membership.role, key.role) ? key.role : membership.role;
      if (!hasRole(role, minRole)) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: key
            ? `This needs the ${minRole} role or higher; this API key acts as ${role}. Use a key with a higher role.`
            : `This needs the ${minRole} role or higher; you are a ${membership.role}. Ask an owner or admin.`,
        });
      }
      const actor: OrgActor = { orgId: membership.org.id, userId: user.id, role, ...(key ? { apiKeyId: key.id } : {}) };
      return next({ ctx: { ...ctx, user, org: membership.org, actor } });
    });

export const staffProcedure = protectedProcedure.meta({ scope: 'staff' }).use(async ({ ctx, next }) => {
  if (ctx.user.staffRole === 'none') throw new TRPCError({ code: 'FORBIDDEN', message: 'This is for Plinth staff only.' });
  const staff: StaffActor = { userId: ctx.user.id, staffRole: ctx.user.staffRole };
  return next({ ctx: { ...ctx, staff } });
});

export const staffAdminProcedure = staffProcedure.meta({ scope: 'staffAdmin' }).use(async ({ ctx, next }) => {
  if (ctx.staff.staffRole !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'This needs the staff admin role.' });
  return next();
});
