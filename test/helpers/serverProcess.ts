// A server a test starts itself (redis-server, turnserver): watched from spawn to ready, stopped by
// its own PID (never by name, never as a system service), and killed if the test process dies first.
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';

const READY_TIMEOUT_MS = 10_000;

export interface ServerProcess {
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Stops the server (SIGTERM to its PID), waits for it to exit, removes its directory. Safe twice. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Waits until `ready()` holds, polling every 50 ms. Throws (after stopping it) if the binary is
 * missing (`missing` says which package to install), if it exits, or if it is not ready in time;
 * `detail` adds what the server said (its log) to the message.
 */
export async function superviseServer(
  child: ChildProcess,
  opts: {
    name: string;
    dir: string;
    missing: string;
    ready: () => Promise<boolean>;
    notReady: string;
    detail?: () => Promise<string>;
  },
): Promise<ServerProcess> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
    await rm(opts.dir, { recursive: true, force: true });
  };

  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(opts.missing) : error),
    ),
  );
  spawnError.catch(() => {}); // observed below; never left unhandled
  const said = async () => stderr + ((await opts.detail?.()) ?? '');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`${opts.name} exited (${child.exitCode}): ${await said()}`);
      if (await Promise.race([opts.ready(), spawnError])) break;
      if (Date.now() > deadline) throw new Error(`${opts.name} ${opts.notReady}: ${await said()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stderr: () => stderr, stop };
}
