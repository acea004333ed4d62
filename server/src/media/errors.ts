/** Thrown when a participant names a transport, producer or consumer that is not theirs (or not there). */
export class MediaNotFoundError extends Error {
  override name = 'MediaNotFoundError';
  readonly code = 'not-found';
}

/** The call's media is already closed. */
export class MediaClosedError extends Error {
  override name = 'MediaClosedError';
  readonly code = 'call-ended';
}

export class MediaRejectedError extends Error {
  override name = 'MediaRejectedError';
  readonly code = 'media-rejected';
}
