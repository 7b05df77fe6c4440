import type { Metadata } from 'next';
import Link from 'next/link';
import { AcceptInvite } from '~/components/console/accept-invite';
import { buttonClass } from '~/components/ui/button';
import { Logo } from '~/components/ui/logo';
import { getSession, serverApi } from '~/server/api/server';

export const metadata: Metadata = { title: 'Invitation' };

const dead = {
  invalid: 'This invitation link is not valid. Check that you copied all of it, or ask for a new one.',
  revoked: 'This invitation was withdrawn. Ask the person who invited you for a new one.',
  accepted: 'This invitation has already been used. If that was you, sign in to continue.',
  expired: 'This invitation has expired. Ask the person who invited you for a new one.',
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [api, session] = await Promise.all([serverApi(), getSession()]);
  const invite = await api.invitations.describe({ token }).catch(() => ({ state: 'invalid' as const }));
  const here = `/invite/${encodeURIComponent(token)}`;

  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <Logo />
      <div className="mt-8 w-full max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
        {invite.state !== 'pending' ? (
          <>
            <h1 className="text-xl font-semibold text-slate-900">Invitation unavailable</h1>
            <p className="mt-2 text-sm text-slate-600">{dead[invite.state]}</p>
            <Link href="/console" className={`mt-6 w-full ${buttonClass('secondary')}`}>
              Go to the console
            </Link>
          </>
        ) : (
          <>
            <h1 className="text-xl font-semibold text-slate-900">Join {invite.orgName} on Plinth</h1>
            <p className="mt-2 text-sm text-slate-600">
              {invite.invitedBy} invited you as <strong className="font-semibold text-slate-900">{invite.role}</strong>
              {invite.email ? ` (for ${invite.email})` : ''}.
            </p>
            <div className="mt-6">
              {session?.user ? (
                <>
                  <p className="mb-3 text-xs text-slate-500">Signed in as {session.user.email}</p>
                  <AcceptInvite token={token} orgName={invite.orgName} />
                </>
              ) : (
                <div className="space-y-3">
                  <Link href={`/sign-up?callbackUrl=${encodeURIComponent(here)}`} className={`w-full ${buttonClass('primary')}`}>
                    Create an account to join
                  </Link>
                  <Link href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`} className={`w-full ${buttonClass('secondary')}`}>
                    I already have an account
                  </Link>
                </div>
              )}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
