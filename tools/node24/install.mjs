// Installs Node 24 into tools/node24 (npm's postinstall), unless the binary there is already the
// version its lockfile pins. Kept out of the root workspace so its `node` bin does not shadow the
// Node that runs the tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const here = new URL('.', import.meta.url).pathname;
const lock = JSON.parse(readFileSync(`${here}package-lock.json`, 'utf8'));
const wanted = `v${lock.packages['node_modules/node'].version}`;
let installed = '';
try {
  installed = execFileSync(`${here}node_modules/.bin/node`, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
} catch {
  // Not installed yet.
}
if (installed !== wanted) {
  execFileSync('npm', ['ci', '--prefix', here, '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
