// npm test: builds the server from the tree (unless BRUMMER_BIN names one),
// bundles the unit tests and runs them with node's test runner.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.resolve(here, '../..');
const repo = path.resolve(ext, '../..');
const out = path.join(ext, 'out/unit');

let bin = process.env.BRUMMER_BIN;
if (!bin) {
  bin = path.join(ext, 'out/brummer');
  console.log(`building ${path.relative(ext, bin)} from ${repo}`);
  execFileSync('go', ['build', '-o', bin, './cmd/brummer'], { cwd: repo, stdio: 'inherit' });
}

fs.rmSync(out, { recursive: true, force: true });
const tests = fs.readdirSync(here).filter((f) => f.endsWith('.test.ts'));
await esbuild.build({
  entryPoints: tests.map((f) => path.join(here, f)),
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
// The compiled tests find the fixtures relative to their own folder.
const files = tests.map((f) => path.join(out, f.replace(/\.ts$/, '.js')));
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, BRUMMER_BIN: path.resolve(bin) },
});
process.exit(r.status ?? 1);
