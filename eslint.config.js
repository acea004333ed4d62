import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      // Type-aware rules: the type checker knows which calls return promises.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A promise nobody awaits or catches loses its error; `void` says it is meant.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (event listeners, forEach) drops its rejection.
      '@typescript-eslint/no-misused-promises': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Import cycles make modules that cannot be understood (or initialised) one at a time.
    files: ['server/src/**/*.ts', 'common/**/*.ts', 'client/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // The lobby is pure: it may use nothing of the rest of the server (nor Node, nor timers).
    files: ['server/src/lobby/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Except the plain list of away reasons, shared with the client (data, no behaviour).
          patterns: [
            {
              regex: String.raw`^\.\./(?!\.\./\.\./common/presence$)`,
              message: 'server/src/lobby/ is pure: import only from inside it.',
            },
          ],
          paths: ['node:timers', 'node:fs', 'node:net', 'node:http'].map((name) => ({
            name,
            message: 'The lobby does no I/O and keeps no timers.',
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'The lobby keeps no timers: return a deadline instead.' },
        { name: 'setInterval', message: 'The lobby keeps no timers: return a deadline instead.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The lobby reads time only from its injected clock.' },
      ],
    },
  },
  {
    // Signalling talks to sessions and auth, never to the HTTP layer's internals.
    files: ['server/src/signaling/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../http', '../http/*'], message: 'signaling/ must not reach into http/.' }] },
      ],
    },
  },
  {
    files: [
      'scripts/**',
      'bench/**',
      'server/src/cli/**',
      'test/e2e/**',
      'test/cluster/**',
      'test/container/**',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
);
