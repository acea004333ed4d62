// A client that ignores the server's bandwidth feedback and floods its video is cut off; a call
// beside it sending at a normal rate is not touched. Real worker, real RTP (the bench's load client
// replays an ffmpeg clip at 1.5 Mbit/s), real signalling.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { endCall, productCall, type LoadCall } from '../../../bench/load/calls';
import { loadClip, type Clip } from '../../../bench/load/clip';
import { Ticker } from '../../../bench/load/RtpPlayer';
import type { Policed } from '../../../server/src/media';
import { startTestApp, type TestApp } from '../../helpers/testApp';

let app: TestApp;
let clip: Clip;
const ticker = new Ticker();
const calls: LoadCall[] = [];

beforeAll(async () => {
  // 2 Mbit/s per transport: policed past 3 Mbit/s; the clip sends ~1.5, the flood 4× that.
  app = await startTestApp({ MEDIA_MAX_INCOMING_KBPS: '2000' });
  clip = await loadClip({ seconds: 4, videoKbps: 1500 });
});

afterAll(async () => {
  for (const call of calls) await endCall(call);
  await app?.stop();
});

const received = (call: LoadCall, participant: number) =>
  call.participants[participant]!.received.reduce((n, s) => n + s.stats.received, 0);

it('closes the send transport of a caller flooding video at 4× and leaves a normal call alone', async () => {
  const policed: Policed[] = [];
  app.pool.on('transport-policed', (p) => policed.push(p));
  const staff = async (n: number) => ({
    agent: (await app.addAgent(`agent${n}`, ['ko'])).cookie,
    volunteer: (await app.addVolunteer(`volunteer${n}`, ['vi', 'ko'])).cookie,
  });
  const normal = await productCall(app.url, await staff(1), { clip, ticker });
  calls.push(normal);
  const flooding = await productCall(app.url, await staff(2), { clip, ticker, caller: { videoRate: 4 } });
  calls.push(flooding);
  const flooder = flooding.participants[0]!.participantId;

  await expect.poll(() => policed.length, { timeout: 15_000, interval: 200 }).toBeGreaterThan(0);
  expect(policed.map((p) => p.appData['participantId'])).toEqual([flooder]);
  expect(policed[0]!.bitrate).toBeGreaterThan(3_000_000);
  // The others in the flooding call stop getting the caller's media: its producers closed with it.
  await expect
    .poll(async () => {
      const session = app.calls.sessions
        .all()
        .find((s) => s.participantByRole('caller')?.participantId === flooder);
      const seen = await session!.media.producersFor('nobody');
      return seen.filter((p) => p.participantId === flooder).length;
    })
    .toBe(0);

  // The normal call goes on: every participant still receives, and nothing of it was policed.
  const before = [0, 1, 2].map((i) => received(normal, i));
  await new Promise((resolve) => setTimeout(resolve, 4000));
  for (const [i, n] of before.entries()) expect(received(normal, i)).toBeGreaterThan(n + 100);
  expect(policed.map((p) => p.appData['participantId'])).toEqual([flooder]);
}, 90_000);
