import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Layer boundaries (docs/architecture.md). Regexes over the import as written, so each covers both
// the `@/` form and the relative one that reaches the same folder.
const fakeWechat = {
  regex: '^(@|(\\.\\./)*\\.\\.)/lib/(wechat-sim|sandbox)(/|$)|^\\.\\./(wechat-sim|sandbox)(/|$)',
  message: 'The fake WeChat is not part of the domain: the process starts it (lib/sandbox) and hands over a plain account.',
};
const layers = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['.next/**', 'node_modules/**', '.data/**', 'db/migrations/**', 'test-results/**', 'next-env.d.ts'] },
  ...tseslint.configs.recommended,
  {
    plugins: { '@next/next': nextPlugin, 'react-hooks': reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    rules: layers(
      { regex: '^(@|(\\.\\./)*\\.\\.)/db/schema(/|$)', message: 'Pages read through db/queries, never the tables.' },
      { regex: '^drizzle-orm(/|$)', message: 'Pages read through db/queries; only db/ speaks Drizzle.' },
      { regex: '^(@|(\\.\\./)*\\.\\.)/lib/wechat-sim(/|$)', message: 'The fake WeChat enters the console only through lib/sandbox.' },
    ),
  },
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: layers({ regex: '^(@|(\\.\\./)*\\.\\.)/lib/wechat-sim(/|$)', message: 'The fake WeChat enters the console only through lib/sandbox.' }),
  },
  {
    files: ['lib/wechat/*.ts'],
    rules: layers({ regex: '^@/(?!lib/wechat/)|^\\.\\./', message: 'lib/wechat is the protocol alone: it imports nothing of ours outside lib/wechat.' }),
  },
  {
    files: ['lib/wechat/*/**/*.ts'],
    rules: layers({ regex: '^@/(?!lib/wechat/)|^\\.\\./\\.\\./', message: 'lib/wechat is the protocol alone: it imports nothing of ours outside lib/wechat.' }),
  },
  {
    files: ['lib/outbox/**/*.ts'],
    rules: layers(
      { regex: '^(@/lib/kf|\\.\\./kf|\\.\\./\\.\\./lib/kf)(/|$)', message: 'The domain enqueues and the outbox delivers: lib/outbox must not import lib/kf (payloads live in lib/outbox/payloads.ts).' },
      fakeWechat,
    ),
  },
  {
    files: ['lib/kf/**/*.ts'],
    rules: layers(fakeWechat),
  },
  {
    files: ['scripts/**', 'bench/**', 'tests/**'],
    rules: { 'no-console': 'off' },
  },
);
