/**
 * Auth.js v5: email + password (argon2id) always; GitHub and Google when their env vars are set.
 * Sessions are JWTs carrying only our user id — roles and memberships are read from the database per request.
 */
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
import { authenticate, upsertOAuthUser, type SignInFailure } from '../services/users';

/** Carries a machine-readable reason to the sign-in form, which shows it at the right field. */
class SignInFailed extends CredentialsSignin {
  constructor(reason: SignInFailure | 'invalid_input') {
    super(reason);
    this.code = reason;
  }
}

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
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ];
  if (env.github) providers.push(GitHub({ clientId: env.github.id, clientSecret: env.github.secret }));
  if (env.google) providers.push(Google({ clientId: env.google.id, clientSecret: env.google.secret }));

  return {
    secret: env.authSecret,
    trustHost: true,
    session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: '/sign-in' },
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
        if (account && account.type !== 'credentials' && user?.email) {
          const local = await upsertOAuthUser(await getDb(), { email: user.email, name: user.name ?? '' });
          token.sub = local.id;
        } else if (user?.id) {
          token.sub = user.id;
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(config);

/** The providers the sign-in page offers besides email + password. */
export const oauthProviders = () => [
  ...(env.github ? [{ id: 'github', name: 'GitHub' }] : []),
  ...(env.google ? [{ id: 'google', name: 'Google' }] : []),
];
