// Lint rules keep the layer boundaries of the design: the detection engine
// and attachment extraction stay pure, only addin/office touches Office.js,
// the server and the clients share nothing but `shared`, `detect` and `extract`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

const src = (p) => `./src/${p}`;

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', '.test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  regexp.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { typescript: true, node: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: src('shared'),
              from: './src',
              except: ['./shared'],
              message: 'shared imports nothing from src.',
            },
            {
              target: src('detect'),
              from: './src',
              except: ['./detect', './shared'],
              message: 'detect imports only shared.',
            },
            {
              target: src('extract'),
              from: './src',
              except: ['./extract', './shared'],
              message: 'extract imports only shared.',
            },
            {
              target: src('addin'),
              from: [src('server'), src('portal'), src('cli')],
              message: 'the add-in imports only shared and detect.',
            },
            {
              target: src('portal'),
              from: [src('server'), src('addin'), src('cli')],
              message: 'the portal imports only shared and detect.',
            },
            {
              target: src('server'),
              from: [src('addin'), src('portal'), src('cli')],
              message: 'the server imports only shared and detect.',
            },
            {
              // Development-only code (dev issuer, dev routes, Outlook harness, mail catcher) is
              // reached only from the composition points, which register it when the config says
              // development (context.ts only names its types).
              target: [src('server/!(app|server|context).ts'), src('server/!(dev)/**')],
              from: src('server/dev'),
              message:
                'production modules do not import src/server/dev: only app.ts and server.ts register it, in development.',
            },
            {
              // Features build on the store and the config, never the other way:
              // src/server/features.ts lists each feature's migrations, tables and config.
              target: [src('server/store'), src('server/config.ts')],
              from: src('server'),
              except: ['./store', './config.ts', './features.ts'],
              message:
                'the store and the config loader import no feature: list it in src/server/features.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine and the extractors run in Outlook's JavaScript-only runtime: no Node, no DOM, no Office.
    files: ['src/detect/**/*.ts', 'src/shared/**/*.ts', 'src/extract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'react', 'react-dom'],
              message: 'detect, extract and shared are pure: no Node or UI imports.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'Office',
        'window',
        'document',
        'localStorage',
        'process',
        'Buffer',
        'require',
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/addin/office/**', 'src/detect/**', 'src/shared/**', 'src/extract/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Office', message: 'Only src/addin/office touches Office.js.' },
      ],
    },
  },
  {
    files: ['src/addin/commands/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', '@fluentui/*'], message: 'The on-send bundle has no React.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
);
