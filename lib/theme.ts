/** The colour theme a person chose; `system` follows prefers-color-scheme. Kept in a cookie the server reads. */
export const THEME_COOKIE = 'plinth-theme';
export type Theme = 'system' | 'light' | 'dark';
export const parseTheme = (v: string | undefined): Theme => (v === 'light' || v === 'dark' ? v : 'system');
