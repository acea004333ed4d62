// A short pre-recorded clip as RTP packets: VP8 720p30 video and Opus audio, encoded once by
// Debian's ffmpeg and cached under a key made of the ffmpeg command and version, so a load client
// sends real codec payloads without encoding anything itself.
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/** One recorded RTP packet: what a sender replays, with times relative to the clip's start. */
export interface RecordedPacket {
  /** RTP timestamp relative to the first packet of the stream (clock units). */
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

export interface RecordedStream {
  clockRate: number;
  /** Length of one loop of the clip, in clock units (the next loop's timestamps add it). */
  loopTicks: number;
  packets: RecordedPacket[];
}

export interface Clip {
  video: RecordedStream;
  audio: RecordedStream;
}

export interface ClipOptions {
  seconds: number;
  videoKbps: number;
  /** Where cached clips live; default node_modules/.cache/relay-bench. */
  cacheDir?: string;
}

const VIDEO_CLOCK = 90_000;
const AUDIO_CLOCK = 48_000;
const FPS = 30;

function ffmpegArgs(o: ClipOptions, videoPort: number, audioPort: number): string[] {
  const kbps = `${o.videoKbps}k`;
  return [
    ...['-hide_banner', '-loglevel', 'error', '-re'],
    ...['-t', String(o.seconds), '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=${FPS}`],
    ...['-t', String(o.seconds), '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    // A keyframe each second: a consumer that starts (or asks with a PLI) waits at most that long.
    ...['-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', String(FPS)],
    ...['-b:v', kbps, '-minrate', kbps, '-maxrate', kbps, '-bufsize', kbps, '-an'],
    ...['-payload_type', '96', '-ssrc', '1111', '-f', 'rtp', `rtp://127.0.0.1:${videoPort}?pkt_size=1200`],
    ...['-map', '1:a', '-c:a', 'libopus', '-b:a', '32k', '-frame_duration', '20', '-application', 'voip'],
    ...['-payload_type', '111', '-ssrc', '2222', '-f', 'rtp', `rtp://127.0.0.1:${audioPort}?pkt_size=1200`],
  ];
}

function cacheKey(o: ClipOptions): string {
  const version = execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([version, ffmpegArgs(o, 0, 0)]))
    .digest('hex')
    .slice(0, 16);
}

interface RawPacket {
  seq: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

/** The RTP fixed header and any CSRCs / extension are skipped: only the codec payload is kept. */
function parseRtp(buf: Buffer): RawPacket | undefined {
  if (buf.length < 12 || buf[0]! >> 6 !== 2) return undefined;
  // ffmpeg's RTP muxer also sends RTCP sender reports on the next port up; those never land here,
  // but a payload type of 72–76 with the marker bit would be RTCP: skip it.
  const pt = buf[1]! & 0x7f;
  if (pt >= 72 && pt <= 76) return undefined;
  let offset = 12 + (buf[0]! & 0x0f) * 4;
  if (buf[0]! & 0x10) offset += 4 + buf.readUInt16BE(offset + 2) * 4;
  let end = buf.length;
  if (buf[0]! & 0x20) end -= buf[buf.length - 1]!;
  return {
    seq: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    marker: (buf[1]! & 0x80) !== 0,
    payload: Buffer.from(buf.subarray(offset, end)),
  };
}

function toStream(raw: RawPacket[], clockRate: number, seconds: number, what: string): RecordedStream {
  if (raw.length === 0) throw new Error(`ffmpeg sent no ${what} packets`);
  for (let i = 1; i < raw.length; i++) {
    // Loopback with -re loses nothing; a gap means the capture is not a faithful clip.
    if (((raw[i]!.seq - raw[i - 1]!.seq) & 0xffff) !== 1) throw new Error(`${what} capture has a gap`);
  }
  const first = raw[0]!.timestamp;
  return {
    clockRate,
    loopTicks: Math.round(seconds * clockRate),
    packets: raw.map((p) => ({
      timestamp: (p.timestamp - first) >>> 0,
      marker: p.marker,
      payload: p.payload,
    })),
  };
}

async function listen(): Promise<{ socket: dgram.Socket; port: number; packets: RawPacket[] }> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  const packets: RawPacket[] = [];
  socket.on('message', (msg) => {
    const p = parseRtp(msg);
    if (p) packets.push(p);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: (socket.address() as AddressInfo).port, packets };
}

async function record(o: ClipOptions): Promise<Clip> {
  const video = await listen();
  const audio = await listen();
  try {
    await new Promise<void>((resolve, reject) => {
      const ff = spawn('ffmpeg', ffmpegArgs(o, video.port, audio.port), {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      ff.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      ff.on('error', reject);
      ff.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr.trim()}`)),
      );
    });
    // The last datagrams may still be in flight on loopback.
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    video.socket.close();
    audio.socket.close();
  }
  return {
    video: toStream(video.packets, VIDEO_CLOCK, o.seconds, 'video'),
    audio: toStream(audio.packets, AUDIO_CLOCK, o.seconds, 'audio'),
  };
}

interface StoredStream extends Omit<RecordedStream, 'packets'> {
  packets: { timestamp: number; marker: boolean; payload: string }[];
}

function serialize(clip: Clip): string {
  const s = (r: RecordedStream): StoredStream => ({
    ...r,
    packets: r.packets.map((p) => ({ ...p, payload: p.payload.toString('base64') })),
  });
  return JSON.stringify({ video: s(clip.video), audio: s(clip.audio) });
}

function deserialize(text: string): Clip {
  const stored = JSON.parse(text) as { video: StoredStream; audio: StoredStream };
  const d = (r: StoredStream): RecordedStream => ({
    ...r,
    packets: r.packets.map((p) => ({ ...p, payload: Buffer.from(p.payload, 'base64') })),
  });
  return { video: d(stored.video), audio: d(stored.audio) };
}

/** The clip for these options: from the cache, or recorded now (takes `seconds` once) and cached. */
export async function loadClip(o: ClipOptions): Promise<Clip> {
  const dir = o.cacheDir ?? path.resolve('node_modules/.cache/relay-bench');
  const file = path.join(dir, `clip-${cacheKey(o)}.json`);
  if (fs.existsSync(file)) return deserialize(fs.readFileSync(file, 'utf8'));
  const clip = await record(o);
  fs.mkdirSync(dir, { recursive: true });
  // Written aside then renamed, so a run stopped half-way leaves no broken cache entry.
  fs.writeFileSync(`${file}.tmp`, serialize(clip));
  fs.renameSync(`${file}.tmp`, file);
  return clip;
}

/** Bits per second of a recorded stream, for the bench's header line. */
export function bitrateOf(s: RecordedStream): number {
  const bytes = s.packets.reduce((n, p) => n + p.payload.length + 12, 0);
  return (bytes * 8 * s.clockRate) / s.loopTicks;
}
