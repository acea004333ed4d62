// The replicated lobby across two "nodes" (each with its own store connection, real time, short
// lease): the standby stays equal to the leader through commands and ticks, takes over when the
// leader dies, and a node that joins late catches up. On both implementations.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Lobby, type LobbyCommand, type LobbyConfig } from '../../../server/src/lobby';
import { LeaseKeeper } from '../../../server/src/cluster/LeaseKeeper';
import { bindLeadership } from '../../../server/src/cluster/leadership';
import { ReplicatedLobby, type AppliedEntry } from '../../../server/src/cluster/ReplicatedLobby';
import { ALL_WEEK } from '../../unit/lobby/helpers';
import { backends, eventually, scheduler, sleep, type Store } from './backends';

const TIMING = { ttlMs: 300, renewEveryMs: 100, safetyMarginMs: 50 };
const CONFIG: Partial<LobbyConfig> = { offerTimeoutMs: 400, invitationTimeoutMs: 600, maxMissedOffers: 2 };

interface Node {
  id: string;
  keeper: LeaseKeeper;
  replica: ReplicatedLobby;
  applied: AppliedEntry[];
  errors: unknown[];
  stop(): Promise<void>;
}

/** Both nodes' states at one instant when they are at the same position (no await in between). */
async function atSamePosition(x: Node, y: Node): Promise<[unknown, unknown]> {
  for (let i = 0; i < 300; i++) {
    if (x.replica.position === y.replica.position) return [stateOf(x), stateOf(y)];
    await sleep(10);
  }
  throw new Error(`${y.id} did not catch up with ${x.id}`);
}

function stateOf(n: Node): unknown {
  const lobby = n.replica.lobby;
  return {
    position: n.replica.position,
    inspect: lobby.inspect(),
    snapshot: lobby.snapshot(),
    next: lobby.nextDeadline(),
  };
}

describe.each(backends)('replicated lobby across nodes ($name)', (backend) => {
  let store: Store;
  const nodes: Node[] = [];
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
    await store.close();
  });

  async function startNode(id: string): Promise<Node> {
    const { lease, log } = await store.node(id);
    const keeper = new LeaseKeeper({ lease, nodeId: id, scheduler, timing: TIMING });
    const replica = new ReplicatedLobby({
      log,
      scheduler,
      createLobby: (clock) => new Lobby(CONFIG, clock),
      nodeId: id,
      followBlockMs: 200,
      retryMs: 50,
    });
    const node: Node = {
      id,
      keeper,
      replica,
      applied: [],
      errors: [],
      async stop() {
        replica.close();
        await keeper.stop({ release: false });
      },
    };
    replica.on('applied', (a) => node.applied.push(a));
    replica.on('error', (e) => node.errors.push(e));
    bindLeadership(keeper, replica);
    await replica.start();
    keeper.start();
    nodes.push(node);
    return node;
  }

  const run = async (leader: Node, command: LobbyCommand) => {
    const r = await leader.replica.run(command);
    if (!r.ok) throw new Error(`${command.op} refused: ${r.error.message}`);
    return r;
  };

  it('keeps the standby equal, fails over to it, and lets a late node catch up', async () => {
    store = await backend.store();
    const a = await startNode('a');
    await eventually(() => a.replica.role === 'leading');
    const b = await startNode('b');
    await eventually(() => b.replica.role === 'following');

    for (const [agentId, languages] of [
      ['ag1', ['kvk']],
      ['ag2', ['ko']],
    ] as const) {
      await run(a, { op: 'upsertAgent', args: [{ agentId, languages: [...languages] }] });
      await run(a, { op: 'setAgentPresence', args: [agentId, 'available'] });
    }
    await run(a, {
      op: 'upsertVolunteer',
      args: [{ volunteerId: 'v1', languages: ['vi'], weeklyHours: ALL_WEEK }],
    });
    await run(a, { op: 'setVolunteerPresence', args: ['v1', 'available'] });
    await run(a, { op: 'enqueueCaller', args: [{ callerId: 'deaf-1', language: 'kvk', mode: 'video' }] });
    const offer = a.replica.lobby.inspect().offers[0];
    expect(offer?.agentId).toBe('ag1');
    await run(a, { op: 'acceptOffer', args: ['ag1', offer?.offerId ?? ''] });
    // A Vietnamese caller: bridged by the Korean agent with the volunteer interpreting.
    await run(a, { op: 'enqueueCaller', args: [{ callerId: 'vi-1', language: 'vi', mode: 'video' }] });
    const bridged = a.replica.lobby.inspect().offers[0];
    expect(bridged).toMatchObject({ agentId: 'ag2', needsInterpreter: true });
    await run(a, { op: 'acceptOffer', args: ['ag2', bridged?.offerId ?? ''] });
    const invitation = a.replica.lobby.inspect().invitations[0];
    await run(a, { op: 'acceptInvitation', args: ['v1', invitation?.invitationId ?? ''] });
    // A Korean caller nobody can take: the fallback deadline and more arrive, and a kvk caller
    // whose offer to a fresh agent expires (leader's timer → tick in the log).
    await run(a, { op: 'upsertAgent', args: [{ agentId: 'ag3', languages: ['kvk'] }] });
    await run(a, { op: 'setAgentPresence', args: ['ag3', 'available'] });
    await run(a, { op: 'enqueueCaller', args: [{ callerId: 'deaf-2', language: 'kvk', mode: 'video' }] });
    await eventually(() => a.applied.some((x) => x.events.some((e) => e.type === 'offer-expired')), 2_000);
    const [sa, sb] = await atSamePosition(a, b);
    expect(sb).toEqual(sa);
    expect(b.applied.filter((x) => 'tick' in x.entry).length).toBeGreaterThan(0);

    // The leader dies (no hand-over). The standby takes over within about the TTL.
    const diedAt = Date.now();
    await a.stop();
    await eventually(() => b.replica.role === 'leading', 2_000);
    expect(Date.now() - diedAt).toBeLessThan(TIMING.ttlMs + 2 * TIMING.renewEveryMs + 600);
    expect(b.replica.epoch).toBe(2);
    await run(b, { op: 'endMatch', args: [b.replica.lobby.inspect().matches[0]?.matchId ?? ''] });
    await run(b, { op: 'enqueueCaller', args: [{ callerId: 'ko-1', language: 'ko', mode: 'text' }] });

    const c = await startNode('c');
    const [sbb, sc] = await atSamePosition(b, c);
    expect(sc).toEqual(sbb);
    expect(c.applied[0]?.position).toBe(1); // no snapshots here: replayed from the start
    const positions = c.applied.map((x) => x.position);
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
    // Entries of both epochs, each once.
    expect(new Set(c.applied.map((x) => x.epoch))).toEqual(new Set([1, 2]));
    expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
  });
});
