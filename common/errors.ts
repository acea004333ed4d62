/** Every error code an ack can carry; the client shows each one's translation. Kept free of zod so the client can import it. */
export const ERROR_CODES = [
  'invalid-payload',
  'unknown-event',
  'unauthenticated',
  'forbidden',
  'not-found',
  'invalid-state',
  'invalid-language',
  'expired',
  'taken',
  'rate-limited',
  'call-ended',
  'media-rejected',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
