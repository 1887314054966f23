// Flat config. Two rules matter most: no runtime `vscode` import where code must run without VS Code (core, webview),
// and no regex that can backtrack super-linearly (every reader sees hostile text).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';

const noRuntimeVscode = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'core and webview code runs without VS Code: no runtime vscode import.', allowTypeImports: false }],
      patterns: [{ group: ['**/extension/**', '../extension/*'], message: 'core and webview must not depend on extension code.' }],
    },
  ],
  'no-restricted-globals': ['error', { name: 'require', message: 'use ESM imports' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'dist-vsix/**', 'out/**', '.bench/**', '.unit-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  regexp.configs['flat/recommended'],
  {
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      ...noRuntimeVscode,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'core runs without VS Code: no vscode import.' }],
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto'], message: 'core runs in browsers too: no Node APIs.' },
            { group: ['**/extension/**', '**/webview/**'], message: 'core depends on nothing above it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: noRuntimeVscode,
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
