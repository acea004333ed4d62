import { describe, expect, it } from 'vitest';
import { ClientMessages, LanguageTag } from '../../common/protocol';

describe('the signalling schemas', () => {
  it('canonicalises BCP-47 tags, sign languages included', () => {
    expect(LanguageTag.parse('kvk')).toBe('kvk');
    expect(LanguageTag.parse('ZH-hant-tw')).toBe('zh-Hant-TW');
    expect(LanguageTag.safeParse('not a tag').success).toBe(false);
    expect(LanguageTag.safeParse('').success).toBe(false);
  });

  it('rejects extra fields, so a payload cannot smuggle state', () => {
    expect(
      ClientMessages['lobby:request'].safeParse({ language: 'ko', mode: 'video', priority: 'head' }).success,
    ).toBe(false);
    expect(ClientMessages['agent:set-presence'].safeParse({ presence: 'in-call' }).success).toBe(false);
  });

  it('checks media parameters for shape before mediasoup sees them', () => {
    const good = {
      transportId: 't',
      dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] },
    };
    expect(ClientMessages['media:connect-transport'].safeParse(good).success).toBe(true);
    const noPrints = { transportId: 't', dtlsParameters: { role: 'client', fingerprints: [] } };
    expect(ClientMessages['media:connect-transport'].safeParse(noPrints).success).toBe(false);
    const badAlgo = {
      transportId: 't',
      dtlsParameters: { fingerprints: [{ algorithm: 'md5', value: 'AB' }] },
    };
    expect(ClientMessages['media:connect-transport'].safeParse(badAlgo).success).toBe(false);
  });
});
