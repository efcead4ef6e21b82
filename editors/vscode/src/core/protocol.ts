// The wire contract with `brummer lsp` (shared/PROTOCOL.md): the objects,
// the brummer/* methods and the server's executeCommand ids. Nothing here
// imports vscode, so the same calls are tested against the real server over
// vscode-jsonrpc.

export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface Script {
  name: string;
  command: string;
  dir: string;
  packageManager: string;
  uri: string;
  range: Range;
}

export type ProcessStatus = 'starting' | 'running' | 'stopping' | 'stopped' | 'success' | 'failed';

export interface Url {
  url: string;
  proxyUrl?: string | null;
  processId: string;
  script: string;
}

export interface Process {
  id: string;
  script: string;
  dir: string;
  command: string;
  status: ProcessStatus;
  pid?: number | null;
  exitCode?: number | null;
  startedAt?: string | null;
  endedAt?: string | null;
  errors: number;
  warnings: number;
  urls?: Url[] | null;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogEntry {
  seq: number;
  processId: string;
  time: string;
  stream: 'stdout' | 'stderr' | 'browser' | 'system';
  text: string;
  level: LogLevel;
}

export interface LogsParams {
  processId?: string;
  afterSeq?: number;
  limit?: number;
  level?: LogLevel;
  query?: string;
  tail?: boolean;
}

export interface LogsResult {
  entries: LogEntry[] | null;
  lastSeq: number;
  dropped: number;
}

export interface LogAppended {
  processId: string;
  entries: LogEntry[] | null;
  dropped: number;
}

export interface Problem {
  processId: string;
  uri: string;
  diagnostic: { range: Range; message: string; severity?: number; source?: string; code?: string | number };
}

/** The server's executeCommand ids (registered as VS Code commands by the language client). */
export const serverCommands = {
  run: 'brummer.run',
  stop: 'brummer.stop',
  restart: 'brummer.restart',
  stopAll: 'brummer.stopAll',
  restartAll: 'brummer.restartAll',
  clearLogs: 'brummer.clearLogs',
  openUrl: 'brummer.openUrl',
} as const;

export const notifications = {
  processesChanged: 'brummer/processesChanged',
  urlsChanged: 'brummer/urlsChanged',
  logAppended: 'brummer/logAppended',
} as const;

export interface Disposable {
  dispose(): void;
}

/**
 * What the extension needs of a JSON-RPC connection. Both the language
 * client and a vscode-jsonrpc MessageConnection provide it.
 */
export interface Rpc {
  sendRequest<R>(method: string, params: unknown): Promise<R>;
  onNotification(method: string, handler: (params: any) => void): Disposable;
}

/** Typed calls of the brummer/* requests and server commands. */
export class Brummer {
  constructor(private readonly rpc: Rpc) {}

  scripts(): Promise<Script[]> {
    return this.rpc.sendRequest<Script[] | null>('brummer/scripts', {}).then((s) => s ?? []);
  }

  processes(): Promise<Process[]> {
    return this.rpc.sendRequest<Process[] | null>('brummer/processes', {}).then((p) => p ?? []);
  }

  urls(): Promise<Url[]> {
    return this.rpc.sendRequest<Url[] | null>('brummer/urls', {}).then((u) => u ?? []);
  }

  logs(params: LogsParams): Promise<LogsResult> {
    return this.rpc.sendRequest<LogsResult>('brummer/logs', params);
  }

  problems(processId?: string): Promise<Problem[]> {
    return this.rpc
      .sendRequest<Problem[] | null>('brummer/problems', processId ? { processId } : {})
      .then((p) => p ?? []);
  }

  subscribeLogs(processId: string | null, enabled: boolean): Promise<void> {
    return this.rpc.sendRequest<null>('brummer/subscribeLogs', { processId, enabled }).then(() => undefined);
  }

  private command<R>(command: string, arg: unknown): Promise<R> {
    return this.rpc.sendRequest<R>('workspace/executeCommand', { command, arguments: [arg] });
  }

  run(script: string, dir?: string): Promise<Process> {
    return this.command<Process>(serverCommands.run, dir ? { script, dir } : { script });
  }

  stop(id: string): Promise<Process | null> {
    return this.command<Process | null>(serverCommands.stop, { id });
  }

  restart(id: string): Promise<Process> {
    return this.command<Process>(serverCommands.restart, { id });
  }

  stopAll(): Promise<void> {
    return this.command<null>(serverCommands.stopAll, {}).then(() => undefined);
  }

  restartAll(): Promise<void> {
    return this.command<null>(serverCommands.restartAll, {}).then(() => undefined);
  }

  clearLogs(id?: string): Promise<void> {
    return this.command<null>(serverCommands.clearLogs, id ? { id } : {}).then(() => undefined);
  }
}

/** Whether a process is alive (so Stop applies, Run does not). */
export function isActive(status: ProcessStatus): boolean {
  return status === 'starting' || status === 'running' || status === 'stopping';
}
