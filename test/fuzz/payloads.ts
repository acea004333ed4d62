// What the fuzzer sends: fast-check arbitraries for messages from malformed to almost valid, with
// hostile media parameters. Ids of live objects (tokens, transports, producers…) are not known when a
// message is generated: a `Ref` stands in for one and is resolved against the pools when it is sent.
import fc from 'fast-check';
import { ClientMessages, type ClientMessageName } from '../../common/protocol';

export type PoolName =
  | 'token'
  | 'transport'
  | 'producer'
  | 'consumer'
  | 'offer'
  | 'invitation'
  | 'resumeKey'
  | 'surveyKey'
  | 'caps';

/** A placeholder for the `pick`-th id of a pool (another call's or this socket's own). */
export class Ref {
  constructor(
    readonly pool: PoolName,
    readonly pick: number,
  ) {}
}

export type Shape = 'payload+ack' | 'ack-only' | 'payload-no-ack' | 'extra-args+ack' | 'nothing';

export type Message =
  | { kind: 'event'; slot: number; event: string; payload: unknown; shape: Shape; refs: boolean }
  /** A raw socket.io frame, written under the client's parser (reserved names, broken packets). */
  | { kind: 'raw'; slot: number; frame: string }
  /** A connection attempt on a staff namespace without a valid sign-in for it. */
  | { kind: 'connect'; slot: number; cookie: 'none' | 'forged' | 'garbage' | 'other-role' | 'huge' };

const ref = (pool: PoolName) => fc.nat().map((n) => new Ref(pool, n));

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202e\u2066evil',
  '\u200b\u200d\ufeff',
  '\ud800',
  '\udfff\ud800',
  '🙂'.repeat(300),
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '../../../etc/passwd',
  '%s%n%x',
  '<img src=x onerror=alert(1)>',
  "' OR 1=1 --",
  'null',
  'undefined',
  'NaN',
];

const hugeString = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
  // Past socket.io's 1 MB message limit: the server drops the connection.
  { weight: 1, arbitrary: fc.constant('y'.repeat(1_100_000)) },
);

export const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: hugeString },
);

export const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    -1,
    0,
    2 ** 53 + 1,
    1e308,
    -1e308,
    0x1_0000_0000,
    128,
    256,
    1.5,
  ),
);

/** Arrays or objects nested up to thousands deep. */
const deep = fc.tuple(fc.integer({ min: 10, max: 3000 }), fc.boolean()).map(([depth, asArray]) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
});

/** Keys that pollute a prototype if anyone merges them naively (own keys, as JSON.parse makes them). */
const pollution = fc.constantFrom(
  () => JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown,
  () => JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}') as unknown,
  () => JSON.parse('{"language":"ko","mode":"video","__proto__":{"polluted":"yes"}}') as unknown,
  () =>
    JSON.parse('{"rtpCapabilities":{"codecs":[],"__proto__":{"polluted":"yes"}},"__proto__":[1]}') as unknown,
);

export const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withTypedArray: true }) },
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: deep },
  { weight: 2, arbitrary: pollution.map((make) => make()) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, [], {}) },
);

/** Mostly the given values, sometimes garbage in their place. */
const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: garbage });

const idOf = (pool: PoolName) =>
  fc.oneof(
    { weight: 6, arbitrary: ref(pool) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 100 }) },
  );

// Languages no world of the fuzzer serves, so that callers asking for them just wait.
const language = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('en', 'fr', 'de', 'es', 'ru', 'ar', 'zh-CN', 'sgn-US') },
  { weight: 1, arbitrary: fc.string({ minLength: 2, maxLength: 35 }) },
);

const URIS = [
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'urn:3gpp:video-orientation',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension',
  'urn:bogus',
];
const MIME = ['audio/opus', 'video/VP8', 'video/VP9', 'video/H264', 'video/AV1', 'video/rtx', 'audio/PCMU'];
const mime = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MIME) },
  { weight: 1, arbitrary: fc.constantFrom('video/H265', 'audio/x-bogus', 'opus', '', 'VIDEO/vp8') },
);
const codecParameters = fc.dictionary(
  fc.constantFrom(
    'apt',
    'profile-level-id',
    'packetization-mode',
    'level-asymmetry-allowed',
    'useinbandfec',
    'x',
  ),
  fc.oneof(fc.integer({ min: -5, max: 200 }), fc.string({ maxLength: 20 })),
  { maxKeys: 4 },
);
const rtcpFeedback = fc.array(
  fc.record(
    {
      type: fc.constantFrom('nack', 'ccm', 'goog-remb', 'transport-cc', 'bogus'),
      parameter: fc.constantFrom('pli', 'fir', ''),
    },
    { requiredKeys: ['type'] },
  ),
  { maxLength: 4 },
);
const payloadType = fc.oneof(fc.integer({ min: 0, max: 127 }), fc.constantFrom(96, 100, 111));
const ssrc = fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(0, 1, 1111, 0xffff_ffff));

/** Bogus but schema-shaped media parameters: they reach mediasoup itself. */
export const dtlsParameters = fc.record(
  {
    role: fc.constantFrom('auto', 'client', 'server'),
    fingerprints: fc.array(
      fc.record({
        algorithm: fc.constantFrom('sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512'),
        value: fc.oneof(
          fc.constantFrom('AB:CD', '', 'zz', 'AB:CD:'.repeat(32).slice(0, 95)),
          fc.stringMatching(/^[0-9A-F:]{0,200}$/),
        ),
      }),
      { minLength: 1, maxLength: 10 },
    ),
  },
  { requiredKeys: ['fingerprints'] },
);

export const rtpParameters = fc.record(
  {
    mid: fc.oneof(fc.constantFrom('0', '1', ''), fc.string({ maxLength: 20 })),
    codecs: fc.array(
      fc.record(
        {
          mimeType: mime,
          payloadType,
          clockRate: fc.oneof(fc.constantFrom(48000, 90000, 8000), fc.integer({ min: 1, max: 2 ** 31 - 1 })),
          channels: fc.integer({ min: 1, max: 16 }),
          parameters: codecParameters,
          rtcpFeedback,
        },
        { requiredKeys: ['mimeType', 'payloadType', 'clockRate'] },
      ),
      { minLength: 1, maxLength: 4 },
    ),
    headerExtensions: fc.array(
      fc.record(
        { uri: fc.constantFrom(...URIS), id: fc.integer({ min: 1, max: 255 }), encrypt: fc.boolean() },
        {
          requiredKeys: ['uri', 'id'],
        },
      ),
      { maxLength: 6 },
    ),
    encodings: fc.array(
      fc.record(
        {
          ssrc,
          rid: fc.oneof(fc.constantFrom('r0', 'r1', 'h', 'q', ''), fc.string({ maxLength: 32 })),
          codecPayloadType: payloadType,
          rtx: fc.record({ ssrc }),
          dtx: fc.boolean(),
          scalabilityMode: fc.constantFrom('L1T3', 'L3T3_KEY', 'S3T3', 'L9T9', 'bogus', ''),
          maxBitrate: fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constant(0)),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 5 },
    ),
    rtcp: fc.record(
      { cname: fc.string({ maxLength: 100 }), reducedSize: fc.boolean() },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['codecs'] },
);

export const rtpCapabilities = fc.oneof(
  // The router's own capabilities (someone else's call's, or this one's).
  { weight: 2, arbitrary: ref('caps') },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        codecs: fc.array(
          fc.record(
            {
              kind: fc.constantFrom('audio', 'video'),
              mimeType: mime,
              preferredPayloadType: payloadType,
              clockRate: fc.constantFrom(48000, 90000, 1),
              channels: fc.integer({ min: 1, max: 16 }),
              parameters: codecParameters,
              rtcpFeedback,
            },
            { requiredKeys: ['kind', 'mimeType', 'preferredPayloadType', 'clockRate'] },
          ),
          { maxLength: 6 },
        ),
        headerExtensions: fc.array(
          fc.record({
            kind: fc.constantFrom('audio', 'video'),
            uri: fc.constantFrom(...URIS),
            preferredId: fc.integer({ min: 1, max: 255 }),
          }),
          { maxLength: 6 },
        ),
      },
      { requiredKeys: ['codecs'] },
    ),
  },
);

const key = (pool: PoolName) =>
  fc.oneof({ weight: 3, arbitrary: ref(pool) }, { weight: 1, arbitrary: hostileString });

/** The fields of each event's payload, with values from valid to hostile. */
const FIELDS: Record<ClientMessageName, Record<string, fc.Arbitrary<unknown>>> = {
  'lobby:request': { language, mode: fc.constantFrom('video', 'text') },
  'lobby:cancel': {},
  'lobby:resume': { resumeKey: key('resumeKey') },
  'lobby:choose-fallback': { choice: fc.constantFrom('wait', 'text', 'callback') },
  'call:rate': {
    surveyKey: key('surveyKey'),
    rating: fc.oneof(fc.integer({ min: 1, max: 5 }), hostileNumber),
  },
  'agent:set-presence': {
    presence: fc.constantFrom('available', 'away'),
    reason: fc.constantFrom('break', 'meal', 'after-difficult-call', 'missed-offers', 'nap'),
  },
  'agent:accept-offer': { offerId: idOf('offer') },
  'agent:decline-offer': { offerId: idOf('offer') },
  'agent:request-interpreter': { language },
  'agent:remove-interpreter': { replace: fc.boolean() },
  'volunteer:set-presence': { presence: fc.constantFrom('available', 'away') },
  'volunteer:accept-invitation': { invitationId: idOf('invitation') },
  'volunteer:decline-invitation': { invitationId: idOf('invitation') },
  'agent:wrap-up': {
    resolved: fc.boolean(),
    category: fc.constantFrom('information', 'complaint', 'other'),
    note: fc.oneof(fc.string({ maxLength: 500 }), hostileString),
  },
  'session:join': { token: key('token') },
  'session:hangup': {},
  'media:create-transport': { direction: fc.constantFrom('send', 'recv') },
  'media:connect-transport': { transportId: idOf('transport'), dtlsParameters },
  'media:produce': {
    transportId: idOf('transport'),
    kind: fc.constantFrom('audio', 'video'),
    rtpParameters,
    source: fc.constantFrom('camera', 'microphone'),
  },
  'media:consume': { transportId: idOf('transport'), producerId: idOf('producer'), rtpCapabilities },
  'media:resume-consumer': { consumerId: idOf('consumer') },
  'media:set-producer-paused': { producerId: idOf('producer'), paused: fc.boolean() },
  'media:restart': {},
  'chat:send': { text: fc.oneof(fc.string({ minLength: 1, maxLength: 100 }), hostileString) },
  'rtt:update': { text: fc.oneof(fc.string({ maxLength: 100 }), hostileString) },
};

const EVENTS = Object.keys(ClientMessages) as ClientMessageName[];

/** A payload shaped like the event's, each field mostly valid; sometimes a key missing or one too many. */
function almostValid(event: ClientMessageName): fc.Arbitrary<unknown> {
  const fields = FIELDS[event];
  const names = Object.keys(fields);
  if (names.length === 0) return fc.constantFrom(undefined, null, {}, { extra: 1 });
  const record = fc.record(Object.fromEntries(names.map((n) => [n, mostly(fields[n]!)])), {
    requiredKeys: names,
  });
  return fc
    .tuple(
      record,
      fc.option(fc.constantFrom(...names), { freq: 8 }),
      fc.option(fc.constantFrom('extra', '__proto__', 'constructor'), { freq: 10 }),
    )
    .map(([payload, drop, extra]) => {
      const out: Record<string, unknown> = { ...payload };
      if (drop) delete out[drop];
      if (extra) Object.defineProperty(out, extra, { value: 1, enumerable: true, writable: true });
      return out;
    });
}

const UNKNOWN_EVENTS = [
  'no:such-event',
  '',
  ' ',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'SESSION:JOIN',
  'session:join ',
  'lobby:request\u0000',
  '🙂',
  'x'.repeat(1000),
];

const eventMessage = fc
  .tuple(
    fc.nat(),
    fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...EVENTS) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...UNKNOWN_EVENTS), fc.string({ maxLength: 30 })) },
    ),
    fc.constantFrom<Shape>(
      ...Array<Shape>(14).fill('payload+ack'),
      'ack-only',
      'ack-only',
      'payload-no-ack',
      'payload-no-ack',
      'extra-args+ack',
      'nothing',
    ),
  )
  .chain(([slot, event, shape]) => {
    const known = (EVENTS as string[]).includes(event);
    const payload = known
      ? fc.oneof(
          { weight: 3, arbitrary: almostValid(event as ClientMessageName) },
          { weight: 2, arbitrary: garbage },
        )
      : garbage;
    return payload.map((p): Message => ({ kind: 'event', slot, event, payload: p, shape, refs: known }));
  });

/** Frames socket.io's client would never write: reserved names, broken JSON, unknown namespaces. */
const rawMessage = fc
  .tuple(
    fc.nat(),
    fc.constantFrom(
      '42{ns},["disconnect"]',
      '42{ns},["connect"]',
      '42{ns},["newListener","x"]',
      '42{ns},["error",{}]',
      '42{ns},[',
      '42{ns},{"a":1}',
      '42{ns},[1,2,3]',
      '42{ns},[null]',
      '451-{ns},["media:produce",{"_placeholder":true,"num":7}]',
      '4',
      '49',
      '40/no-such-namespace,',
      '42/no-such-namespace,["x"]',
      '41{ns},',
      '2probe',
    ),
  )
  .map(([slot, frame]): Message => ({ kind: 'raw', slot, frame }));

const connectMessage = fc
  .tuple(fc.nat(), fc.constantFrom('none', 'forged', 'garbage', 'other-role', 'huge') as fc.Arbitrary<'none'>)
  .map(([slot, cookie]): Message => ({ kind: 'connect', slot, cookie }));

export const message: fc.Arbitrary<Message> = fc.oneof(
  { weight: 95, arbitrary: eventMessage },
  { weight: 2, arbitrary: rawMessage },
  { weight: 3, arbitrary: connectMessage },
);

/** The `count` messages of a run, in order, the same for the same seed; generated a chunk at a time. */
export function* messages(seed: number, count: number, chunk = 500): Generator<Message> {
  for (let done = 0, n = 0; done < count; n++) {
    const size = Math.min(chunk, count - done);
    for (const m of fc.sample(message, { seed: seed + n * 7919, numRuns: size })) yield m;
    done += size;
  }
}

/** Replaces each Ref with the pool's id (or something random if the pool is empty). */
export function resolveRefs(
  value: unknown,
  pools: (pool: PoolName) => readonly unknown[],
  depth = 0,
): unknown {
  if (value instanceof Ref) {
    const pool = pools(value.pool);
    return pool.length ? pool[value.pick % pool.length] : `none-${value.pick}`;
  }
  if (depth > 20 || typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, pools, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    Object.defineProperty(out, k, {
      value: resolveRefs((value as Record<string, unknown>)[k], pools, depth + 1),
      enumerable: true,
      writable: true,
    });
  }
  return out;
}
