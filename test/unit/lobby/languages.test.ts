import { describe, expect, it } from 'vitest';
import {
  canonicalLanguage,
  canonicalStaffLanguages,
  languagePrefixes,
  serves,
} from '../../../server/src/lobby/languages';
import { agentOn, call, errorCode, harness, ofType, ok, onlyOffer } from './helpers';

describe('language tags', () => {
  it('canonicalises case, deprecated codes and drops extensions', () => {
    expect(canonicalLanguage('KO')).toBe('ko');
    expect(canonicalLanguage('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(canonicalLanguage('iw')).toBe('he');
    expect(canonicalLanguage('cmn')).toBe('zh');
    expect(canonicalLanguage('en-US-u-ca-gregory')).toBe('en-US');
    expect(canonicalLanguage(' kvk ')).toBe('kvk');
    expect(canonicalLanguage('ase')).toBe('ase');
    expect(canonicalLanguage('jsl')).toBe('jsl');
  });

  it('rejects invalid and undetermined tags', () => {
    for (const bad of ['', 'ko_KR', 'en--US', '123', 'x-private', 'und', 'und-Latn', 'a'.repeat(80)]) {
      expect(canonicalLanguage(bad), bad).toBeNull();
    }
    expect(canonicalLanguage(42)).toBeNull();
    expect(canonicalLanguage(undefined)).toBeNull();
  });

  it('lists prefixes by whole subtags', () => {
    expect(languagePrefixes('zh-Hant-TW')).toEqual(['zh', 'zh-Hant', 'zh-Hant-TW']);
    expect(languagePrefixes('kvk')).toEqual(['kvk']);
  });

  it('a staff tag serves callers it equals or prefixes; scripts and regions are never swapped', () => {
    expect(serves('zh', 'zh-CN')).toBe(true);
    expect(serves('zh', 'zh-Hant')).toBe(true);
    expect(serves('zh', 'zh-Hant-TW')).toBe(true);
    expect(serves('zh-Hant', 'zh-Hant-TW')).toBe(true);
    expect(serves('zh-Hant', 'zh-Hans')).toBe(false);
    expect(serves('zh-Hans', 'zh-Hant')).toBe(false);
    expect(serves('zh-Hant', 'zh-CN')).toBe(false);
    expect(serves('zh-CN', 'zh')).toBe(false);
    expect(serves('ko', 'kvk')).toBe(false);
    // Prefix by subtag, not by string: 'zh' does not serve 'zha' (Zhuang).
    expect(serves('zh', 'zha')).toBe(false);
  });

  it('reduces a staff list to the tags not covered by a broader one', () => {
    expect(canonicalStaffLanguages(['zh-Hant', 'ZH', 'ko', 'ko'])).toEqual({ ok: true, tags: ['ko', 'zh'] });
    expect(canonicalStaffLanguages(['ko', 'nope_'])).toEqual({ ok: false, invalid: 'nope_' });
    expect(canonicalStaffLanguages([])).toMatchObject({ ok: false });
  });
});

describe('language matching in the lobby', () => {
  it('agent zh serves a zh-Hant-TW caller directly', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a-zh', ['ko', 'zh']);
    const offer = onlyOffer(call(lobby, 'c1', 'zh-hant-tw').events);
    expect(offer).toMatchObject({ agentId: 'a-zh', language: 'zh-Hant-TW', needsInterpreter: false });
  });

  it('agent zh-Hant does not serve zh-Hans or bare zh callers', () => {
    const { lobby } = harness();
    ok(lobby.upsertAgent({ agentId: 'a-hant', languages: ['zh-Hant'] }));
    ok(lobby.setAgentPresence('a-hant', 'available'));
    const hans = call(lobby, 'c-hans', 'zh-Hans');
    expect(ofType(hans.events, 'offer')).toHaveLength(0);
    expect(ofType(hans.events, 'fallback-available')[0]).toMatchObject({ reason: 'no-capacity' });
    expect(ofType(call(lobby, 'c-zh', 'zh').events, 'offer')).toHaveLength(0);
    expect(onlyOffer(call(lobby, 'c-hant', 'zh-Hant-HK').events).agentId).toBe('a-hant');
  });

  it('sign languages are languages: a kvk caller goes to the kvk agent, not the ko one', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a-ko', ['ko']);
    agentOn(lobby, 'a-kvk', ['ko', 'kvk']);
    expect(onlyOffer(call(lobby, 'c1', 'kvk').events).agentId).toBe('a-kvk');
  });

  it('an invalid language is refused with invalid-language and changes nothing', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    const before = lobby.inspect();
    expect(errorCode(lobby.enqueueCaller({ callerId: 'c1', language: 'ko_KR', mode: 'video' }))).toBe(
      'invalid-language',
    );
    expect(errorCode(lobby.upsertAgent({ agentId: 'a1', languages: ['ko', '??'] }))).toBe('invalid-language');
    expect(errorCode(lobby.upsertVolunteer({ volunteerId: 'v1', languages: ['x-y'], weeklyHours: [] }))).toBe(
      'invalid-language',
    );
    expect(lobby.inspect()).toEqual(before);
  });
});
