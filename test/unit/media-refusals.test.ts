import { describe, expect, it } from 'vitest';
import { RelayError } from '../../common/errors';
import {
  MediaClosedError,
  MediaLimitError,
  MediaNotFoundError,
  MediaRejectedError,
  MediaStateError,
} from '../../server/src/media';
import { foreignCodec, refusalFor } from '../../server/src/media/refusals';

const open = { closed: false };

describe('which mediasoup failures are the client’s doing', () => {
  it('media errors are RelayErrors with their codes', () => {
    const errors = [
      new MediaNotFoundError('x'),
      new MediaClosedError('x'),
      new MediaRejectedError('x'),
      new MediaStateError('x'),
      new MediaLimitError('x'),
    ];
    expect(errors.every((e) => e instanceof RelayError)).toBe(true);
    expect(errors.map((e) => e.code)).toEqual([
      'not-found',
      'call-ended',
      'media-rejected',
      'invalid-state',
      'limit-reached',
    ]);
  });

  it('parameters mediasoup cannot use are media-rejected, the detail kept as the cause', () => {
    const typeError = new TypeError('invalid codec.mimeType');
    const unsupported = Object.assign(new Error('unsupported codec [mimeType:video/VP9]'), {
      name: 'UnsupportedError',
    });
    const clash = new Error('MID already exists in RTP listener [mid:0]');
    for (const err of [typeError, unsupported, clash]) {
      const refusal = refusalFor(err, 'transport', open);
      expect(refusal).toBeInstanceOf(MediaRejectedError);
      expect(refusal?.cause).toBe(err);
    }
  });

  it('a request on an object closed meanwhile is invalid-state, whatever mediasoup said', () => {
    const refusal = refusalFor(new Error('Channel request handler with ID x not found'), 'consumer', {
      closed: true,
    });
    expect(refusal).toBeInstanceOf(MediaStateError);
    expect(refusal?.message).toBe('the consumer is closed');
  });

  it('anything else is ours: no refusal, so it stays a plain error', () => {
    expect(refusalFor(new Error('Channel request timeout'), 'transport', open)).toBeUndefined();
    expect(
      refusalFor(
        Object.assign(new Error('Channel closed'), { name: 'InvalidStateError' }),
        'transport',
        open,
      ),
    ).toBeUndefined();
    expect(refusalFor('not even an Error', 'transport', open)).toBeUndefined();
  });
});

describe('a producer’s codecs are of its own kind', () => {
  const codec = (mimeType: string) => ({ mimeType, payloadType: 96, clockRate: 90000 });
  it('names the first codec of another kind', () => {
    expect(foreignCodec('audio', { codecs: [codec('audio/opus'), codec('video/VP8')] })).toBe('video/VP8');
    expect(foreignCodec('video', { codecs: [codec('audio/opus')] })).toBe('audio/opus');
    expect(foreignCodec('video', { codecs: [codec('VP8')] })).toBe('VP8');
  });

  it('passes its own kind in any letter case, RTX included', () => {
    expect(foreignCodec('video', { codecs: [codec('Video/VP8'), codec('video/rtx')] })).toBeUndefined();
    expect(foreignCodec('audio', { codecs: [codec('audio/opus')] })).toBeUndefined();
  });
});
