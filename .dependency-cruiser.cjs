// The import graph's rules (`npm run lint`): actions are thin and lean on packages only; packages never
// reach into actions, scripts or tests; the kit stands alone; the forge-server double is for tests only;
// no test reaches into another package's tests; nothing outside test/ imports from test/.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'actions-use-packages-only',
      comment:
        "An action's main imports packages (and npm modules), never another action, a script or a test.",
      severity: 'error',
      from: { path: '^actions/([^/]+)/' },
      to: { path: '^(actions/|scripts/|test/)', pathNot: '^actions/$1/' },
    },
    {
      name: 'packages-never-import-actions-scripts-or-tests',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/', pathNot: '^packages/testing/' },
      to: { path: '^(actions/|scripts/|test/)' },
    },
    {
      name: 'forge-server-only-for-tests',
      comment: 'The local forge server is a test double: only tests, the testing package and scripts use it.',
      severity: 'error',
      from: { path: '^(packages/[^/]+/src/|actions/)', pathNot: '^packages/(forge-server|testing)/' },
      to: { path: '^packages/forge-server/' },
    },
    {
      name: 'kit-stands-alone',
      comment: 'Only the kit touches @actions/core; it imports no other package of ours.',
      severity: 'error',
      from: { path: '^packages/action-kit/src/' },
      to: { path: '^packages/', pathNot: '^packages/action-kit/' },
    },
    {
      name: 'only-the-kit-imports-actions-core',
      severity: 'error',
      from: { path: '^(packages|actions)/', pathNot: '^packages/action-kit/' },
      to: { path: 'node_modules/@actions/core/' },
    },
    {
      name: 'tests-use-their-own-package-or-testing',
      comment: "A package's tests import their own package, other packages' public entry points and testing.",
      severity: 'error',
      from: { path: '^packages/([^/]+)/test/' },
      to: { path: '^packages/[^/]+/test/', pathNot: '^packages/$1/test/' },
    },
    {
      name: 'nothing-outside-test-imports-test',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/|^tools/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
