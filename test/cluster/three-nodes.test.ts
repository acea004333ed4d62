// One centre on three node processes, a real Redis and a real PostgreSQL, used from Debian Chromium:
// sockets on different nodes reach each other, each call's media is hosted on the node the load
// rule chose, and media, chat and real-time text cross nodes.
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { NODE_LOAD_KEY } from '../../server/src/cluster/media/LoadBoard';
import { NodeLoad, pickHost } from '../../server/src/cluster/media/hostChoice';
import { RedisSessionDirectory } from '../../server/src/cluster/RedisSessionDirectory';
import { openStore, type Store } from '../../server/src/store';
import {
  callUntilOffered,
  expectNoAxeViolations,
  inbound,
  launchChromium,
  newContext,
  receivingFrom,
  signInOn,
} from '../e2e/browser';
import { NODE_METRICS_TOKEN, startNodeProcess, type NodeProcess } from '../helpers/nodeProcess';
import { scrapeMetrics, valueOf } from '../helpers/prometheus';
import { createDatabase, dropDatabase } from '../helpers/postgres';
import { startRedis, type TestRedis } from '../helpers/redis';
import { TEST_PASSWORD } from '../helpers/testApp';
import { until } from '../helpers/waiting';

let redis: TestRedis;
let client: Redis;
let databaseUrl: string;
let store: Store;
let browser: Browser;
const nodes = new Map<string, NodeProcess>();
const contexts: BrowserContext[] = [];
const NODE_IDS = ['alpha', 'bravo', 'charlie'] as const;
type NodeId = (typeof NODE_IDS)[number];

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { lazyConnect: true });
  await client.connect();
  databaseUrl = await createDatabase(inject('postgresUrl'));
  // The first node migrates the database and takes the lobby's lease (nobody else is there yet);
  // accounts are created before the others start. Calls then go to 'alpha', the idle node first by
  // id, so their media is driven from the leader on another node.
  nodes.set('charlie', await startNodeProcess({ nodeId: 'charlie', redisUrl: redis.url, databaseUrl }));
  await until(async () => (await leader()) === 'charlie', 30_000);
  store = await openStore({ url: databaseUrl });
  await seedAccounts(store);
  const others = await Promise.all(
    (['alpha', 'bravo'] as const).map((nodeId) =>
      startNodeProcess({ nodeId, redisUrl: redis.url, databaseUrl }),
    ),
  );
  for (const n of others) nodes.set(n.nodeId, n);
  // Every node's load on the board before any call is placed.
  await until(async () => Object.keys(await client.hgetall(NODE_LOAD_KEY)).length === 3, 30_000);
  browser = await launchChromium();
}, 180_000);

// Each test's pages go with it, so a failure cannot leave a call's browsers running into the next.
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([...nodes.values()].map((n) => n.stop()));
  await store?.close();
  client?.disconnect();
  await redis?.stop();
  if (databaseUrl) await dropDatabase(inject('postgresUrl'), databaseUrl);
});

async function seedAccounts(s: Store): Promise<void> {
  await s.accounts.create({
    username: 'signer',
    displayName: 'Kim Signing',
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
  await s.accounts.create({
    username: 'kim',
    displayName: 'Kim Agent',
    role: 'agent',
    languages: ['ko'],
    password: TEST_PASSWORD,
  });
  await s.accounts.create({
    username: 'boss',
    displayName: 'Boss',
    role: 'supervisor',
    languages: ['ko'],
    password: TEST_PASSWORD,
  });
  const lan = await s.volunteers.register({
    username: 'lan',
    displayName: 'Volunteer Lan',
    password: TEST_PASSWORD,
    languages: [
      { tag: 'vi', level: 'native' },
      { tag: 'ko', level: 'fluent' },
    ],
  });
  await s.accounts.setApproved(lan.id, true);
  await s.volunteers.saveProfile(lan.id, {
    weeklyHours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
  });
}

async function pageOn(nodeId: NodeId): Promise<Page> {
  const context = await newContext(browser, nodes.get(nodeId)!.url);
  contexts.push(context);
  const p = await context.newPage();
  p.on('pageerror', (e) => console.log(`[${nodeId}] page error: ${e.message}`));
  return p;
}

/** An agent signs in on the page's node and goes available. */
async function goAvailable(agent: Page, username: string): Promise<void> {
  await signInOn(agent, '/agent/', username, TEST_PASSWORD);
  await agent.locator('#go-available').waitFor({ state: 'visible' });
  await agent.click('#go-available');
  await expect.poll(() => agent.locator('#go-available').isDisabled()).toBe(true);
}

/** The node holding the lobby's lease ("<epoch>:<nodeId>" in Redis). */
async function leader(): Promise<string | null> {
  const value = await client.get('{relay-lobby}:lease');
  return value === null ? null : value.slice(value.indexOf(':') + 1);
}

/** Routers open on each node, from its own metrics. */
async function routersByNode(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [id, n] of nodes)
    out[id] = valueOf(await scrapeMetrics(n.url, NODE_METRICS_TOKEN), 'relay_media_objects', {
      kind: 'router',
    });
  return out;
}

/** The node the load rule picks now, from the reports on the board (as the leader reads them). */
async function chosenByRule(): Promise<string | null> {
  const loads = Object.values(await client.hgetall(NODE_LOAD_KEY)).map((text) =>
    NodeLoad.parse(JSON.parse(text)),
  );
  return pickHost({ loads, now: Date.now(), staleAfterMs: 6000, placedSince: () => 0 });
}

/** Video decoded and audio arriving from `count` others, and still flowing over a measured window. */
async function expectMediaFrom(p: Page, count: number, label: string): Promise<void> {
  const flowing = async () =>
    [...receivingFrom(await inbound(p)).values()].filter((f) => f.video > 0 && f.audio > 0).length;
  await expect
    .poll(flowing, { timeout: 20_000, interval: 50, message: `${label} receives from ${count}` })
    .toBe(count);
  const before = receivingFrom(await inbound(p));
  await new Promise((r) => setTimeout(r, 1500));
  const after = receivingFrom(await inbound(p));
  for (const [participantId, now] of after) {
    const then = before.get(participantId) ?? { video: 0, audio: 0 };
    expect(now.video - then.video, `${label}: video from ${now.role} keeps coming`).toBeGreaterThan(0);
    expect(now.audio - then.audio, `${label}: audio from ${now.role} keeps coming`).toBeGreaterThan(0);
  }
}

describe('one centre on three nodes (Redis, PostgreSQL, Chromium)', () => {
  it('a caller on one node reaches an agent on another, on the host the load rule chose; chat and RTT cross; the supervisor on a third sees it', async () => {
    const agent = await pageOn('bravo');
    await goAvailable(agent, 'signer');

    const caller = await pageOn('charlie');
    await callUntilOffered(caller, agent);
    const expectedHost = await chosenByRule();
    // Hosted neither where the sockets are nor on the leader that controls the call.
    expect(expectedHost).toBe('alpha');
    expect(await leader()).toBe('charlie');
    await agent.click('#accept-offer');
    await expectMediaFrom(caller, 1, 'caller on charlie');
    await expectMediaFrom(agent, 1, 'agent on bravo');

    // The call sits where the rule put it: in the directory, and as a router on that node only.
    const directory = new RedisSessionDirectory(client);
    const [entry] = await directory.list();
    expect(entry?.hostNodeId).toBe(expectedHost);
    const routers = await routersByNode();
    expect(routers).toEqual(Object.fromEntries(NODE_IDS.map((id) => [id, id === expectedHost ? 1 : 0])));

    // Real-time text, timed in the browsers (five words, the median judged, as a machine this small
    // running three nodes and the pages' video can stall one), then a chat message.
    await caller.evaluate(() => {
      const w = window as unknown as { rttTypedAt?: number };
      document.querySelector('#chat-input')!.addEventListener('input', () => (w.rttTypedAt = Date.now()));
    });
    await caller.locator('#chat-input').focus();
    const samples: number[] = [];
    for (const word of ['hello', 'across', 'three', 'nodes', 'now']) {
      await agent.evaluate((expected) => {
        const drafts = document.querySelector('#rtt-drafts')!;
        const w = window as unknown as { rttShownAt?: number };
        delete w.rttShownAt;
        const observer = new MutationObserver(() => {
          if (!drafts.textContent?.endsWith(expected)) return;
          w.rttShownAt = Date.now();
          observer.disconnect();
        });
        observer.observe(drafts, { childList: true, subtree: true, characterData: true });
      }, ` ${word}`);
      await caller.keyboard.type(` ${word}`, { delay: 30 });
      await agent.waitForFunction(
        () => (window as unknown as { rttShownAt?: number }).rttShownAt,
        undefined,
        {
          timeout: 5000,
        },
      );
      samples.push(
        (await agent.evaluate(() => (window as unknown as { rttShownAt: number }).rttShownAt)) -
          (await caller.evaluate(() => (window as unknown as { rttTypedAt: number }).rttTypedAt)),
      );
    }
    const rttMs = [...samples].sort((x, y) => x - y)[2]!;
    expect(
      rttMs,
      `real-time text within 500 ms across nodes (median of ${samples.join(', ')} ms)`,
    ).toBeLessThan(500);
    await caller.keyboard.press('Enter');
    await agent.locator('#chat-log li', { hasText: 'hello across three nodes now' }).waitFor();

    // The supervisor, on the third node, sees the call in progress.
    const supervisor = await pageOn('alpha');
    await signInOn(supervisor, '/supervisor/', 'boss', TEST_PASSWORD);
    await supervisor.locator('[data-view="dashboard"]').waitFor({ state: 'visible' });
    await expect
      .poll(() => supervisor.locator('#fig-calls-in-progress').textContent(), { timeout: 10_000 })
      .toBe('1');
    await expectNoAxeViolations(supervisor, 'supervisor on another node');
    console.log(
      `[cluster two-way] host ${expectedHost}, leader charlie (caller on charlie, agent on bravo); real-time text across nodes: median ${rttMs} ms of ${samples.join(', ')}`,
    );

    await caller.click('#hang-up');
    await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    await agent.click('form#wrapup-form button[type=submit]');
    // Wrapped up (the next test signs the same agent in again, and must not find it still owed).
    await agent.locator('#go-available').waitFor({ state: 'visible' });
    await expect.poll(routersByNode, { timeout: 10_000 }).toEqual({ alpha: 0, bravo: 0, charlie: 0 });
    await until(async () => (await directory.list()).length === 0);
  });

  it('a three-way call with caller, agent and interpreter on three different nodes carries media every way', async () => {
    const lan = await pageOn('alpha');
    await signInOn(lan, '/volunteer/', 'lan', TEST_PASSWORD);
    await lan.locator('#go-online').waitFor({ state: 'visible' });
    await expect.poll(() => lan.locator('#go-online').isEnabled()).toBe(true);
    await lan.click('#go-online');
    await expect.poll(() => lan.locator('#presence').textContent()).toBe('온라인, 통화 가능');

    const agent = await pageOn('bravo');
    await goAvailable(agent, 'kim');

    const caller = await pageOn('charlie');
    await caller.goto('/');
    await caller.check('input[name=need][value=interpreter]');
    await caller.selectOption('#interpreter-language', 'vi');
    await caller.waitForFunction(
      () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
    );
    await caller.click('#call-button');
    await agent.locator('#offer').waitFor({ state: 'visible' });
    const expectedHost = await chosenByRule();
    expect(expectedHost).not.toBe(await leader());
    await agent.click('#accept-offer');
    await lan.locator('#invitation').waitFor({ state: 'visible' });
    await lan.click('#accept-invitation');

    await expectMediaFrom(caller, 2, 'caller on charlie');
    await expectMediaFrom(agent, 2, 'agent on bravo');
    await expectMediaFrom(lan, 2, 'interpreter on alpha');
    const entry = (await new RedisSessionDirectory(client).list()).find((e) =>
      e.participants.some((p) => p.role === 'interpreter'),
    );
    expect(entry?.hostNodeId).toBe(expectedHost);
    expect(entry?.participants.map((p) => p.role).sort()).toEqual(['agent', 'caller', 'interpreter']);
    console.log(
      `[cluster three-way] host ${expectedHost}, leader charlie; caller on charlie, agent on bravo, interpreter on alpha`,
    );

    await caller.click('#hang-up');
    await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    await expect.poll(async () => (await routersByNode())[expectedHost!], { timeout: 10_000 }).toBe(0);
  });
  // Last: it kills a node. The call's host (not the leader, holding nobody's socket) dies as a
  // machine does; the leader, told by HostWatch, opens the call again on another node.
  it('the node hosting a call is killed (SIGKILL): the call moves to another node and video flows again on both pages', async () => {
    const agent = await pageOn('bravo');
    await goAvailable(agent, 'signer');
    const caller = await pageOn('charlie');
    await callUntilOffered(caller, agent);
    expect(await chosenByRule()).toBe('alpha');
    await agent.click('#accept-offer');
    await expectMediaFrom(caller, 1, 'caller before the kill');
    await expectMediaFrom(agent, 1, 'agent before the kill');
    const directory = new RedisSessionDirectory(client);
    expect((await directory.list())[0]?.hostNodeId).toBe('alpha');

    const before = new Map<Page, Set<string>>();
    for (const p of [caller, agent]) before.set(p, new Set((await inbound(p)).map((s) => s.consumerId)));
    const killedAt = Date.now();
    await nodes.get('alpha')!.kill();
    nodes.delete('alpha');
    // Video decoded again: a new consumer (on the new router) with frames, on each page.
    const decodedAgainAfter = async (p: Page) => {
      await expect
        .poll(
          async () =>
            (await inbound(p)).some(
              (s) => s.kind === 'video' && s.framesDecoded > 0 && !before.get(p)!.has(s.consumerId),
            ),
          { timeout: 30_000, interval: 50, message: 'video decoded again after the host was killed' },
        )
        .toBe(true);
      return Date.now() - killedAt;
    };
    const [callerMs, agentMs] = await Promise.all([decodedAgainAfter(caller), decodedAgainAfter(agent)]);
    console.log(
      `[cluster host kill] SIGKILL of the call's host → video decoded again: caller ${callerMs} ms, agent ${agentMs} ms`,
    );
    await expectMediaFrom(caller, 1, 'caller after the move');
    await expectMediaFrom(agent, 1, 'agent after the move');
    const moved = (await directory.list())[0];
    expect(moved?.hostNodeId).toMatch(/^(bravo|charlie)$/);
    expect(await routersByNode()).toEqual({
      bravo: moved?.hostNodeId === 'bravo' ? 1 : 0,
      charlie: moved?.hostNodeId === 'charlie' ? 1 : 0,
    });

    await caller.click('#hang-up');
    await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    await expect.poll(routersByNode, { timeout: 10_000 }).toEqual({ bravo: 0, charlie: 0 });
  });
});
