import {
  type ClientErrorCode,
  type ErrorCode,
  type FieldIssue,
  isErrorCode,
  RelayError,
} from '../../common/errors';

/** Every code a request can fail with: the server's, and the ones only a client has. */
export type RequestErrorCode = ErrorCode | ClientErrorCode;

/** What every request of the client rejects with: HTTP `api()` and socket `Signaling.request` alike. */
export type RequestError = RelayError<RequestErrorCode>;

/** True when `err` is a request's refusal, and (if any are given) with one of `codes`. */
export function isRequestError(err: unknown, ...codes: RequestErrorCode[]): err is RequestError {
  return err instanceof RelayError && (codes.length === 0 || codes.includes(err.code as RequestErrorCode));
}

function isFieldIssue(x: unknown): x is FieldIssue {
  return (
    typeof x === 'object' &&
    x !== null &&
    'field' in x &&
    typeof x.field === 'string' &&
    'message' in x &&
    typeof x.message === 'string'
  );
}

/**
 * The server's error body `{ error: { code, message, issues? } }` as a RequestError. Whatever sent it
 * (a proxy's HTML page, a newer server), only a known code is believed; anything else is `internal`.
 */
export function fromErrorBody(body: unknown, fallbackMessage: string): RequestError {
  const error: Record<string, unknown> =
    typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object'
      ? { ...body.error }
      : {};
  const { code, message, issues } = error;
  return new RelayError<RequestErrorCode>(
    isErrorCode(code) ? code : 'internal',
    typeof message === 'string' ? message : fallbackMessage,
    { issues: Array.isArray(issues) ? issues.filter(isFieldIssue) : [] },
  );
}

/** How long a request answered "try again" (the centre changing its leader) is tried again. */
const TRY_AGAIN_FOR_MS = 20_000;
const TRY_AGAIN_EVERY_MS = 1000;

/**
 * Sends `request` until it is answered, while the server answers `timeout` or not at all (the
 * centre is changing its leader, or the connection is coming back), for up to 20 s; any other
 * refusal is final at once.
 */
export async function withRetry<T>(request: () => Promise<T>): Promise<T> {
  const until = Date.now() + TRY_AGAIN_FOR_MS;
  for (;;) {
    try {
      return await request();
    } catch (err) {
      if (!isRequestError(err, 'timeout', 'disconnected') || Date.now() >= until) throw err;
      await new Promise((resolve) => setTimeout(resolve, TRY_AGAIN_EVERY_MS));
    }
  }
}
