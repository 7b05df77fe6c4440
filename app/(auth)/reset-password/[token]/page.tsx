import type { Metadata } from 'next';
import { ResetPasswordForm } from '~/components/auth/password-reset-forms';

export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold text-slate-900">Choose a new password</h1>
      <p className="mb-6 text-sm text-slate-600">The link works once and for 30 minutes.</p>
      <ResetPasswordForm token={token} />
    </>
  );
}
