// Lint: TypeScript rules everywhere, plus the house rule that keeps shared/ platform-neutral
// (it runs unchanged in a Web Worker and in Node, so it may not reach for Node built-ins or the DOM).
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'http', 'https', 'net', 'zlib', 'child_process', 'worker_threads', 'crypto', 'stream', 'url', 'util', 'buffer', 'process'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.cache/**', '.scratch/**', 'shared/contract/generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          // A regex, not globs: a glob like `net/*` would also match our own `../net/fetch-retry`.
          { regex: `^(node:.*|(${nodeBuiltins.join('|')})(/.*)?)$`, message: 'shared/ is platform-neutral: inject platform I/O from web/ or server/.' },
          { group: ['**/web/**', '**/server/**', '../../web/*', '../../server/*'], message: 'shared/ never imports from web/ or server/.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'shared/ must not touch the DOM.' },
        { name: 'document', message: 'shared/ must not touch the DOM.' },
        { name: 'process', message: 'shared/ must not read process: take configuration as an argument.' },
        { name: 'Buffer', message: 'shared/ uses Uint8Array, not Buffer.' },
        { name: 'require', message: 'shared/ is ESM.' },
      ],
    },
  },
);
