// Type-checks the whole workspace once with tsc, then bundles each JavaScript action with ncc in
// transpile-only mode (-t) into actions/<name>/dist/: one ESM index.js plus the package.json that
// marks it as a module, whatever node the job image has.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIONS_DIR, listJavaScriptActions, REPO_ROOT } from './actions.js';

const bin = (name: string) => join(REPO_ROOT, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
const actions = listJavaScriptActions().filter((name) => only.length === 0 || only.includes(name));

execFileSync(bin('tsc'), ['-p', join(REPO_ROOT, 'tsconfig.json')], { stdio: 'inherit' });
for (const name of actions) {
  const dist = join(ACTIONS_DIR, name, 'dist');
  rmSync(dist, { recursive: true, force: true });
  execFileSync(
    bin('ncc'),
    ['build', join(ACTIONS_DIR, name, 'src', 'main.ts'), '-o', dist, '-t', '--target', 'es2022', '-q'],
    { stdio: 'inherit' },
  );
  console.log(`built ${name}`);
}
