// The one error family of the product. Kept free of zod and of Node, so the client imports it too.

/** Every error code an ack or an API answer can carry; the client shows each one's translation. */
export const ERROR_CODES = [
  'invalid-payload',
  'unknown-event',
  'unauthenticated',
  'forbidden',
  /** The password was right, but a supervisor has not approved the account (yet). */
  'awaiting-approval',
  'not-found',
  'invalid-state',
  'invalid-language',
  'expired',
  'taken',
  'rate-limited',
  /** A per-participant cap (transports, producers, consumers) is reached: close one before adding more. */
  'limit-reached',
  'call-ended',
  'media-rejected',
  /** The part of the service that must answer is busy or changing hands (a cluster): try again. */
  'timeout',
  /** This server is shutting down for maintenance: nothing new starts here; call again shortly. */
  'draining',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Failures only a client can have: no server sends these. */
export const CLIENT_ERROR_CODES = ['disconnected', 'media-devices'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** One offending input field, so a form or the CLI can point at it. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * A failure meant to reach whoever asked: its `code` is what they branch on (and what the UI
 * translates), its message is English and for logs. Every server module throws this (or a subclass);
 * the client's requests reject with it too.
 */
export class RelayError<C extends string = ErrorCode> extends Error {
  override name = 'RelayError';
  /** Per-field problems of a refused input (empty otherwise). */
  readonly issues: readonly FieldIssue[];

  constructor(
    readonly code: C,
    message: string,
    options?: ErrorOptions & { issues?: readonly FieldIssue[] },
  ) {
    super(message, options);
    this.issues = options?.issues ?? [];
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}
