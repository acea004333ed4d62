// A socket that floods the server with messages it cannot take is told why and disconnected, and
// the log stays a few lines long; a client with a few bad messages goes on as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../../common/protocol';
import { BAD_INPUT_BURST, BAD_INPUT_LOGGED } from '../../../server/src/signaling/badInput';
import { TOO_MUCH_BAD_INPUT } from '../../../server/src/signaling/respond';
import { establishCall } from '../../helpers/calls';
import { recordingLog } from '../../helpers/recordingLog';
import { connect, ok, startTestApp, type TestApp, type TestSocket } from '../../helpers/testApp';

const recorded = recordingLog();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { log: recorded.log });
});
afterAll(async () => {
  await app.stop();
});

const BAD_INPUT_LINES = [
  'bad input',
  'more bad input, not logged one by one',
  'too much bad input: closing the connection',
];
const badInputLines = () => recorded.lines.filter((l) => BAD_INPUT_LINES.includes(l.msg));

/**
 * Garbage of each kind: messages with no ack, unknown events and payloads their schema refuses,
 * most with an ack (so the one past the allowance is answered, whichever it is).
 */
function sendGarbage(socket: TestSocket, count: number, answers: Ack<unknown>[]): void {
  const collect = (ack: Ack<unknown>) => void answers.push(ack);
  for (let i = 0; i < count; i++) {
    if (i % 10 === 9) socket.emit('lobby:request', { language: 'ko', mode: 'video' });
    else if (i % 2 === 0) socket.emit(`no:such-event-${i}`, { i }, collect);
    else socket.emit('lobby:request', { language: 42 }, collect);
  }
}

describe('bad input from one socket', () => {
  it('disconnects a socket that sends a burst of garbage, telling it why, in a few log lines', async () => {
    const before = badInputLines().length;
    const flooder = await connect(app, '/caller');
    const answers: Ack<unknown>[] = [];
    const disconnected = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
    sendGarbage(flooder, 3000, answers);
    expect(await disconnected).toBe('io server disconnect');

    // Each message within the allowance was refused as it should be, the one past it heard why,
    // and the thousands after it were never read.
    expect(answers.at(-1)).toEqual({
      ok: false,
      error: { code: 'rate-limited', message: TOO_MUCH_BAD_INPUT },
    });
    for (const answer of answers.slice(0, -1)) {
      expect(answer).toMatchObject({
        ok: false,
        error: { code: expect.stringMatching(/^(unknown-event|invalid-payload)$/) },
      });
    }
    expect(answers.length).toBeGreaterThan(BAD_INPUT_BURST / 2);
    expect(answers.length).toBeLessThan(3000 / 10);
    // 3000 messages, a few lines: those logged one by one, then the one that says why it closed.
    const lines = badInputLines().slice(before);
    expect(lines.length).toBeLessThanOrEqual(BAD_INPUT_LOGGED + 2);
    expect(lines.at(-1)).toMatchObject({ level: 40, msg: 'too much bad input: closing the connection' });
    expect(recorded.errors()).toEqual([]);
  });

  it('disconnects a participant that keeps sending chat after it was told to slow down', async () => {
    const { caller, agent } = await establishCall(app, 'slowdown1');
    const answers: Ack<unknown>[] = [];
    const disconnected = new Promise<string>((resolve) => caller.once('disconnect', resolve));
    for (let i = 0; i < 500; i++)
      caller.emit('chat:send', { text: `message ${i}` }, (a: Ack<unknown>) => answers.push(a));
    expect(await disconnected).toBe('io server disconnect');
    const refused = answers.filter((a) => !a.ok);
    // The text allowance (a burst of 40) went through; then slow-down answers up to the bad-input
    // allowance, and the last one says why the connection closed.
    expect(answers.filter((a) => a.ok).length).toBeGreaterThanOrEqual(40);
    expect(refused.length).toBeGreaterThan(BAD_INPUT_BURST / 2);
    expect(refused.length).toBeLessThanOrEqual(BAD_INPUT_BURST + 1);
    expect(refused.at(-1)).toEqual({
      ok: false,
      error: { code: 'rate-limited', message: TOO_MUCH_BAD_INPUT },
    });
    expect(answers.length).toBeLessThan(500);
    agent.close();
  });

  it('keeps a client that sends a few bad messages connected, and it can go on', async () => {
    const caller = await connect(app, '/caller');
    for (let i = 0; i < 5; i++) {
      expect(await caller.request('no:such-event', {})).toMatchObject({
        ok: false,
        error: { code: 'unknown-event' },
      });
      expect(await caller.request('lobby:request', { language: 42 })).toMatchObject({
        ok: false,
        error: { code: 'invalid-payload' },
      });
    }
    expect(caller.connected).toBe(true);
    ok(await caller.request('lobby:request', { language: 'ko', mode: 'video' }));
    ok(await caller.request('lobby:cancel'));
    caller.close();
  });
});
