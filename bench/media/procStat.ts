// CPU time and resident memory of a process and its mediasoup workers, read from /proc.
import fs from 'node:fs';

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

export interface ProcSample {
  cpuTicks: number;
  rssBytes: number;
}

function readStat(pid: number): ProcSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: fields are counted from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime 15, rss 24.
  return {
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    rssBytes: Number(fields[21]) * PAGE_BYTES,
  };
}

/** The mediasoup-worker processes a server process has started. */
export function workerPidsOf(pid: number): number[] {
  const pids: number[] = [];
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of children ? children.split(' ').map(Number) : []) {
      const cmd = fs.readFileSync(`/proc/${child}/cmdline`, 'utf8');
      if (cmd.includes('mediasoup-worker')) pids.push(child);
    }
  }
  return pids;
}

export interface ServerSample {
  at: number;
  node: ProcSample;
  workers: ProcSample;
}

export function sampleServer(pid: number, workerPids: number[]): ServerSample {
  const workers = workerPids
    .map(readStat)
    .reduce((sum, s) => ({ cpuTicks: sum.cpuTicks + s.cpuTicks, rssBytes: sum.rssBytes + s.rssBytes }), {
      cpuTicks: 0,
      rssBytes: 0,
    });
  return { at: performance.now(), node: readStat(pid), workers };
}

/** CPU used between two samples, in percent of one core. */
export function cpuPercent(from: ServerSample, to: ServerSample, which: 'node' | 'workers'): number {
  const seconds = (to.at - from.at) / 1000;
  return (((to[which].cpuTicks - from[which].cpuTicks) / CLOCK_TICKS_PER_S) * 100) / seconds;
}

/** Datagrams the kernel dropped, machine-wide, because a UDP socket's receive buffer was full. */
export function udpReceiveBufferDrops(): number {
  const lines = fs
    .readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  const i = names?.indexOf('RcvbufErrors') ?? -1;
  return i < 0 ? NaN : Number(values?.[i]);
}
