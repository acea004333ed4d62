import { ERROR_CODES } from '../../../common/errors';
import { t } from '../i18n';

/** Client-side failures that have no server code. */
const CLIENT_CODES = ['timeout', 'disconnected', 'media-devices'] as const;
const KNOWN = new Set<string>([...ERROR_CODES, ...CLIENT_CODES]);

/**
 * What to tell a person about a failure, in their language. Server messages are English and for
 * logs; the user sees the translation of the error's code (`errors.<code>` in the locale files).
 */
export function errorText(err: unknown): string {
  const code =
    typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (KNOWN.has(code)) return t(`errors.${code}`);
  // socket.io handshake refusals carry the code as their message.
  const message = err instanceof Error ? err.message : '';
  if (KNOWN.has(message)) return t(`errors.${message}`);
  if (
    err instanceof DOMException ||
    (err instanceof Error && /^(NotAllowed|NotFound|NotReadable|Overconstrained)Error$/.test(err.name))
  ) {
    return t('errors.media-devices');
  }
  return t('errors.internal');
}
