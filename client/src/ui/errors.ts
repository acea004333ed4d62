import {
  CLIENT_ERROR_CODES,
  type ClientErrorCode,
  ERROR_CODES,
  type ErrorCode,
  RelayError,
} from '../../../common/errors';
import { t } from '../i18n';

const KNOWN = new Set<string>([...ERROR_CODES, ...CLIENT_ERROR_CODES]);
/** Every code has its `errors.<code>` (tsc checks the key for each member of the union). */
const isKnown = (code: string): code is ErrorCode | ClientErrorCode => KNOWN.has(code);

/**
 * What to tell a person about a failure, in their language. Server messages are English and for
 * logs; the user sees the translation of the error's code (`errors.<code>` in the locale files).
 */
export function errorText(err: unknown): string {
  // Every request rejects with a RelayError (see requestError.ts): its code says what happened.
  if (err instanceof RelayError && isKnown(err.code)) return t(`errors.${err.code}`);
  // socket.io handshake refusals carry the code as their message.
  const message = err instanceof Error ? err.message : '';
  if (isKnown(message)) return t(`errors.${message}`);
  if (
    err instanceof DOMException ||
    (err instanceof Error && /^(NotAllowed|NotFound|NotReadable|Overconstrained)Error$/.test(err.name))
  ) {
    return t('errors.media-devices');
  }
  return t('errors.internal');
}
