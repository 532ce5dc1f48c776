// Type-checks the whole workspace once with tsc, then bundles each JavaScript action into
// actions/<name>/dist/ (scripts/bundle.ts says what a bundle holds).
//
//   npm run build                 every action
//   npx tsx scripts/build.ts a b  only these
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ACTIONS_DIR, listJavaScriptActions, REPO_ROOT } from './actions.js';
import { bundleAction } from './bundle.js';

const only = process.argv.slice(2);
const actions = listJavaScriptActions().filter((name) => only.length === 0 || only.includes(name));

execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(REPO_ROOT, 'tsconfig.json')], {
  stdio: 'inherit',
});
for (const name of actions) {
  bundleAction(join(ACTIONS_DIR, name));
  console.log(`built ${name}`);
}
