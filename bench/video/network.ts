// The caller's network: a namespace of its own joined to this host by a veth pair, addresses from a
// range used only on that pair, an uplink rate cap (tc tbf: this kernel has no netem) and random
// loss (iptables' statistic match). Traffic goes only between the host and the namespace made here.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
const quiet = (cmd: string, args: string[]) => {
  try {
    run(cmd, args);
  } catch {
    // Removing what is not there: nothing to do.
  }
};

export interface NetworkCondition {
  /** Uplink cap, kbit/s; null: none. */
  kbps: number | null;
  /** Share of the caller's outgoing UDP packets dropped at random, 0–1. */
  loss: number;
}

export class CallerNetwork {
  /** The host's end of the pair: the server listens here. */
  readonly hostAddress: string;
  readonly callerAddress: string;
  /** Runs Debian's Chromium inside the namespace (Playwright's pipe to it crosses `ip netns exec`). */
  readonly chromium: string;
  #condition: NetworkCondition = { kbps: null, loss: 0 };

  private constructor(
    private readonly ns: string,
    private readonly hostIf: string,
    private readonly nsIf: string,
    subnet: number,
    private readonly dir: string,
  ) {
    this.hostAddress = `10.${subnet}.0.1`;
    this.callerAddress = `10.${subnet}.0.2`;
    this.chromium = path.join(dir, 'chromium-in-netns');
  }

  /** Needs root (`ip netns`, `tc`, `iptables`); says so rather than failing half-way. */
  static create(chromium: string, name = 'relayvideo', subnet = 213): CallerNetwork {
    if (process.getuid?.() !== 0) throw new Error('bench:video makes a network namespace: run it as root');
    for (const tool of ['ip', 'tc', 'iptables']) {
      try {
        run('sh', ['-c', `command -v ${tool}`]);
      } catch {
        throw new Error(`bench:video needs ${tool} (Debian's iproute2 and iptables)`);
      }
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-video-'));
    const net = new CallerNetwork(name, `${name}h`, `${name}c`, subnet, dir);
    net.#remove(); // what a run that was killed left behind
    run('ip', ['netns', 'add', name]);
    run('ip', ['link', 'add', net.hostIf, 'type', 'veth', 'peer', 'name', net.nsIf]);
    run('ip', ['link', 'set', net.nsIf, 'netns', name]);
    run('ip', ['addr', 'add', `${net.hostAddress}/30`, 'dev', net.hostIf]);
    run('ip', ['link', 'set', net.hostIf, 'up']);
    net.#inNs('ip', ['addr', 'add', `${net.callerAddress}/30`, 'dev', net.nsIf]);
    net.#inNs('ip', ['link', 'set', net.nsIf, 'up']);
    net.#inNs('ip', ['link', 'set', 'lo', 'up']);
    fs.writeFileSync(net.chromium, `#!/bin/sh\nexec ip netns exec ${name} ${chromium} "$@"\n`, {
      mode: 0o755,
    });
    return net;
  }

  get condition(): NetworkCondition {
    return this.#condition;
  }

  /** Sets the caller's uplink to `c`, replacing what was set before. */
  set(c: NetworkCondition): void {
    quiet('ip', ['netns', 'exec', this.ns, 'tc', 'qdisc', 'del', 'dev', this.nsIf, 'root']);
    quiet('ip', ['netns', 'exec', this.ns, 'iptables', '-F', 'OUTPUT']);
    if (c.kbps !== null) {
      // A burst of a few packets and 50 ms of queue: a mobile uplink's buffer, not a bufferbloat one.
      this.#inNs('tc', [
        'qdisc', 'add', 'dev', this.nsIf, 'root', 'tbf',
        'rate', `${c.kbps}kbit`, 'burst', '16kbit', 'latency', '50ms',
      ]); // prettier-ignore
    }
    if (c.loss > 0) {
      this.#inNs('iptables', [
        '-A', 'OUTPUT', '-p', 'udp', '-m', 'statistic', '--mode', 'random',
        '--probability', String(c.loss), '-j', 'DROP',
      ]); // prettier-ignore
    }
    this.#condition = c;
  }

  close(): void {
    this.#remove();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  #inNs(cmd: string, args: string[]): void {
    run('ip', ['netns', 'exec', this.ns, cmd, ...args]);
  }

  #remove(): void {
    quiet('ip', ['link', 'del', this.hostIf]);
    quiet('ip', ['netns', 'del', this.ns]);
  }
}
