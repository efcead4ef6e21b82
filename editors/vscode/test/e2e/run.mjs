// make vscode-e2e: bundles the end-to-end test and runs it with node's test
// runner (VSIX names the package to install; make builds it).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '../run-tests.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
await runTests(here, path.resolve(here, '../../out/e2e'), { args: ['--test-timeout=300000'] });
