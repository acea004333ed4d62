import { createHmac } from 'node:crypto';
import type { IceConfig } from '../../../common/protocol';
import type { TurnConfig } from '../config';

/**
 * A TURN credential in the form of the TURN REST API (draft-uberti-behave-turn-rest), which
 * coturn checks with `use-auth-secret` / `static-auth-secret`: the username is
 * "<expiry, unix seconds>:<who>", the password base64(HMAC-SHA1(secret, username)). Any TURN
 * server holding the same secret can verify it; nothing is stored, so every node of a cluster
 * makes valid ones alike.
 */
export function turnCredential(
  secret: string,
  who: string,
  expiresAtS: number,
): { username: string; credential: string } {
  const username = `${expiresAtS}:${who}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** No TURN configured: the browser gathers its own candidates and may use them all. */
const DIRECT: IceConfig = { iceServers: [], iceTransportPolicy: 'all' };

/**
 * What a participant's browser needs to reach media through TURN, with fresh credentials that
 * expire `credentialTtlS` from `nowMs`. coturn checks the expiry when an allocation is made, not
 * while it lasts, so a call may outlive its credentials; a media restart asks for new ones.
 */
export function iceConfigFor(turn: TurnConfig | null, participantId: string, nowMs: number): IceConfig {
  if (!turn) return DIRECT;
  const expiresAtS = Math.floor(nowMs / 1000) + turn.credentialTtlS;
  return {
    iceServers: [{ urls: turn.urls, ...turnCredential(turn.secret, participantId, expiresAtS) }],
    iceTransportPolicy: turn.iceTransportPolicy,
  };
}
