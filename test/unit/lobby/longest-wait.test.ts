import { describe, expect, it } from 'vitest';
import { agentOn, call, harness, ok, takeOffer } from './helpers';

describe('longestWaitByLanguage', () => {
  it('gives each waiting language the wait of its longest-waiting caller', () => {
    const { lobby, advance } = harness();
    expect(lobby.longestWaitByLanguage()).toEqual({});
    call(lobby, 'c1', 'kvk');
    advance(30_000);
    call(lobby, 'c2', 'vi');
    advance(10_000);
    call(lobby, 'c3', 'kvk');
    advance(5_000);
    expect(lobby.longestWaitByLanguage()).toEqual({ kvk: 45_000, vi: 15_000 });
  });

  it('drops a language once its callers are answered, and a requeued caller keeps the time waited', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    advance(12_000);
    const { matchId } = takeOffer(lobby, 'a1');
    expect(lobby.longestWaitByLanguage()).toEqual({});
    advance(20_000);
    ok(lobby.requeueCaller(matchId));
    expect(lobby.longestWaitByLanguage()).toEqual({ ko: 32_000 });
  });
});
