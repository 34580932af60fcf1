/**
 * Module boundaries (docs/architecture.md, "Boundaries"), checked by dependency-cruiser in
 * `npm test` and CI (`npm run lint:deps`). Violations that predate a rule are listed in
 * .dependency-cruiser-known-violations.json; that list may only shrink
 * (`npm run lint:deps -- --baseline` rewrites it after a fix).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide a missing boundary.',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'module-through-its-index',
      severity: 'error',
      comment:
        'A domain module is used by another only through its index.ts (its public face). ' +
        "Tests may also use another module's testSupport.ts.",
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: {
        path: '^src/modules/([^/]+)/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'tests-through-index-or-test-support',
      severity: 'error',
      comment: "A module's tests reach another module through its index.ts or testSupport.ts.",
      from: { path: '^src/modules/([^/]+)/.*\\.test\\.ts$' },
      to: {
        path: '^src/modules/([^/]+)/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/(index|testSupport)\\.ts$'],
      },
    },
    {
      name: 'platform-knows-no-module',
      severity: 'error',
      comment: 'The platform layer serves every module and depends on none.',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'web-imports-only-shared-code',
      severity: 'error',
      comment:
        'The web app may import from src/ only code meant for both sides: contract types and ' +
        'the ballot cryptography (src/**/crypto/, src/**/contract.ts), and the language rules ' +
        '(src/platform/language/: place names in grammatical cases).',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: ['^src/.*/crypto/', '^src/.*/contract\\.ts$', '^src/platform/language/'] },
    },
    {
      name: 'no-test-code-in-product',
      severity: 'error',
      from: { path: '^(src|web)/', pathNot: ['\\.test\\.tsx?$', '/testSupport\\.ts$'] },
      to: { path: ['\\.test\\.tsx?$', '^test/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^web/dist', '^data/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
