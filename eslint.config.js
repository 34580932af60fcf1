// ESLint flat config: the conventions of docs/architecture.md that a tool can hold.
// Formatting is Prettier's (`npm run format`); ESLint checks what formatting cannot.
// Violations that predate a rule are recorded per file and rule in eslint-suppressions.json
// (ESLint's bulk suppressions): they may shrink (`npm run lint -- --prune-suppressions`), never grow.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const clockAndSettings = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Use the injected clock (ctx.now()) so time can be controlled in tests and is one per request.',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Use the injected clock (ctx.now()).',
  },
  {
    selector: "MemberExpression[object.name='process'][property.name='env']",
    message: 'Settings come from src/config.ts (ctx.config), never from process.env in a module.',
  },
];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'data/', 'web/dist/', 'bench/results/', 'resources/', 'migrations/', '.tmp/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-syntax': 'off',
      // Stripping control characters from text is deliberate (XML, file names).
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Domain modules take the clock and settings from the context.
    files: ['src/modules/**/*.ts'],
    ignores: ['src/modules/**/*.test.ts', 'src/modules/**/testSupport.ts'],
    rules: { 'no-restricted-syntax': ['error', ...clockAndSettings] },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
);
