import type { LobbyEvent, LobbyResult } from '../lobby';

type ErrorCode = 'not-found' | 'invalid-state' | 'invalid-language' | 'expired' | 'taken' | 'internal';

export class CallCenterError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CallCenterError';
  }
}

const LOBBY_ERRORS: Partial<Record<string, ErrorCode>> = {
  'not-found': 'not-found',
  'invalid-state': 'invalid-state',
  'invalid-language': 'invalid-language',
  'invalid-argument': 'invalid-state',
  expired: 'expired',
  taken: 'taken',
};

/** The lobby's answer, or a CallCenterError carrying its code and message. */
export function expectOk<T>(result: LobbyResult<T>): { value: T; events: LobbyEvent[] } {
  if (!result.ok)
    throw new CallCenterError(LOBBY_ERRORS[result.error.code] ?? 'invalid-state', result.error.message);
  return result;
}
