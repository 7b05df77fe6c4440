import type { Metadata, Viewport } from 'next';
import { cookies, headers } from 'next/headers';
import type { ReactNode } from 'react';
import { Providers } from '~/components/providers';
import { parseTheme, THEME_COOKIE } from '~/lib/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Plinth Redis', template: '%s · Plinth' },
  description: 'Managed Redis, self-service: provision, resize and upgrade in seconds.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f8fafc' },
    { media: '(prefers-color-scheme: dark)', color: '#020617' },
  ],
};

/**
 * Reading the request headers makes every page render per request, which the CSP nonce needs: a page rendered
 * at build time would carry no nonce and its scripts would be blocked. The chosen theme (a cookie) is rendered
 * as a class on <html>, so a dark page never flashes light; without a choice, CSS follows the system.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await headers();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={theme === 'system' ? undefined : theme} data-theme={theme}>
      <body className="min-h-screen font-sans">
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-semibold text-indigo-700 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
