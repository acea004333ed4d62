import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinedSession } from '../../../common/protocol';
import { CHAT_WINDOW_BYTES, CHAT_WINDOW_MESSAGES } from '../../../server/src/sessions/Session';
import { establishCall } from '../../helpers/calls';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { connect, ok, startTestApp, type TestApp, type TestSocket } from '../../helpers/testApp';

// A fake clock, so a test can chat at the rate limit for a long while without waiting for it.
const scheduler = new FakeScheduler();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { scheduler });
});
afterAll(async () => {
  await app.stop();
});

/** Sends messages as fast as the rate limit lets a participant (20 a second), on the fake clock. */
async function chatAtTheLimit(socket: TestSocket, texts: string[]): Promise<void> {
  for (const text of texts) {
    scheduler.advance(50);
    ok(await socket.request('chat:send', { text }));
  }
}

describe('the chat a rejoining participant is sent back', () => {
  it('is the last messages only, bounded in bytes: 30 s of the longest messages at the rate limit stay under 100 KB', async () => {
    const { caller, agent, tokens } = await establishCall(app, 'long-winded');
    // 600 messages of 2000 Korean characters (6000 bytes of UTF-8 each): 3.6 MB if all were kept.
    const texts = Array.from({ length: 600 }, (_, i) => `${i}:`.padEnd(2000, '가'));
    await chatAtTheLimit(caller, texts);
    caller.close();
    const again = await connect(app, '/caller');
    const ack = await again.request<JoinedSession>('session:join', { token: tokens.caller });
    const { chat } = ok(ack);
    const bytes = Buffer.byteLength(JSON.stringify(ack));
    expect(bytes).toBeLessThan(100 * 1024);
    expect(chat.reduce((n, m) => n + Buffer.byteLength(m.text), 0)).toBeLessThanOrEqual(CHAT_WINDOW_BYTES);
    // The newest ones, in order, ending with the last one sent.
    expect(chat.map((m) => m.text)).toEqual(texts.slice(-chat.length));
    expect(chat.length).toBe(Math.floor(CHAT_WINDOW_BYTES / Buffer.byteLength(texts[599]!)));
    ok(await agent.request('session:hangup', {}));
    for (const s of [again, agent]) s.close();
  });

  it(`is at most the last ${CHAT_WINDOW_MESSAGES} messages however short they are`, async () => {
    const { caller, agent, tokens } = await establishCall(app, 'chatterbox');
    const texts = Array.from({ length: CHAT_WINDOW_MESSAGES + 50 }, (_, i) => `message ${i}`);
    await chatAtTheLimit(agent, texts);
    // Back on the same call from a new socket, as after a blip.
    const again = await connect(app, '/caller');
    const { chat } = ok(await again.request<JoinedSession>('session:join', { token: tokens.caller }));
    expect(chat.map((m) => m.text)).toEqual(texts.slice(-CHAT_WINDOW_MESSAGES));
    ok(await agent.request('session:hangup', {}));
    for (const s of [caller, again, agent]) s.close();
  });
});
