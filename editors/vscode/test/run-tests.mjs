// Bundles the *.test.ts files of a folder with esbuild and runs them with
// node's test runner, one file at a time; used by unit/run.mjs and e2e/run.mjs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** Exits the process with the test runner's status. */
export async function runTests(dir, out, { args = [], env = process.env } = {}) {
  fs.rmSync(out, { recursive: true, force: true });
  const tests = fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts'));
  await esbuild.build({
    entryPoints: tests.map((f) => path.join(dir, f)),
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
  const r = spawnSync(
    process.execPath,
    ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-concurrency=1', ...args, ...files],
    { stdio: 'inherit', env },
  );
  process.exit(r.status ?? 1);
}
