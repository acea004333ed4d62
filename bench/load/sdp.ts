// The SDP a browser's WebRTC stack needs to talk to mediasoup, written from the server's
// transport parameters (what mediasoup-client's RemoteSdp does), and the few local facts read back.
import type { types } from 'mediasoup';

export interface ServerTransport {
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

export interface MediaSection {
  kind: 'audio' | 'video';
  mid: string;
  /** The server's side: recvonly when it receives our producer, sendonly for a consumer. */
  direction: 'recvonly' | 'sendonly';
  codecs: types.RtpCodecParameters[];
  headerExtensions: { id: number; uri: string }[];
  /** For a consumer: the stream the server sends. */
  ssrc?: { ssrc: number; cname: string };
}

/** `setup`: passive when answering our offer, actpass when offering consumers. */
export function serverSdp(
  t: ServerTransport,
  sections: MediaSection[],
  setup: 'passive' | 'actpass',
): string {
  const fingerprint = t.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256');
  if (!fingerprint) throw new Error('the server offers no sha-256 fingerprint');
  const lines = [
    'v=0',
    `o=mediasoup ${Date.now()} 1 IN IP4 0.0.0.0`,
    's=-',
    't=0 0',
    // mediasoup is ICE lite: the full agent (the browser, here werift) must take the controlling role.
    'a=ice-lite',
    `a=group:BUNDLE ${sections.map((s) => s.mid).join(' ')}`,
    'a=msid-semantic: WMS *',
  ];
  for (const s of sections) {
    lines.push(
      `m=${s.kind} 7 UDP/TLS/RTP/SAVPF ${s.codecs.map((c) => c.payloadType).join(' ')}`,
      'c=IN IP4 127.0.0.1',
      `a=ice-ufrag:${t.iceParameters.usernameFragment}`,
      `a=ice-pwd:${t.iceParameters.password}`,
      `a=fingerprint:sha-256 ${fingerprint.value}`,
      `a=setup:${setup}`,
      `a=mid:${s.mid}`,
      `a=${s.direction}`,
      'a=rtcp-mux',
      'a=rtcp-rsize',
    );
    for (const c of t.iceCandidates) {
      if (c.protocol !== 'udp') continue;
      lines.push(`a=candidate:${c.foundation} 1 udp ${c.priority} ${c.address} ${c.port} typ host`);
    }
    lines.push('a=end-of-candidates');
    for (const c of s.codecs) {
      const name = c.mimeType.split('/')[1]!;
      lines.push(`a=rtpmap:${c.payloadType} ${name}/${c.clockRate}${c.channels ? `/${c.channels}` : ''}`);
      const fmtp = Object.entries(c.parameters ?? {}).map(([k, v]) => `${k}=${String(v)}`);
      if (fmtp.length > 0) lines.push(`a=fmtp:${c.payloadType} ${fmtp.join(';')}`);
      for (const fb of c.rtcpFeedback ?? []) {
        lines.push(`a=rtcp-fb:${c.payloadType} ${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`);
      }
    }
    for (const e of s.headerExtensions) lines.push(`a=extmap:${e.id} ${e.uri}`);
    if (s.ssrc) {
      lines.push(
        `a=msid:${s.ssrc.cname} ${s.mid}`,
        `a=ssrc:${s.ssrc.ssrc} cname:${s.ssrc.cname}`,
        `a=ssrc:${s.ssrc.ssrc} msid:${s.ssrc.cname} ${s.mid}`,
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Our DTLS fingerprint and role, as mediasoup's `transport.connect()` takes them. */
export function localDtlsParameters(sdp: string): types.DtlsParameters {
  const fp = /a=fingerprint:(sha-256) ([0-9A-Fa-f:]+)/.exec(sdp);
  const setup = /a=setup:(\w+)/.exec(sdp)?.[1];
  if (!fp) throw new Error('no local sha-256 fingerprint');
  // active: we open the DTLS handshake (client); passive: the server does.
  const role = setup === 'passive' ? 'server' : 'client';
  return { role, fingerprints: [{ algorithm: 'sha-256', value: fp[2]! }] };
}
