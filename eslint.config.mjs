// Flat ESLint config: typescript-eslint with type information for the rules
// that need it (no-floating-promises), purity rules for the core and protocol.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/out/**',
      '**/dist/**',
      '**/.baton/**',
      'test-results/**',
      'examples/**',
      '**/fixtures/**',
      '.vscode-test/**',
      'reports/**',
      '**/.stryker-tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests and benchmarks: long describe blocks are fine.
    files: ['**/test/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['server/src/**/*.ts', 'extension/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The core and the protocol are pure: no Node, no editor, no transport.
    files: ['packages/core/src/**/*.ts', 'packages/protocol/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'fs',
            'path',
            'os',
            'child_process',
            'crypto',
            'events',
            'stream',
            'util',
            'timers',
            'vscode',
            'json-rpc-2.0',
            'chokidar',
          ].map((name) => ({
            name,
            message: 'The core and protocol import no I/O, editor or transport modules.',
          })),
          patterns: [
            { group: ['node:*'], message: 'The core and protocol are pure: no Node built-ins.' },
            {
              group: ['vscode-*', '@baton/*'],
              message: 'The core and protocol import nothing of ours and no editor modules.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Time is an input in the core.' },
        { name: 'setInterval', message: 'Time is an input in the core.' },
        { name: 'process', message: 'No process in the core.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is an input in the core.' },
        { object: 'Math', property: 'random', message: 'Randomness is an input in the core.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Webview scripts run in the webview's browser sandbox, with VS Code's one API function.
    files: ['extension/media/**/*.js'],
    languageOptions: { globals: { ...globals.browser, acquireVsCodeApi: 'readonly' } },
  },
);
