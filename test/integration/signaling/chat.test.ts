import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, RttDraft } from '../../../common/protocol';
import { establishCall } from '../../helpers/calls';
import { ok, startTestApp, type TestApp } from '../../helpers/testApp';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

describe('text beside the video', () => {
  it('relays real-time text as typed and messages to everyone, and keeps nothing after the call', async () => {
    const { caller, agent, callerJoin } = await establishCall(app, 'chatty');
    const secret = '제 주민번호는 비밀입니다 (a private detail)';

    const draft = agent.next<RttDraft>('rtt:draft');
    ok(await caller.request('rtt:update', { text: '제 주민' }));
    expect(await draft).toMatchObject({
      participantId: callerJoin.participantId,
      role: 'caller',
      text: '제 주민',
    });

    const atAgent = agent.next<ChatMessage>('chat:message');
    const atCaller = caller.next<ChatMessage>('chat:message');
    const sent = ok(await caller.request<ChatMessage>('chat:send', { text: `  ${secret}  ` }));
    expect(sent.text).toBe(secret);
    expect(await atAgent).toEqual(sent);
    expect(await atCaller).toEqual(sent);

    // Empty and oversized messages are refused.
    expect(await caller.request('chat:send', { text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    expect(await caller.request('chat:send', { text: 'x'.repeat(2001) })).toMatchObject({ ok: false });

    const session = app.calls.sessions.get(callerJoin.sessionId)!;
    expect(session.chat).toHaveLength(1);
    ok(await agent.request('session:hangup', {}));
    expect(session.chat).toHaveLength(0);
    expect(app.calls.sessions.get(callerJoin.sessionId)).toBeUndefined();

    // Not in the database either: no byte of the message in the SQLite file or its WAL.
    await app.store.close();
    for (const f of fs.readdirSync(app.dir)) {
      const bytes = fs.readFileSync(path.join(app.dir, f));
      expect(bytes.includes(Buffer.from('private detail')), f).toBe(false);
    }
    caller.close();
    agent.close();
  });
});
