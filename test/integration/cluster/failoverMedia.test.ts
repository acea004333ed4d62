// A call's media outlives the node hosting it: over the in-process bus, against real mediasoup
// workers (one pool per host node), a host that vanishes (its bus gone, as when its process is
// killed), stops with the call going, or is only frozen has its calls re-opened on another node.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBusNetwork } from '../../../server/src/cluster/InProcessBus';
import { FailoverCallMedia } from '../../../server/src/cluster/media/FailoverCallMedia';
import { HostWatch } from '../../../server/src/cluster/media/HostWatch';
import { MediaHost } from '../../../server/src/cluster/media/MediaHost';
import { RemoteCallMedia } from '../../../server/src/cluster/media/RemoteCallMedia';
import type { MessageBus } from '../../../server/src/cluster/MessageBus';
import { createLogger } from '../../../server/src/logger';
import { WorkerPool } from '../../../server/src/media';
import { realScheduler } from '../../../server/src/util/scheduler';
import { until } from '../../helpers/waiting';

const log = createLogger('silent');
const scheduler = realScheduler();

interface HostNode {
  nodeId: string;
  bus: MessageBus;
  pool: WorkerPool;
  host: MediaHost;
}

let network: InProcessBusNetwork;
let controller: MessageBus;
const hosts: HostNode[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

async function hostNode(nodeId: string): Promise<HostNode> {
  const pool = await WorkerPool.create(
    { workers: 1, listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', port: 0 },
    log,
  );
  const bus = await network.connect(nodeId, scheduler);
  const host = new MediaHost({ bus, pool, log });
  await host.serve();
  const node = { nodeId, bus, pool, host };
  hosts.push(node);
  return node;
}

beforeAll(async () => {
  network = new InProcessBusNetwork();
  controller = await network.connect('controller', scheduler);
});

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const h of hosts.splice(0)) {
    await h.host.close();
    await h.bus.close().catch(() => undefined);
    h.pool.close();
  }
});

afterAll(async () => {
  await controller?.close();
});

/** A call opened on `first`; a move goes to the first other host not yet left, in order. */
async function callOn(first: HostNode, others: HostNode[], callId: string, reopenDelayMs = 0) {
  const watch = new HostWatch({
    bus: controller,
    scheduler,
    log,
    intervalMs: 100,
    timeoutMs: 300,
    unanswered: 2,
  });
  cleanups.push(() => watch.close());
  const reopened: string[] = [];
  const media = new FailoverCallMedia(
    await RemoteCallMedia.open(controller, first.nodeId, callId, { timeoutMs: 2000, log }),
    {
      reopen: async (avoid) => {
        const next = others.find((h) => !avoid.has(h.nodeId));
        if (!next) throw new Error('no host left');
        reopened.push(next.nodeId);
        if (reopenDelayMs > 0) await new Promise((r) => setTimeout(r, reopenDelayMs));
        return RemoteCallMedia.open(controller, next.nodeId, `${callId}~${reopened.length}`, {
          timeoutMs: 2000,
          log,
        });
      },
      watch: (nodeId, onLost) => watch.watch(nodeId, () => onLost()),
      controlling: () => true,
      log,
    },
  );
  cleanups.push(() => media.close());
  return { media, reopened };
}

describe('a call whose media host goes away', () => {
  it('moves to another node when its host vanishes, with its participants, and says so once', async () => {
    const [a, b] = [await hostNode('host-a'), await hostNode('host-b')];
    const { media, reopened } = await callOn(a, [b], 'call-vanish');
    media.addParticipant('caller');
    media.addParticipant('agent');
    await media.createTransport('caller', 'send');
    expect(a.pool.routerCount).toBe(1);
    let moves = 0;
    media.on('moved', () => (moves += 1));
    const closed: string[] = [];
    media.on('closed', (reason) => closed.push(reason));

    // Killed: its bus goes away without a word (no host-stopped), its workers with it.
    await a.bus.close();
    a.pool.close();
    await until(() => moves === 1, 5000);
    expect(media.hostNodeId).toBe('host-b');
    expect(reopened).toEqual(['host-b']);
    expect(b.pool.routerCount).toBe(1);
    // Both participants are on the new router: each can set media up there.
    const transport = await media.createTransport('agent', 'recv');
    expect(transport.id).toBeTruthy();
    await media.createTransport('caller', 'send');
    expect(closed).toEqual([]);
    expect(media.closed).toBe(false);

    media.close();
    await until(() => b.pool.routerCount === 0);
    expect(moves).toBe(1);
  });

  it('moves, rather than ends, when its host stops with the call still going', async () => {
    const [a, b] = [await hostNode('host-c'), await hostNode('host-d')];
    const { media } = await callOn(a, [b], 'call-stop');
    media.addParticipant('caller');
    const moved = new Promise<void>((resolve) => media.once('moved', () => resolve()));
    await a.host.close();
    await moved;
    expect(media.hostNodeId).toBe('host-d');
    expect(media.closed).toBe(false);
    expect(a.pool.routerCount).toBe(0);
    expect(b.pool.routerCount).toBe(1);
  });

  it('a planned stop goes on forwarding while a page still holds transports there, up to the overlap', async () => {
    const [a, b] = [await hostNode('host-c2'), await hostNode('host-d2')];
    const { media } = await callOn(a, [b], 'call-overlap');
    media.addParticipant('caller');
    // A transport a page holds on the old host (never connected: its DTLS is still 'new').
    await media.createTransport('caller', 'send');
    const moved = new Promise<void>((resolve) => media.once('moved', () => resolve()));
    const started = Date.now();
    const stopping = a.host.close(1500);
    await moved;
    // Moved already, and the old router still forwards for the page that has not left it.
    expect(media.hostNodeId).toBe('host-d2');
    expect(a.pool.routerCount).toBe(1);
    await stopping;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(a.pool.routerCount).toBe(0);
  });

  it('a planned stop with no page on its routers does not wait out the overlap', async () => {
    const [a, b] = [await hostNode('host-c3'), await hostNode('host-d3')];
    const { media } = await callOn(a, [b], 'call-no-overlap');
    media.addParticipant('caller');
    const started = Date.now();
    await a.host.close(60_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(a.pool.routerCount).toBe(0);
  });

  it('moves off a host that is frozen (still subscribed, never answering)', async () => {
    const [a, b] = [await hostNode('host-e'), await hostNode('host-f')];
    const { media } = await callOn(a, [b], 'call-frozen');
    media.addParticipant('caller');
    // Frozen: the node still listens but its handlers never answer.
    await a.host.close();
    await a.bus.handle('host-ping', () => new Promise(() => {}));
    const moved = new Promise<void>((resolve) => media.once('moved', () => resolve()));
    await moved;
    expect(media.hostNodeId).toBe('host-f');
  });

  it('ends, with the reason, when no other node can take the call', async () => {
    const a = await hostNode('host-g');
    const { media } = await callOn(a, [], 'call-alone');
    const closed = new Promise((resolve) => media.once('closed', resolve));
    await a.bus.close();
    a.pool.close();
    expect(await closed).toBe('worker-died');
    expect(media.closed).toBe(true);
    await expect(media.createTransport('caller', 'send')).rejects.toMatchObject({ code: 'invalid-state' });
  });

  it('holds a request made during the move and answers it from the new host', async () => {
    const [a, b] = [await hostNode('host-h'), await hostNode('host-i')];
    const { media, reopened } = await callOn(a, [b], 'call-wait', 300);
    media.addParticipant('caller');
    // By the time close() resolves the host has said it stopped: the move is under way, slowly.
    await a.host.close();
    await until(() => reopened.length === 1);
    expect(media.hostNodeId).toBe('host-h');
    const transport = await media.createTransport('caller', 'send');
    expect(transport.id).toBeTruthy();
    expect(media.hostNodeId).toBe('host-i');
    expect(b.pool.routerCount).toBe(1);
  });

  it('does not move a call that ended: closing it is not losing its host', async () => {
    const [a, b] = [await hostNode('host-j'), await hostNode('host-k')];
    const { media, reopened } = await callOn(a, [b], 'call-ended');
    const closed = new Promise((resolve) => media.once('closed', resolve));
    media.close();
    expect(await closed).toBe('ended');
    await a.bus.close();
    await new Promise((r) => setTimeout(r, 400));
    expect(reopened).toEqual([]);
    expect(b.pool.routerCount).toBe(0);
  });
});
