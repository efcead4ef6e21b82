// npm test: builds the server from the tree (unless BRUMMER_BIN names one),
// bundles the unit tests and runs them with node's test runner.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '../run-tests.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.resolve(here, '../..');
const repo = path.resolve(ext, '../..');

let bin = process.env.BRUMMER_BIN;
if (!bin) {
  bin = path.join(ext, 'out/brummer');
  console.log(`building ${path.relative(ext, bin)} from ${repo}`);
  execFileSync('go', ['build', '-o', bin, './cmd/brummer'], { cwd: repo, stdio: 'inherit' });
}
await runTests(here, path.join(ext, 'out/unit'), { env: { ...process.env, BRUMMER_BIN: path.resolve(bin) } });
