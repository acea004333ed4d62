/** JSON over the HTTP API; the session cookie (HttpOnly) goes along by itself. */
import { RelayError } from '../../common/errors';
import { fromErrorBody, type RequestErrorCode } from './requestError';

/**
 * Sends a request and resolves with the JSON answer. Rejects with a RequestError (a RelayError):
 * the server's code and per-field issues, or `disconnected` when no answer came at all.
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: { 'content-type': 'application/json', ...init.headers },
      credentials: 'same-origin',
    });
  } catch (cause) {
    // fetch only rejects when there was no HTTP answer (offline, server down, CSP).
    throw new RelayError<RequestErrorCode>('disconnected', `${path}: no answer from the server`, { cause });
  }
  const body: unknown = await res.json().catch(() => ({}));
  if (!res.ok) throw fromErrorBody(body, res.statusText);
  return body as T;
}
