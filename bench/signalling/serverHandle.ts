// The bench's side of the measured server process: starts it (with an open-file limit that fits the
// crowd), asks it for figures over IPC, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fdsNeeded, shellWithLimit } from './fdLimit';
import { ServerMessage, type Memory, type ServerRequestType, type Window } from './ipc';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_ENTRY = path.join(REPO_ROOT, 'bench/signalling/serverProcess.ts');
const START_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 120_000;

type Reply = Extract<ServerMessage, { type: 'reply' }>;

export class ServerHandle {
  #nextId = 1;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  readonly #exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (raw: unknown) => {
      const message = ServerMessage.safeParse(raw);
      if (!message.success || message.data.type !== 'reply') return;
      this.#pending.get(message.data.id)?.(message.data);
      this.#pending.delete(message.data.id);
    });
  }

  /** The server process, listening, with room for `sockets` connections. */
  static async start(sockets: number): Promise<ServerHandle> {
    // Extra node flags for the server alone, e.g. `--cpu-prof` to see where its time goes.
    const flags = (process.env['SIGNALLING_BENCH_SERVER_FLAGS'] ?? '').split(' ').filter(Boolean);
    const argv = [process.execPath, '--import', 'tsx', '--expose-gc', ...flags, SERVER_ENTRY];
    const child = spawn('sh', shellWithLimit(fdsNeeded(sockets), argv), {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const ready = await new Promise<Extract<ServerMessage, { type: 'ready' }>>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('the server did not start in time')),
          START_TIMEOUT_MS,
        );
        child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
        child.on('message', (raw: unknown) => {
          const message = ServerMessage.safeParse(raw);
          if (!message.success) return;
          if (message.data.type === 'failed') reject(new Error(`the server failed: ${message.data.message}`));
          if (message.data.type === 'ready') {
            clearTimeout(timer);
            resolve(message.data);
          }
        });
      });
      return new ServerHandle(child, ready.url);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  async measure(): Promise<Memory> {
    const { memory } = await this.#ask('measure');
    if (!memory) throw new Error('the server sent no memory figures');
    return memory;
  }

  async windowStart(): Promise<void> {
    await this.#ask('window-start');
  }

  async windowEnd(): Promise<Window> {
    const { window } = await this.#ask('window-end');
    if (!window) throw new Error('the server sent no window figures');
    return window;
  }

  async heapSnapshot(file: string): Promise<void> {
    await this.#ask('heap-snapshot', { path: file });
  }

  /** Closes the app (and its temp dir) and waits for the process to exit; kills it if it hangs. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.connected) {
      await this.#ask('stop').catch(() => undefined);
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.#exited;
    clearTimeout(timer);
  }

  #ask(type: ServerRequestType, extra: object = {}): Promise<Reply> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`the server did not answer ${type}`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.child.send({ id, type, ...extra });
    });
  }
}
