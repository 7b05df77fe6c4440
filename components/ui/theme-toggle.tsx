'use client';

import { useState } from 'react';
import { THEME_COOKIE, type Theme } from '~/lib/theme';

const next: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const label: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

/** Cycles system → light → dark. The class on <html> changes at once; the cookie makes the server render it next time. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      className="rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
      aria-label={`${label[theme]}. Change theme`}
      title={`${label[theme]} (click to change)`}
      onClick={() => {
        const t = next[theme];
        setTheme(t);
        const html = document.documentElement;
        html.classList.remove('light', 'dark');
        if (t !== 'system') html.classList.add(t);
        document.cookie = `${THEME_COOKIE}=${t}; path=/; max-age=31536000; samesite=lax`;
      }}
    >
      <svg viewBox="0 0 24 24" className="size-5 fill-none stroke-current stroke-[1.6]" aria-hidden>
        {theme === 'dark' ? (
          <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8Z" strokeLinejoin="round" />
        ) : theme === 'light' ? (
          <path d="M12 4V2m0 20v-2m8-8h2M2 12h2m13.7-5.7 1.4-1.4M4.9 19.1l1.4-1.4m0-11.4L4.9 4.9m14.2 14.2-1.4-1.4M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z" strokeLinecap="round" />
        ) : (
          <path d="M4 5h16v11H4zM8 20h8M12 16v4" strokeLinecap="round" strokeLinejoin="round" />
        )}
      </svg>
    </button>
  );
}
