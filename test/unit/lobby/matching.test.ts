import { describe, expect, it } from 'vitest';
import { agentOn, call, harness, ofType, ok, onlyOffer, takeOffer, volunteerOn } from './helpers';

describe('two-way and three-way calls', () => {
  it('an available agent with the language takes a two-way call', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    const r = call(lobby, 'c1', 'ko');
    expect(onlyOffer(r.events)).toMatchObject({
      agentId: 'a1',
      callerId: 'c1',
      needsInterpreter: false,
      mode: 'video',
    });
    expect(r.value.position).toBe(1);
    const accepted = ok(lobby.acceptOffer('a1', onlyOffer(r.events).offerId));
    expect(accepted.value).toMatchObject({ callerId: 'c1', needsInterpreter: false });
    expect(ofType(accepted.events, 'matched')[0]).toMatchObject({ agentId: 'a1', needsInterpreter: false });
    expect(ofType(accepted.events, 'matched')[0]).not.toHaveProperty('callback');
    expect(ofType(accepted.events, 'invitation')).toHaveLength(0);
  });

  it('no agent with the language but a volunteer: a ko agent + the volunteer take a three-way call', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    volunteerOn(lobby, 'v1', ['vi']);
    const offer = onlyOffer(call(lobby, 'c1', 'vi').events);
    expect(offer).toMatchObject({ agentId: 'a1', needsInterpreter: true, language: 'vi' });
    const accepted = ok(lobby.acceptOffer('a1', offer.offerId));
    expect(accepted.value.needsInterpreter).toBe(true);
    const inv = ofType(accepted.events, 'invitation');
    expect(inv).toHaveLength(1);
    expect(inv[0]).toMatchObject({ volunteerId: 'v1', matchId: accepted.value.matchId, language: 'vi' });
  });

  it('a kvk caller with no kvk agent is bridged by a kvk volunteer', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    volunteerOn(lobby, 'v-kvk', ['kvk']);
    const offer = onlyOffer(call(lobby, 'c1', 'kvk').events);
    expect(offer.needsInterpreter).toBe(true);
    const { events } = takeOffer(lobby, 'a1');
    expect(ofType(events, 'invitation')[0]?.volunteerId).toBe('v-kvk');
  });

  it('the bridge agent must speak the bridge language', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a-en', ['en']);
    volunteerOn(lobby, 'v1', ['vi']);
    const r = call(lobby, 'c1', 'vi');
    expect(ofType(r.events, 'offer')).toHaveLength(0);
    agentOn(lobby, 'a-ko', ['ko-KR']); // region does not matter for the bridge language
    expect(lobby.inspect().offers[0]).toMatchObject({ agentId: 'a-ko', needsInterpreter: true });
  });

  it('a direct agent is preferred over a longer-idle bridge agent', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a-ko', ['ko']);
    advance(1000);
    agentOn(lobby, 'a-vi', ['ko', 'vi']);
    volunteerOn(lobby, 'v1', ['vi']);
    expect(onlyOffer(call(lobby, 'c1', 'vi').events)).toMatchObject({
      agentId: 'a-vi',
      needsInterpreter: false,
    });
  });

  it('bridged offers never exceed the free volunteers for the language', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    agentOn(lobby, 'a2', ['ko']);
    volunteerOn(lobby, 'v1', ['vi']);
    expect(ofType(call(lobby, 'c1', 'vi').events, 'offer')).toHaveLength(1);
    expect(ofType(call(lobby, 'c2', 'vi').events, 'offer')).toHaveLength(0);
    // The ko caller still gets the second agent.
    expect(onlyOffer(call(lobby, 'c3', 'ko').events).agentId).toBe('a2');
  });

  it('a text caller is served by any agent, whatever the language', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    expect(onlyOffer(call(lobby, 'c1', 'th', 'text').events)).toMatchObject({ agentId: 'a1', mode: 'text' });
  });
});

describe('who gets whom', () => {
  it('longest idle agent first among the eligible', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a1', ['ko']);
    advance(1000);
    agentOn(lobby, 'a2', ['ko']);
    advance(1000);
    agentOn(lobby, 'a3', ['ko']);
    expect(onlyOffer(call(lobby, 'c1', 'ko').events).agentId).toBe('a1');
    expect(onlyOffer(call(lobby, 'c2', 'ko').events).agentId).toBe('a2');
  });

  it('an agent freed after wrap-up goes to the back of the idle line', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c0', 'ko');
    const { matchId } = takeOffer(lobby, 'a1');
    advance(1000);
    agentOn(lobby, 'a2', ['ko']);
    ok(lobby.endMatch(matchId));
    ok(lobby.finishWrapUp('a1'));
    expect(onlyOffer(call(lobby, 'c1', 'ko').events).agentId).toBe('a2');
  });

  it('first come first served within a class, head priority before normal', () => {
    const { lobby, advance } = harness();
    call(lobby, 'c1', 'ko');
    advance(10);
    call(lobby, 'c2', 'ko');
    advance(10);
    ok(lobby.enqueueCaller({ callerId: 'c3', language: 'ko', mode: 'video', priority: 'head' }));
    expect(lobby.inspect().queue.map((q) => q.callerId)).toEqual(['c3', 'c1', 'c2']);
    agentOn(lobby, 'a1', ['ko']);
    expect(lobby.inspect().offers[0]?.callerId).toBe('c3');
    takeOffer(lobby, 'a1');
    agentOn(lobby, 'a2', ['ko']);
    expect(lobby.inspect().offers.map((o) => o.callerId)).toEqual(['c1']);
  });

  it('no head-of-line blocking: a caller nobody can serve yet does not hold up later callers', () => {
    const { lobby } = harness();
    call(lobby, 'c-mn', 'mn');
    agentOn(lobby, 'a1', ['ko']);
    expect(onlyOffer(call(lobby, 'c-ko', 'ko').events).callerId).toBe('c-ko');
  });

  it('no starvation: an agent who can serve the rare caller takes the earliest eligible caller', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a-ko', ['ko']);
    call(lobby, 'c-fill', 'ko');
    const m1 = takeOffer(lobby, 'a-ko').matchId;
    agentOn(lobby, 'a-kvk', ['ko', 'kvk']);
    call(lobby, 'c-fill2', 'ko');
    const m2 = takeOffer(lobby, 'a-kvk').matchId;
    call(lobby, 'k1', 'kvk');
    advance(10);
    for (let i = 0; i < 5; i++) call(lobby, `ko${i}`, 'ko');
    // The ko-only agent frees first and takes the earliest ko caller; the kvk caller keeps waiting.
    ok(lobby.endMatch(m1));
    const free1 = ok(lobby.finishWrapUp('a-ko'));
    expect(onlyOffer(free1.events).callerId).toBe('ko0');
    // The kvk-capable agent frees: the kvk caller arrived before every ko caller still waiting.
    ok(lobby.endMatch(m2));
    const free2 = ok(lobby.finishWrapUp('a-kvk'));
    expect(onlyOffer(free2.events).callerId).toBe('k1');
  });

  it('an agent who can serve several classes takes the earliest caller among them', () => {
    const { lobby, advance } = harness();
    call(lobby, 'c-ko', 'ko');
    advance(10);
    call(lobby, 'c-kvk', 'kvk');
    agentOn(lobby, 'a1', ['kvk', 'ko']);
    expect(lobby.inspect().offers[0]?.callerId).toBe('c-ko');
  });

  it('an agent has at most one offer and a caller at most one offer', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    const r = call(lobby, 'c2', 'ko');
    expect(ofType(r.events, 'offer')).toHaveLength(0);
    agentOn(lobby, 'a2', ['ko']);
    const offers = lobby.inspect().offers;
    expect(offers.map((o) => [o.agentId, o.callerId])).toEqual([
      ['a1', 'c1'],
      ['a2', 'c2'],
    ]);
  });
});
