// Each caller costs one file descriptor in the bench and one in the server. Node cannot raise its
// own limit, so processes are (re)started through `sh -c 'ulimit -n …; exec …'` when it is too low.
import fs from 'node:fs';

export interface FdLimit {
  soft: number;
  hard: number;
}

/** This process's open-file limit, from /proc (Linux). */
export function fdLimit(): FdLimit {
  const line = fs
    .readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line?.match(/\s(\d+|unlimited)\s+(\d+|unlimited)\s/) ?? []).slice(1);
  const parse = (v: string | undefined) => (v === 'unlimited' ? Infinity : Number(v));
  if (soft === undefined || hard === undefined) throw new Error('cannot read the open-file limit');
  return { soft: parse(soft), hard: parse(hard) };
}

/** Descriptors a process holding `sockets` sockets needs, with room for the worker, SQLite and logs. */
export function fdsNeeded(sockets: number): number {
  return sockets + 512;
}

/** Why the limit cannot be reached, or null when it can (now or by `ulimit -n`). */
export function fdProblem(needed: number): string | null {
  const { soft, hard } = fdLimit();
  if (soft >= needed) return null;
  if (hard >= needed || process.getuid?.() === 0) return null;
  return (
    `this bench needs ${needed} open files per process but the hard limit is ${hard}; ` +
    `raise it (e.g. \`ulimit -Hn ${needed}\` as root, or LimitNOFILE in systemd) or set fewer ` +
    `SIGNALLING_BENCH_CALLERS`
  );
}

/** `sh -c` arguments that raise the soft limit to `needed` (if lower) and exec `argv`. */
export function shellWithLimit(needed: number, argv: readonly string[]): string[] {
  const quoted = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  const raise = fdLimit().soft >= needed ? '' : `ulimit -n ${needed} && `;
  return ['-c', `${raise}exec ${quoted}`];
}
