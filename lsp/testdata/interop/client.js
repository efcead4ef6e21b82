// Drives `brummer lsp` with Microsoft's LSP client library, to prove framing
// and shapes against an implementation Brummer did not write.
// Usage: node client.js BRUMMER_BINARY WORKSPACE_DIR
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const { pathToFileURL } = require('url');
const lsp = require('vscode-languageserver-protocol/node');

const [binary, dir] = process.argv.slice(2);
const fileUri = (p) => pathToFileURL(p).href;

function fail(msg) {
  console.error('interop: ' + msg);
  process.exit(1);
}
setTimeout(() => fail('timed out'), 60000).unref();

function waitFor(list, pred, what) {
  return new Promise((resolve, reject) => {
    let timer = null;
    let deadline = null;
    const check = () => {
      const hit = list.find(pred);
      if (!hit) return false;
      clearInterval(timer);
      clearTimeout(deadline);
      resolve(hit);
      return true;
    };
    if (check()) return;
    timer = setInterval(check, 20);
    deadline = setTimeout(() => { clearInterval(timer); reject(new Error('waiting for ' + what)); }, 30000);
  });
}

async function main() {
  const child = spawn(binary, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const conn = lsp.createProtocolConnection(
    new lsp.StreamMessageReader(child.stdout),
    new lsp.StreamMessageWriter(child.stdin),
  );
  const processes = [];
  const diagnostics = [];
  let refreshes = 0;
  conn.onNotification('brummer/processesChanged', (p) => processes.push(p));
  conn.onNotification(lsp.PublishDiagnosticsNotification.type, (p) => diagnostics.push(p));
  conn.onNotification(lsp.LogMessageNotification.type, () => {});
  conn.onRequest(lsp.CodeLensRefreshRequest.type, () => { refreshes++; return null; });
  conn.listen();

  const init = await conn.sendRequest(lsp.InitializeRequest.type, {
    processId: process.pid,
    rootUri: fileUri(dir),
    workspaceFolders: [{ uri: fileUri(dir), name: path.basename(dir) }],
    capabilities: { workspace: { codeLens: { refreshSupport: true } } },
  });
  if (init.capabilities.experimental.brummer.protocol !== 1) fail('protocol ' + JSON.stringify(init.capabilities));
  if (!init.capabilities.executeCommandProvider.commands.includes('brummer.run')) fail('commands');
  if (init.serverInfo.name !== 'brummer') fail('serverInfo');
  await conn.sendNotification(lsp.InitializedNotification.type, {});

  const scripts = await conn.sendRequest('brummer/scripts', {});
  if (!scripts.some((s) => s.name === 'fail' && s.uri === fileUri(path.join(dir, 'package.json')))) fail('scripts ' + JSON.stringify(scripts));

  const proc = await conn.sendRequest(lsp.ExecuteCommandRequest.type, {
    command: 'brummer.run', arguments: [{ script: 'fail', dir }],
  });
  for (const k of ['id', 'script', 'dir', 'command', 'status', 'pid', 'exitCode', 'startedAt', 'endedAt', 'errors', 'warnings', 'urls']) {
    if (!(k in proc)) fail('Process lacks ' + k + ': ' + JSON.stringify(proc));
  }
  const ended = await waitFor(processes, (p) => p.processes.some((x) => x.id === proc.id && x.status === 'failed'), 'processesChanged failed');
  const target = fileUri(path.join(dir, 'src', 'a.ts'));
  const diag = await waitFor(diagnostics, (d) => d.uri === target && d.diagnostics.length === 1, 'publishDiagnostics');
  const d = diag.diagnostics[0];
  if (d.code !== 'TS2322' || d.source !== 'tsc' || d.data.processId !== proc.id) fail('diagnostic ' + JSON.stringify(d));

  const lenses = await conn.sendRequest(lsp.CodeLensRequest.type, { textDocument: { uri: fileUri(path.join(dir, 'package.json')) } });
  let unknown = null;
  try {
    await conn.sendRequest(lsp.ExecuteCommandRequest.type, { command: 'brummer.run', arguments: [{ script: 'nope' }] });
  } catch (e) {
    unknown = { code: e.code, message: e.message };
  }
  if (!unknown || unknown.code !== -32602) fail('unknown script answered ' + JSON.stringify(unknown));

  await conn.sendRequest(lsp.ShutdownRequest.type);
  await conn.sendNotification(lsp.ExitNotification.type);
  const code = await exited;
  conn.dispose();
  console.log(JSON.stringify({
    protocol: init.capabilities.experimental.brummer.protocol,
    process: proc.id,
    finalStatus: ended.processes.find((x) => x.id === proc.id).status,
    diagnostic: { code: d.code, range: d.range },
    lenses: lenses.map((l) => l.command.title),
    unknownScript: unknown.code,
    refreshes,
    exitCode: code,
  }));
  process.exit(0);
}

main().catch((e) => fail(e && e.stack || String(e)));
