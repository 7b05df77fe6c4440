// ESLint (flat config): typescript-eslint's recommended rules, Next's own rules, and the one architectural rule
// the type checker cannot see — client code (components/, lib/) must not pull server modules into the bundle.
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.next/', '.next-*/', '.data/', 'reports/', 'test-results/', 'playwright-report/', 'db/migrations/', 'next-env.d.ts', 'test/emulators/tf/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs}'],
    plugins: { '@next/next': nextPlugin, 'react-hooks': reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
      // The two classic hook rules (what eslint-config-next turns on); the React Compiler rules of the plugin's
      // newer presets would ask for changes across every component, unrelated to this configuration.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // Unused names are compile errors already where they matter (tsconfig noUnused* is off on purpose for
      // work in progress); `_`-prefixed ones are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Tests and the driver shims cast through unknown and any at the database boundary on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // `!` after a lookup the code has just checked, and after `.returning()`, reads better than a guard that cannot fail.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Client-safe code: server modules may be imported for their types only (erased at build time).
    files: ['components/**/*.{ts,tsx}', 'lib/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['~/server', '~/server/**', '**/server/**', '~/db/client', '~/db/seed', '~/db/sql'],
              allowTypeImports: true,
              message: 'Client code imports ~/server/** (and the database modules) for types only (import type …). Move what it needs at run time to lib/.',
            },
          ],
        },
      ],
    },
  },
);
