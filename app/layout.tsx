import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '~/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Plinth Redis', template: '%s · Plinth' },
  description: 'Managed Redis, self-service: provision, resize and upgrade in seconds.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
