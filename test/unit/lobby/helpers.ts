// Shared fixtures for the lobby tests: a fake clock and small helpers over results and events.
import { expect } from 'vitest';
import { Lobby } from '../../../server/src/lobby';
import type { LobbyConfig, LobbyEvent, LobbyResult, WeeklyHours } from '../../../server/src/lobby';

/** Monday 3 March 2025, 10:00 in Seoul (UTC+9): inside the default 'day' shift. */
export const MONDAY_10_KST = Date.UTC(2025, 2, 3, 1, 0, 0);
export const ALL_WEEK: WeeklyHours[] = [0, 1, 2, 3, 4, 5, 6].map((day) => ({
  day,
  start: '00:00',
  end: '24:00',
}));

export interface Harness {
  lobby: Lobby;
  now: () => number;
  advance: (ms: number) => LobbyEvent[];
  setTime: (t: number) => void;
}

export function harness(config: Partial<LobbyConfig> = {}, start = MONDAY_10_KST): Harness {
  let now = start;
  const lobby = new Lobby(config, () => now);
  return {
    lobby,
    now: () => now,
    setTime: (t: number) => {
      now = t;
    },
    advance: (ms: number) => {
      now += ms;
      return lobby.tick();
    },
  };
}

/** Unwraps a successful result, failing the test with the error otherwise. */
export function ok<T>(r: LobbyResult<T>): { value: T; events: LobbyEvent[] } {
  if (!r.ok) expect.fail(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return { value: r.value, events: r.events };
}

export function errorCode<T>(r: LobbyResult<T>): string {
  if (r.ok) expect.fail('expected an error');
  return r.error.code;
}

export function ofType<K extends LobbyEvent['type']>(
  events: LobbyEvent[],
  type: K,
): Extract<LobbyEvent, { type: K }>[] {
  return events.filter((e): e is Extract<LobbyEvent, { type: K }> => e.type === type);
}

export function onlyOffer(events: LobbyEvent[]): Extract<LobbyEvent, { type: 'offer' }> {
  const offers = ofType(events, 'offer');
  expect(offers).toHaveLength(1);
  return offers[0] as Extract<LobbyEvent, { type: 'offer' }>;
}

/** Registers an agent and makes them available; returns the events of going available. */
export function agentOn(lobby: Lobby, agentId: string, languages: string[], shift?: string): LobbyEvent[] {
  ok(lobby.upsertAgent({ agentId, languages, ...(shift === undefined ? {} : { shift }) }));
  return ok(lobby.setAgentPresence(agentId, 'available')).events;
}

export function volunteerOn(
  lobby: Lobby,
  volunteerId: string,
  languages: string[],
  weeklyHours: WeeklyHours[] = ALL_WEEK,
): LobbyEvent[] {
  ok(lobby.upsertVolunteer({ volunteerId, languages, weeklyHours }));
  return ok(lobby.setVolunteerPresence(volunteerId, 'available')).events;
}

export function call(lobby: Lobby, callerId: string, language: string, mode: 'video' | 'text' = 'video') {
  return ok(lobby.enqueueCaller({ callerId, language, mode }));
}

/** Agent takes the pending offer; returns the match id. */
export function takeOffer(lobby: Lobby, agentId: string): { matchId: string; events: LobbyEvent[] } {
  const offer = lobby.inspect().offers.find((o) => o.agentId === agentId);
  if (offer === undefined) expect.fail(`agent ${agentId} has no offer`);
  const r = ok(lobby.acceptOffer(agentId, offer.offerId));
  return { matchId: r.value.matchId, events: r.events };
}

/** Busy agent: registered, available, then put into a call with a throwaway caller. */
export function busyAgent(lobby: Lobby, agentId: string, languages: string[]): string {
  agentOn(lobby, agentId, languages);
  call(lobby, `filler-${agentId}`, languages[0] as string);
  return takeOffer(lobby, agentId).matchId;
}
