// /metrics scraped from a real app after real calls, parsed as Prometheus parses it; who may scrape.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OfferView } from '../../../common/protocol';
import { connectCall, startBridgedCall } from '../../helpers/calls';
import { samplesOf, scrapeMetrics, valueOf } from '../../helpers/prometheus';
import { connect, ok, startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';

const TOKEN = 'metrics-token-0123456789abcdef';

const scrape = (url: string, token: string | null = TOKEN) => scrapeMetrics(url, token);

describe('/metrics after real calls', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('counts what happened, and shows what is going on now', async () => {
    const { cookie } = await app.addAgent('metrics-agent');
    const agent = await connect(app, '/agent', cookie);
    const first = await connect(app, '/caller');
    const second = await connect(app, '/caller');
    try {
      // A kvk caller waits: nobody is available yet.
      ok(await first.request('lobby:request', { language: 'kvk', mode: 'video' }));
      let m = await scrape(app.url);
      expect(valueOf(m, 'relay_callers_waiting', { language: 'kvk', mode: 'video' })).toBe(1);
      expect(valueOf(m, 'relay_callers_waiting', { language: 'kvk', mode: 'text' })).toBe(0);
      expect(valueOf(m, 'relay_queue_longest_wait_seconds')).toBeGreaterThanOrEqual(0);
      expect(valueOf(m, 'relay_sockets_connected', { namespace: 'caller' })).toBe(2);
      expect(valueOf(m, 'relay_sockets_connected', { namespace: 'agent' })).toBe(1);
      expect(valueOf(m, 'relay_agents', { presence: 'offline' })).toBe(1);

      // The agent goes available and declines the offer: the caller gets the next one and cancels.
      const offered = agent.next<OfferView>('agent:offer');
      ok(await agent.request('agent:set-presence', { presence: 'available' }));
      const offer = await offered;
      ok(await agent.request('agent:decline-offer', { offerId: offer.offerId }));
      ok(await first.request('lobby:cancel', {}));

      // A second caller is answered and both join: a call in progress.
      ok(await agent.request('agent:set-presence', { presence: 'away', reason: 'meeting' }));
      expect(valueOf(await scrape(app.url), 'relay_agents', { presence: 'away' })).toBe(1);
      const call = await connectCall(agent, second);
      m = await scrape(app.url);
      expect(samplesOf(m, 'relay_callers_waiting')).toEqual([]);
      expect(valueOf(m, 'relay_queue_longest_wait_seconds')).toBe(0);
      expect(valueOf(m, 'relay_calls_in_progress', { mode: 'video', interpreter: 'none' })).toBe(1);
      expect(valueOf(m, 'relay_calls_started_total', { mode: 'video' })).toBe(1);
      expect(valueOf(m, 'relay_offers_total')).toBeGreaterThanOrEqual(2);
      expect(valueOf(m, 'relay_offer_outcomes_total', { outcome: 'accepted' })).toBe(1);
      expect(valueOf(m, 'relay_offer_outcomes_total', { outcome: 'declined' })).toBe(1);
      expect(valueOf(m, 'relay_callers_left_total', { reason: 'cancelled' })).toBe(1);
      expect(valueOf(m, 'relay_agents', { presence: 'in-call' })).toBe(1);
      // Figures are for the operator: /healthz, public, says nothing of the call going on.
      expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
      // Media: one worker, the call's router, with its CPU and memory.
      expect(valueOf(m, 'relay_media_workers')).toBe(1);
      expect(valueOf(m, 'relay_media_objects', { kind: 'router' })).toBe(1);
      expect(valueOf(m, 'relay_media_worker_max_rss_bytes', { worker: '0' })).toBeGreaterThan(0);
      const cpu = samplesOf(m, 'relay_media_worker_cpu_seconds_total', { worker: '0' });
      expect(cpu.map((s) => s.labels['mode']).sort()).toEqual(['system', 'user']);
      expect(cpu.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);
      // Signalling: both joins acked ok, the offer accepted once.
      expect(
        valueOf(m, 'relay_signaling_ack_duration_seconds_count', { event: 'session:join', outcome: 'ok' }),
      ).toBe(2);
      expect(
        valueOf(m, 'relay_signaling_ack_duration_seconds_count', {
          event: 'agent:accept-offer',
          outcome: 'ok',
        }),
      ).toBe(1);
      // HTTP, by route pattern: the agent's sign-in.
      expect(
        valueOf(m, 'relay_http_request_duration_seconds_count', {
          method: 'POST',
          route: '/api/auth/login',
          status_class: '2xx',
        }),
      ).toBe(1);
      // Node's own, event-loop lag included.
      expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
      expect(m.types.get('process_cpu_seconds_total')).toBe('counter');

      // Media objects: a transport, a producer on it.
      const transport = ok(
        await call.caller.request<{ id: string }>('media:create-transport', { direction: 'send' }),
      );
      m = await scrape(app.url);
      expect(valueOf(m, 'relay_media_objects', { kind: 'transport' })).toBe(1);
      expect(transport.id).toBeTruthy();

      // The call ends by a hang-up.
      const ended = call.agent.next('session:ended');
      ok(await call.caller.request('session:hangup', {}));
      await ended;
      m = await scrape(app.url);
      expect(valueOf(m, 'relay_calls_ended_total', { mode: 'video', reason: 'hangup' })).toBe(1);
      expect(valueOf(m, 'relay_calls_in_progress', { mode: 'video', interpreter: 'none' })).toBe(0);
      expect(valueOf(m, 'relay_media_objects', { kind: 'router' })).toBe(0);
      expect(valueOf(m, 'relay_media_objects', { kind: 'transport' })).toBe(0);
    } finally {
      for (const s of [agent, first, second]) s.close();
    }
  });

  it('counts interpreter invitations and how each call’s need for an interpreter ended', async () => {
    const call = await startBridgedCall(app, 'metrics-3way', 3);
    const [declining, accepting] = call.volunteers;
    const [first, second] = call.invitations;
    try {
      ok(await declining!.request('volunteer:decline-invitation', { invitationId: first!.invitationId }));
      ok(await accepting!.request('volunteer:accept-invitation', { invitationId: second!.invitationId }));
      let m = await scrape(app.url);
      expect(valueOf(m, 'relay_interpreter_invitations_total')).toBe(3);
      for (const [outcome, n] of [
        ['declined', 1],
        ['accepted', 1],
        ['taken', 1],
        ['expired', 0],
      ] as const)
        expect(valueOf(m, 'relay_interpreter_invitation_outcomes_total', { outcome }), outcome).toBe(n);
      expect(valueOf(m, 'relay_interpreter_requests_total', { result: 'filled' })).toBe(1);
      expect(valueOf(m, 'relay_calls_in_progress', { mode: 'video', interpreter: 'joined' })).toBe(1);
      // Removed without a replacement found before the hang-up: that request went unfilled.
      ok(await call.agent.request('agent:remove-interpreter', { replace: true }));
      m = await scrape(app.url);
      expect(valueOf(m, 'relay_calls_in_progress', { mode: 'video', interpreter: 'searching' })).toBe(1);
      expect(valueOf(m, 'relay_calls_awaiting_interpreter')).toBe(1);
      const ended = call.agent.next('session:ended');
      ok(await call.caller.request('session:hangup', {}));
      await ended;
      m = await scrape(app.url);
      expect(valueOf(m, 'relay_interpreter_requests_total', { result: 'unfilled' })).toBe(1);
      expect(valueOf(m, 'relay_calls_awaiting_interpreter')).toBe(0);
    } finally {
      for (const s of [call.caller, call.agent, ...call.volunteers]) s.close();
    }
  });

  it('labels a route by its pattern, never by the ids in its path', async () => {
    await app.store.accounts.create({
      username: 'metrics-super',
      displayName: 'Supervisor',
      role: 'supervisor',
      languages: ['ko'],
      password: TEST_PASSWORD,
    });
    const cookie = await app.login('metrics-super', TEST_PASSWORD);
    const res = await fetch(`${app.url}/api/supervisor/volunteers/no-such-volunteer/approval`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ approved: true }),
    });
    expect(res.status).toBe(404);
    const m = await scrape(app.url);
    expect(
      valueOf(m, 'relay_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/supervisor/volunteers/:id/approval',
        status_class: '4xx',
      }),
    ).toBe(1);
    expect(m.samples.some((s) => Object.values(s.labels).some((v) => v.includes('no-such-volunteer')))).toBe(
      false,
    );
  });

  it('documents every relay_ metric it exposes, and the dashboard asks for no other', async () => {
    const exposed = [...(await scrape(app.url)).types.keys()].filter((n) => n.startsWith('relay_')).sort();
    const doc = fs.readFileSync('docs/metrics-endpoint.md', 'utf8');
    const documented = new Set(doc.match(/`relay_[a-z_]+`/g)?.map((n) => n.slice(1, -1)));
    expect([...documented].sort()).toEqual(exposed);
    const dashboard = fs.readFileSync('docs/grafana-dashboard.json', 'utf8');
    const asked = new Set(
      dashboard.match(/relay_[a-z_]+/g)?.map((n) => n.replace(/_(bucket|count|sum)$/, '')),
    );
    expect([...asked].filter((n) => !exposed.includes(n))).toEqual([]);
  });

  it('refuses a scrape without the bearer token, or with a wrong one', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${app.url}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });
});

describe('where /metrics is served', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('is off (404) with neither METRICS_TOKEN nor METRICS_PORT', async () => {
    app = await startTestApp();
    expect(app.metricsPort).toBeNull();
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
  });

  it('is on a port of its own with METRICS_PORT, and not on PORT', async () => {
    app = await startTestApp({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    expect(app.metricsPort).not.toBeNull();
    expect(app.metricsPort).not.toBe(app.port);
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    const own = `http://127.0.0.1:${app.metricsPort}`;
    const m = await scrape(own, null);
    expect(valueOf(m, 'relay_media_workers')).toBe(1);
    expect((await fetch(`${own}/healthz`)).status).toBe(404);
  });

  it('asks for the token on its own port too when both are set', async () => {
    app = await startTestApp({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    const own = `http://127.0.0.1:${app.metricsPort}`;
    expect((await fetch(`${own}/metrics`)).status).toBe(401);
    expect(valueOf(await scrape(own), 'relay_media_workers')).toBe(1);
    expect(
      (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(404);
  });
});
