import { RelayError } from '../../../common/errors';

// The media module's refusals, in the one error family: each carries the code the client hears.

/** A participant named a transport, producer or consumer that is not theirs (or not there). */
export class MediaNotFoundError extends RelayError<'not-found'> {
  override name = 'MediaNotFoundError';
  constructor(message: string, options?: ErrorOptions) {
    super('not-found', message, options);
  }
}

/** The call's media is already closed. */
export class MediaClosedError extends RelayError<'call-ended'> {
  override name = 'MediaClosedError';
  constructor(message: string, options?: ErrorOptions) {
    super('call-ended', message, options);
  }
}

/** Media mediasoup cannot use: parameters it refuses, or a browser that cannot decode a producer. */
export class MediaRejectedError extends RelayError<'media-rejected'> {
  override name = 'MediaRejectedError';
  constructor(message: string, options?: ErrorOptions) {
    super('media-rejected', message, options);
  }
}

/** Right object, wrong moment: a transport connected twice, a consumer or producer already closed. */
export class MediaStateError extends RelayError<'invalid-state'> {
  override name = 'MediaStateError';
  constructor(message: string, options?: ErrorOptions) {
    super('invalid-state', message, options);
  }
}

/** A participant already holds as many transports, producers or consumers as MEDIA_LIMITS allows. */
export class MediaLimitError extends RelayError<'limit-reached'> {
  override name = 'MediaLimitError';
  constructor(message: string, options?: ErrorOptions) {
    super('limit-reached', message, options);
  }
}
