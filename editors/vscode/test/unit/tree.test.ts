// The words of the rows, for the states the server test does not reach in
// a second (hours of uptime, a script that never started).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Process } from '../../src/core/protocol';
import { clockTime, formatDuration, problemText, processItem, statusText } from '../../src/core/tree';

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

  it('tells a time as a clock does, with its date on another day', () => {
    const at = new Date(2026, 0, 2, 9, 5).getTime();
    assert.equal(clockTime(at, new Date(2026, 0, 2, 23, 59).getTime()), '09:05');
    assert.equal(clockTime(at, new Date(2026, 0, 3, 0, 1).getTime()), 'Jan 2 09:05');
    assert.equal(clockTime(at, new Date(2027, 0, 2, 9, 5).getTime()), 'Jan 2 09:05');
  });

  it('says where a process is in its life', () => {
    const now = Date.parse('2026-01-01T12:00:30Z');
    // The clock time it started (clockTime's own test covers its forms).
    assert.match(statusText(base, now), /^running since (\w{3} \d{1,2} )?\d\d:\d\d$/);
    assert.equal(statusText({ ...base, status: 'failed', exitCode: null }, now), 'failed');
    assert.equal(statusText({ ...base, status: 'success', exitCode: 0, endedAt: '2026-01-01T10:00:07Z' }, now), 'exited 0 in 7s');
    assert.equal(statusText({ ...base, status: 'stopping' }, now), 'stopping');
    const row = processItem({ ...base, warnings: 2 }, now);
    assert.equal(row.description, `${statusText(base, now)} · 2 warnings`);
    assert.match(row.tooltip!, /http:\/\/localhost:5173\/ → http:\/\/127\.0\.0\.1:40000\//);
    assert.match(row.tooltip!, /pid 42/);
  });
});
