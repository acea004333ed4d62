// Call control forwarded to the leader over the in-process bus, on a fake clock: answers and
// refusals keep their code, a leader that does not answer becomes `timeout`, never a hang.
import { describe, expect, it } from 'vitest';
import { RelayError } from '../../../common/errors';
import { ForwardingControl } from '../../../server/src/cluster/ForwardingControl';
import { InProcessBusNetwork } from '../../../server/src/cluster/InProcessBus';
import { InProcessLease } from '../../../server/src/cluster/InProcessLease';
import { createLogger } from '../../../server/src/logger';
import type { CallControl } from '../../../server/src/sessions/control';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { settle } from './helpers';

async function setup() {
  const clock = new FakeScheduler();
  const network = new InProcessBusNetwork();
  const lease = new InProcessLease(clock);
  const log = createLogger('silent');
  const calls: string[] = [];
  // The leader's own call control: answers two operations, refuses one as the desks would.
  const leaderLocal = {
    async call(op: string, ...args: unknown[]) {
      calls.push(`${op}(${JSON.stringify(args)})`);
      if (op === 'callers.cancel') throw new RelayError('invalid-state', 'you are not waiting');
      if (op === 'inCall.hangup') return undefined;
      return { presence: 'away' };
    },
  } as unknown as CallControl;
  const nobody = { call: () => Promise.reject(new Error('a follower must not run call control')) };
  const ops = new Set(['agents.setPresence', 'callers.cancel', 'inCall.hangup']);
  const leaderBus = await network.connect('leader', clock);
  const followerBus = await network.connect('follower', clock);
  await lease.acquire('leader', 3000);
  let leaderLeads = true;
  const leader = new ForwardingControl({
    local: leaderLocal,
    ops,
    bus: leaderBus,
    lease,
    leading: () => leaderLeads,
    timeoutMs: 1000,
    log,
    scheduler: clock,
  });
  const unserve = await leader.serve();
  const follower = new ForwardingControl({
    local: nobody as unknown as CallControl,
    ops,
    bus: followerBus,
    lease,
    leading: () => false,
    timeoutMs: 1000,
    log,
    scheduler: clock,
  });
  return {
    clock,
    follower,
    calls,
    unserve,
    stopLeading: () => (leaderLeads = false),
    network,
    lease,
    ops,
    leaderLocal,
    log,
    followerBus,
    nobody,
  };
}

describe('ForwardingControl', () => {
  it('runs a follower’s operation on the leader and brings back its answer', async () => {
    const { follower, calls } = await setup();
    await expect(follower.call('agents.setPresence', 'a1', 'away')).resolves.toEqual({ presence: 'away' });
    expect(calls).toEqual(['agents.setPresence(["a1","away"])']);
    // An operation that returns nothing comes back as nothing (JSON has no undefined).
    await expect(follower.call('inCall.hangup', { sessionId: 's', participantId: 'p' })).resolves.toBeNull();
  });

  it('keeps the leader’s refusal code, so the client sees the same error as in one process', async () => {
    const { follower } = await setup();
    const refused = follower.call('callers.cancel', 'c1', 'cancelled');
    await expect(refused).rejects.toBeInstanceOf(RelayError);
    await expect(refused).rejects.toMatchObject({ code: 'invalid-state' });
  });

  it('across a change of leader, asks again (up to retryForMs) until the next leader answers', async () => {
    const { clock, network, lease, ops, leaderLocal, log, followerBus, nobody, calls, stopLeading } =
      await setup();
    stopLeading();
    const patient = new ForwardingControl({
      local: nobody as unknown as CallControl,
      ops,
      bus: followerBus,
      lease,
      leading: () => false,
      timeoutMs: 1000,
      log,
      scheduler: clock,
      retryForMs: 8000,
    });
    const answered = patient.call('agents.setPresence', 'a1', 'away');
    await settle();
    // The old leader refuses (it does not lead) without doing anything; the lease then moves.
    clock.advance(3000);
    await settle();
    await lease.acquire('next', 3000);
    const next = new ForwardingControl({
      local: leaderLocal,
      ops,
      bus: await network.connect('next', clock),
      lease,
      leading: () => true,
      timeoutMs: 1000,
      log,
      scheduler: clock,
    });
    await next.serve();
    for (let i = 0; i < 4; i++) {
      clock.advance(250);
      await settle();
    }
    await expect(answered).resolves.toEqual({ presence: 'away' });
    // Asked once where it was done: the refusals did nothing.
    expect(calls).toEqual(['agents.setPresence(["a1","away"])']);
  });

  it('answers timeout when the leader does not answer, and when no node leads', async () => {
    const { follower, clock, unserve, stopLeading } = await setup();
    stopLeading();
    const refused = follower.call('agents.setPresence', 'a1', 'away');
    await expect(refused).rejects.toMatchObject({ code: 'timeout' });
    await unserve();
    const pending = follower.call('agents.setPresence', 'a1', 'away');
    pending.catch(() => undefined);
    await settle();
    clock.advance(1000);
    await expect(pending).rejects.toMatchObject({ code: 'timeout' });
    clock.advance(3000);
    await expect(follower.call('agents.setPresence', 'a1', 'away')).rejects.toMatchObject({
      code: 'timeout',
    });
  });
});
