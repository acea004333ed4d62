import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientAcks, TransportView } from '../../../common/protocol';
import { establishCall } from '../../helpers/calls';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { ok, startTestApp, type TestApp } from '../../helpers/testApp';

const SECRET = 'test-static-auth-secret-0123456789';
const URLS = ['turn:127.0.0.1:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'];

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

/** What coturn does with use-auth-secret: the password must be the HMAC of the username. */
function verifies(server: TransportView['iceServers'][number], secret: string): boolean {
  return createHmac('sha1', secret).update(server.username).digest('base64') === server.credential;
}

describe('TURN servers in the media:create-transport ack (real worker, real signalling)', () => {
  it('hands each participant credentials of their own that coturn would accept, fresh for each transport', async () => {
    const scheduler = new FakeScheduler();
    app = await startTestApp(
      {
        TURN_URLS: URLS.join(','),
        TURN_SECRET: SECRET,
        TURN_CREDENTIAL_TTL_S: '600',
        ICE_TRANSPORT_POLICY: 'relay',
      },
      { scheduler },
    );
    const call = await establishCall(app, 'turn-agent');
    const nowS = Math.floor(scheduler.now() / 1000);

    const send = ok(
      await call.caller.request<TransportView>('media:create-transport', { direction: 'send' }),
    );
    expect(send.iceTransportPolicy).toBe('relay');
    expect(send.iceServers).toHaveLength(1);
    const [server] = send.iceServers;
    expect(server?.urls).toEqual(URLS);
    expect(server?.username).toBe(`${nowS + 600}:${call.callerJoin.participantId}`);
    expect(verifies(server!, SECRET)).toBe(true);
    expect(verifies(server!, 'some-other-secret-of-coturn')).toBe(false);
    // The secret itself never goes out.
    expect(JSON.stringify(send)).not.toContain(SECRET);

    // The agent's are their own.
    const agentRecv = ok(
      await call.agent.request<TransportView>('media:create-transport', { direction: 'recv' }),
    );
    expect(agentRecv.iceServers[0]?.username).toBe(`${nowS + 600}:${call.agentJoin.participantId}`);
    expect(verifies(agentRecv.iceServers[0]!, SECRET)).toBe(true);

    // A media restart later in the call: the new transports come with credentials valid from then.
    scheduler.advance(90_000);
    ok(await call.caller.request<ClientAcks['media:restart']>('media:restart', {}));
    const again = ok(
      await call.caller.request<TransportView>('media:create-transport', { direction: 'send' }),
    );
    expect(again.iceServers[0]?.username).toBe(`${nowS + 90 + 600}:${call.callerJoin.participantId}`);
    expect(verifies(again.iceServers[0]!, SECRET)).toBe(true);
    call.caller.close();
    call.agent.close();
  });

  it('hands out no ICE servers without TURN_URLS, and lets the browser use every candidate', async () => {
    app = await startTestApp();
    const call = await establishCall(app, 'direct-agent');
    const send = ok(
      await call.caller.request<TransportView>('media:create-transport', { direction: 'send' }),
    );
    expect(send.iceServers).toEqual([]);
    expect(send.iceTransportPolicy).toBe('all');
    expect(send.iceCandidates.length).toBeGreaterThan(0);
    call.caller.close();
    call.agent.close();
  });
});
