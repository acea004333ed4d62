import { describe, expect, it } from 'vitest';
import { RelayError } from '../../../common/errors';
import { Lobby } from '../../../server/src/lobby';
import type { CallCenterEvents } from '../../../server/src/sessions/ports';
import { LobbyDriver } from '../../../server/src/sessions/LobbyDriver';
import { LocalLobbyEngine } from '../../../server/src/sessions/LobbyEngine';
import { FakeScheduler } from '../../helpers/FakeScheduler';

function driver() {
  const scheduler = new FakeScheduler();
  const lobby = new Lobby({ offerTimeoutMs: 1000, maxMissedOffers: 1 }, scheduler.now);
  const told: Array<[keyof CallCenterEvents, unknown[]]> = [];
  const left: string[] = [];
  const d = new LobbyDriver({
    engine: new LocalLobbyEngine(lobby, scheduler),
    notify: (event, ...args) => told.push([event, args]),
    onCallerLeft: (id) => left.push(id),
  });
  return { d, scheduler, told, left };
}

describe('LobbyDriver', () => {
  it('relays the lobby’s events, presence included, and returns the command’s value', async () => {
    const { d, told } = driver();
    await d.run('upsertAgent', { agentId: 'a1', languages: ['ko'] });
    await d.run('setAgentPresence', 'a1', 'available');
    const view = await d.run('enqueueCaller', { callerId: 'c1', language: 'ko', mode: 'video' });
    expect(view).toMatchObject({ position: 1 });
    expect(told.map(([e]) => e)).toEqual(['agent-presence', 'agent-presence', 'agent-offer']);
    expect(told[0]).toEqual(['agent-presence', ['a1', 'available', undefined]]);
    expect(told[1]).toEqual(['agent-presence', ['a1', 'offered', undefined]]);
  });

  it('turns a refusal into a RelayError with the client’s code; a bad argument is a bad payload', async () => {
    const { d } = driver();
    await expect(d.run('setAgentPresence', 'nobody', 'available')).rejects.toMatchObject({
      code: 'not-found',
    });
    const bad = d.run('enqueueCaller', { callerId: '', language: 'ko', mode: 'video' });
    await expect(bad).rejects.toBeInstanceOf(RelayError);
    await expect(bad).rejects.toMatchObject({ code: 'invalid-payload' });
    expect(await d.attempt('finishWrapUp', 'nobody')).toBe(false);
  });

  it('keeps one timer on the lobby’s next deadline: an unanswered offer expires when it falls due', async () => {
    const { d, scheduler, told } = driver();
    await d.run('upsertAgent', { agentId: 'a1', languages: ['ko'] });
    await d.run('setAgentPresence', 'a1', 'available');
    await d.run('enqueueCaller', { callerId: 'c1', language: 'ko', mode: 'video' });
    told.length = 0;
    scheduler.advance(999);
    expect(told).toEqual([]);
    scheduler.advance(1);
    expect(told).toContainEqual(['agent-presence', ['a1', 'away', 'missed-offers']]);
    expect(told.map(([e]) => e)).toContain('agent-offer-ended');
  });

  it('hands the caller-left event to the line, and stops its timer on close', async () => {
    const { d, scheduler, left } = driver();
    await d.run('enqueueCaller', { callerId: 'c1', language: 'ko', mode: 'video' });
    await d.run('cancelCaller', 'c1', 'cancelled');
    expect(left).toEqual(['c1']);
    await d.run('enqueueCaller', { callerId: 'c2', language: 'ko', mode: 'video' });
    expect(scheduler.pending).toBe(1);
    d.close();
    expect(scheduler.pending).toBe(0);
  });
});
