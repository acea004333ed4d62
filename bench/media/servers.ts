// The two servers under test, each in a child process of its own: the product (createApp) and
// bare mediasoup. The bench talks to them over IPC and reads their CPU and memory from /proc.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StaffCookies } from '../load/calls';
import { workerPidsOf } from './procStat';

export type Target = 'product' | 'bare';

export interface ServerUnderTest {
  target: Target;
  url: string;
  pid: number;
  workerPids: number[];
  /** Product only: agents and volunteers with sign-in cookies. */
  staff(prefix: string, count: number): Promise<StaffCookies[]>;
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const ENTRY: Record<Target, string> = {
  product: path.join(here, 'productServer.ts'),
  bare: path.join(here, 'bare.ts'),
};

export async function startServer(target: Target, workers: number): Promise<ServerUnderTest> {
  const child: ChildProcess = fork(ENTRY[target], [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, MEDIA_WORKERS: String(workers) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${target} server exited (${code}) before it was ready`)));
    child.on('message', (m: { type: string; url: string; pid: number }) => {
      if (m.type === 'ready') resolve(m);
    });
  });
  child.removeAllListeners('exit');
  let nextId = 0;
  return {
    target,
    url: ready.url,
    pid: ready.pid,
    workerPids: workerPidsOf(ready.pid),
    staff: (prefix, count) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const onExit = (code: number | null) => reject(new Error(`${target} server exited (${code})`));
        const onMessage = (m: { type: string; id: number; staff: StaffCookies[] }) => {
          if (m.type !== 'staff' || m.id !== id) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(m.staff);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ type: 'staff', id, prefix, count });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.disconnect();
      }),
  };
}
