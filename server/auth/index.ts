/**
 * Auth.js v5: email + password (argon2id) always; GitHub and Google when their env vars are set.
 * Sessions are JWTs carrying only our user id — roles and memberships are read from the database per request.
 */
import { randomUUID } from 'node:crypto';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import GitHub from 'next-auth/providers/github';
import Google from 'next-auth/providers/google';
import { z } from 'zod';
import { safeRedirect } from '~/lib/safe-redirect';
import { safeString } from '~/lib/safe-string';
import { clientIp } from '../api/trpc';
import { getDb } from '../db';
import { env } from '../env';
import { decode, encode } from './jwt';
import { revokeSession, sessionIsValid } from './sessions';
import { authenticate, upsertOAuthUser, type SignInFailure } from '../services/users';

/** Carries a machine-readable reason to the sign-in form, which shows it at the right field. */
class SignInFailed extends CredentialsSignin {
  constructor(reason: SignInFailure | 'invalid_input') {
    super(reason);
    this.code = reason;
  }
}

const MAX_AGE_S = 30 * 24 * 60 * 60;

const credentialsInput = z.object({ email: safeString().min(1), password: safeString().min(1) });

function config(): NextAuthConfig {
  const providers: NextAuthConfig['providers'] = [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) throw new SignInFailed('invalid_input');
        const result = await authenticate(await getDb(), { ...parsed.data, ip: clientIp(request.headers) });
        if (!result.ok) throw new SignInFailed(result.reason);
        const user = { id: result.user.id, email: result.user.email, name: result.user.name, sessionVersion: result.user.sessionVersion };
        return user;
      },
    }),
  ];
  if (env.github) providers.push(GitHub({ clientId: env.github.id, clientSecret: env.github.secret }));
  if (env.google) providers.push(Google({ clientId: env.google.id, clientSecret: env.google.secret }));

  return {
    secret: env.authSecret ?? undefined, // never null past start-up: server/startup.ts requires it
    trustHost: true,
    session: { strategy: 'jwt', maxAge: MAX_AGE_S },
    // The same tokens as Auth.js's own, with the derived key cached instead of re-derived twice a request.
    jwt: { encode, decode },
    pages: { signIn: '/sign-in' },
    events: {
      // Signing out ends this session for good, not just in this browser: a copied cookie stops working too.
      async signOut(message) {
        const token = 'token' in message ? message.token : null;
        if (token?.sid) await revokeSession(await getDb(), String(token.sid), new Date(((token.exp as number | undefined) ?? Date.now() / 1000 + MAX_AGE_S) * 1000));
      },
    },
    providers,
    callbacks: {
      // Auth.js's own check is a prefix test; parse against our origin like every other redirect does.
      redirect({ url, baseUrl }) {
        const relative = url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length) : url;
        return `${baseUrl}${safeRedirect(relative, '/console')}`;
      },
      async signIn({ account, profile }) {
        // Only link OAuth identities whose email the provider has verified.
        if (account?.provider === 'google') return profile?.email_verified === true;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user) {
          // Signing in: a new session id, and the user's session version as of now.
          if (account && account.type !== 'credentials' && user.email) {
            const local = await upsertOAuthUser(await getDb(), { email: user.email, name: user.name ?? '' });
            token.sub = local.id;
            token.sv = local.sessionVersion;
          } else {
            token.sub = user.id;
            token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
          }
          token.sid = randomUUID();
          return token;
        }
        // Every later read of the session: signed out, signed out everywhere, password changed or user gone
        // all end it here, so pages and the API see a signed-out visitor.
        if (!token.sub) return null;
        const valid = await sessionIsValid(await getDb(), token.sub, token.sid as string | undefined, (token.sv as number | undefined) ?? 0);
        return valid ? token : null;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}

/** Exported for tests that drive Auth.js itself (@auth/core) over HTTP. */
export const authConfig = config;

export const { handlers, auth, signIn, signOut } = NextAuth(config);

/** The providers the sign-in page offers besides email + password. */
export const oauthProviders = () => [
  ...(env.github ? [{ id: 'github', name: 'GitHub' }] : []),
  ...(env.google ? [{ id: 'google', name: 'Google' }] : []),
];
