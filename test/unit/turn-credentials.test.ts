import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TurnConfig } from '../../server/src/config';
import { iceConfigFor, turnCredential } from '../../server/src/media/turnCredentials';

const SECRET = 'north-star-shared-secret';
const turn: TurnConfig = {
  urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'],
  secret: SECRET,
  credentialTtlS: 3600,
  iceTransportPolicy: 'relay',
};

describe('TURN credentials (the TURN REST API form coturn checks with use-auth-secret)', () => {
  it('match a vector computed outside Node', () => {
    // printf '%s' '1700003600:participant-1' | openssl dgst -sha1 -hmac 'north-star-shared-secret' -binary | base64
    expect(turnCredential(SECRET, 'participant-1', 1_700_003_600)).toEqual({
      username: '1700003600:participant-1',
      credential: 'lUEo0kewhWspGPds6fcf7+/yETQ=',
    });
  });

  it('expire the configured time after now, named after the participant', () => {
    const nowMs = 1_700_000_000_999; // the fraction of a second does not count
    const ice = iceConfigFor(turn, 'participant-1', nowMs);
    expect(ice.iceTransportPolicy).toBe('relay');
    expect(ice.iceServers).toHaveLength(1);
    const [server] = ice.iceServers;
    expect(server?.urls).toEqual(turn.urls);
    expect(server?.username).toBe('1700003600:participant-1');
    expect(server?.credential).toBe(createHmac('sha1', SECRET).update(server!.username).digest('base64'));
  });

  it('are new for each later transport, and another secret does not verify them', () => {
    const first = iceConfigFor(turn, 'p', 1_700_000_000_000).iceServers[0]!;
    const later = iceConfigFor(turn, 'p', 1_700_000_060_000).iceServers[0]!;
    expect(later.username).toBe('1700003660:p');
    expect(later.credential).not.toBe(first.credential);
    expect(turnCredential('another-secret-of-16+', 'p', 1_700_003_600).credential).not.toBe(first.credential);
  });

  it('are not made without TURN: no ICE servers, every candidate allowed', () => {
    expect(iceConfigFor(null, 'p', 1_700_000_000_000)).toEqual({ iceServers: [], iceTransportPolicy: 'all' });
  });
});
