import type { types } from 'mediasoup';
import type { RelayError } from '../../../common/errors';
import { MediaRejectedError, MediaStateError } from './errors';

/** What the client hears when mediasoup refuses its parameters (the detail stays in our log). */
export const PARAMETERS_REFUSED = 'The media parameters were not accepted.';

/**
 * mediasoup's own signs that the parameters are unusable: its validation and serialisers throw
 * TypeError (so does the worker for invalid values), its codec matching throws UnsupportedError
 * (not exported, hence by name).
 */
function refusesParameters(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof Error && err.name === 'UnsupportedError');
}

/**
 * The worker refuses a stream that clashes with one already on the transport (same SSRC, MID or
 * RID) with a plain Error; only its message tells it from a failure of ours.
 */
const STREAM_CLASH = /already exists in RTP listener/;

/**
 * The refusal a client should hear for a mediasoup failure it caused, or undefined when the failure
 * is ours (it then stays a plain error: `internal`, logged at error). `target` is the object the
 * request was about (`what` names it): if it is closed by now, that is why the request failed.
 */
export function refusalFor(
  err: unknown,
  what: string,
  target: { readonly closed: boolean },
): RelayError | undefined {
  if (target.closed) return new MediaStateError(`the ${what} is closed`, { cause: err });
  if (refusesParameters(err)) return new MediaRejectedError(PARAMETERS_REFUSED, { cause: err });
  if (err instanceof Error && STREAM_CLASH.test(err.message)) {
    return new MediaRejectedError(PARAMETERS_REFUSED, { cause: err });
  }
  return undefined;
}

/**
 * The first codec that is not of the producer's kind: mediasoup matches codecs by MIME type alone,
 * so it would take a "microphone" that sends VP8, and every consumer of it would be broken.
 */
export function foreignCodec(kind: types.MediaKind, rtpParameters: types.RtpParameters): string | undefined {
  return rtpParameters.codecs.find((c) => !c.mimeType.toLowerCase().startsWith(`${kind}/`))?.mimeType;
}
