// One action's bundle in <action>/dist/, as a runner gets it: the ESM bundle from ncc in transpile-only
// mode (-t) as action.js (and a chunk per lazily loaded part), the package.json that marks it as a
// module whatever node the job image has, action.yml's metadata as action.json (so a run parses no
// YAML), and index.js, which turns on Node's compile cache where the runtime has one, then loads it.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadActionMetadata } from '../packages/action-kit/src/action-yml.js';
import { BUNDLED_METADATA } from '../packages/action-kit/src/metadata.js';
import { REPO_ROOT } from './actions.js';

/**
 * Node 22.1+ keeps V8's compiled code of the modules loaded after enableCompileCache (in os.tmpdir()
 * unless NODE_COMPILE_CACHE says where): a later step or job on the same runner that runs this bundle
 * skips most of compiling it. Node 20 has no such cache; the call is skipped there.
 */
const ENTRY = `import module from 'node:module';
module.enableCompileCache?.();
await import('./action.js');
`;

/** Bundles `<actionDir>/src/main.ts` into `<actionDir>/dist/` (or `dist` when given), replacing it. */
export function bundleAction(actionDir: string, dist: string = join(actionDir, 'dist')): void {
  rmSync(dist, { recursive: true, force: true });
  execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'ncc'),
    ['build', join(actionDir, 'src', 'main.ts'), '-o', dist, '-t', '--target', 'es2022', '-q'],
    { stdio: 'inherit' },
  );
  renameSync(join(dist, 'index.js'), join(dist, 'action.js'));
  writeFileSync(join(dist, 'index.js'), ENTRY);
  const metadata = loadActionMetadata(join(actionDir, 'action.yml'));
  writeFileSync(join(dist, BUNDLED_METADATA), `${JSON.stringify(metadata)}\n`);
}
