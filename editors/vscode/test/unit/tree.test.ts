// The words of the rows, for the states the server test does not reach in
// a second (hours of uptime, a script that never started).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Process } from '../../src/core/protocol';
import { formatDuration, problemText, processItem, statusText } from '../../src/core/tree';

const base: Process = {
  id: 'p1',
  script: 'dev',
  dir: '/w',
  command: 'vite',
  status: 'running',
  pid: 42,
  exitCode: null,
  startedAt: '2026-01-01T10:00:00Z',
  endedAt: null,
  errors: 0,
  warnings: 0,
  urls: [{ url: 'http://localhost:5173/', proxyUrl: 'http://127.0.0.1:40000/', processId: 'p1', script: 'dev' }],
};

describe('row words', () => {
  it('formats uptimes', () => {
    assert.deepEqual([0, 4_999, 65_000, 3_600_000 + 12 * 60_000 + 5_000, -5].map(formatDuration), ['0s', '4s', '1m 5s', '1h 12m', '0s']);
  });

  it('counts problems in words', () => {
    assert.equal(problemText({ errors: 0, warnings: 0 }), '');
    assert.equal(problemText({ errors: 1, warnings: 2 }), '1 error, 2 warnings');
    assert.equal(problemText({ errors: 0, warnings: 1 }), '1 warning');
  });

  it('says where a process is in its life', () => {
    const now = Date.parse('2026-01-01T12:00:30Z');
    assert.equal(statusText(base, now), 'running 2h 0m');
    assert.equal(statusText({ ...base, status: 'failed', exitCode: null }, now), 'failed');
    assert.equal(statusText({ ...base, status: 'success', exitCode: 0, endedAt: '2026-01-01T10:00:07Z' }, now), 'exited 0 in 7s');
    assert.equal(statusText({ ...base, status: 'stopping' }, now), 'stopping');
    const row = processItem({ ...base, warnings: 2 }, now);
    assert.equal(row.description, 'running 2h 0m · 2 warnings');
    assert.match(row.tooltip!, /http:\/\/localhost:5173\/ → http:\/\/127\.0\.0\.1:40000\//);
    assert.match(row.tooltip!, /pid 42/);
  });
});
