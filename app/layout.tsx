import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { Providers } from '~/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Plinth Redis', template: '%s · Plinth' },
  description: 'Managed Redis, self-service: provision, resize and upgrade in seconds.',
};

/**
 * Reading the request headers makes every page render per request, which the CSP nonce needs: a page rendered
 * at build time would carry no nonce and its scripts would be blocked.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await headers();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
