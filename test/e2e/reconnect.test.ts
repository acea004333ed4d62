import { routerIdOf } from '../helpers/media';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import {
  callUntilOffered,
  inbound,
  launchChromium,
  newContext,
  signInAvailable,
  signInOn,
  total,
} from './browser';
import ko from '../../locales/ko/translation.json';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp({}, { reconnectGraceMs: 20_000 });
  await app.store.accounts.create({
    username: 'steady',
    displayName: 'Steady Agent',
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('nobody is dropped: a caller whose network blips comes back to the same call', () => {
  it('rebinds the caller to the call after the connection drops, and the video keeps coming', async () => {
    const agentCtx = await newContext(browser, app.url);
    const callerCtx = await newContext(browser, app.url);
    const agent = await agentCtx.newPage();
    const caller = await callerCtx.newPage();
    await signInAvailable(agent, 'steady', TEST_PASSWORD);
    await callUntilOffered(caller, agent);
    await agent.click('#accept-offer');
    await expect
      .poll(async () => total(await inbound(agent), 'video', 'framesDecoded'), { timeout: 20_000 })
      .toBeGreaterThan(0);

    const callerConnected = () => app.calls.sessions.all()[0]?.participantByRole('caller')?.connected;
    // The agent's screen says so in words, in a live region a screen reader announces.
    const notice = agent.locator('#participant-status[role="status"]');
    await callerCtx.setOffline(true);
    await expect
      .poll(callerConnected, { timeout: 30_000, message: 'the server notices the caller is gone' })
      .toBe(false);
    await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toBe(ko.call.away.caller);
    await callerCtx.setOffline(false);
    await expect
      .poll(callerConnected, { timeout: 30_000, message: 'the caller comes back on a new socket' })
      .toBe(true);
    await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toBe(ko.call.back.caller);
    const before = total(await inbound(agent), 'video', 'framesDecoded');
    await expect
      .poll(async () => total(await inbound(agent), 'video', 'framesDecoded'), { timeout: 15_000 })
      .toBeGreaterThan(before);
    expect(app.calls.sessions.size).toBe(1);
    await caller.click('#hang-up');
    await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    await agentCtx.close();
    await callerCtx.close();
  });

  it('moves a live call off a media worker that crashes: video is back in seconds, the call goes on', async () => {
    const agentCtx = await newContext(browser, app.url);
    const callerCtx = await newContext(browser, app.url);
    const agent = await agentCtx.newPage();
    const caller = await callerCtx.newPage();
    for (const [name, page] of [
      ['agent', agent],
      ['caller', caller],
    ] as const) {
      page.on(
        'console',
        (m) => process.env['E2E_DEBUG'] && console.log(`[${name}] ${m.type()}: ${m.text()}`),
      );
    }
    await signInOn(agent, '/agent/', 'steady', TEST_PASSWORD);
    // The previous call's wrap-up is still owed: a new page shows its form first.
    await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    // So does a second tab; wrapped up in the first, the second goes back to the console too.
    const otherTab = await agentCtx.newPage();
    await otherTab.goto(`${app.url}/agent/`);
    await otherTab.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    await agent.click('form#wrapup-form button[type=submit]');
    // Finishing the wrap-up makes the agent available again.
    await expect.poll(() => agent.locator('#go-available').isDisabled()).toBe(true);
    await otherTab.locator('#go-available').waitFor({ state: 'visible' });
    await otherTab.close();
    await callUntilOffered(caller, agent);
    await agent.click('#accept-offer');
    for (const p of [agent, caller]) {
      await expect
        .poll(async () => total(await inbound(p), 'video', 'framesDecoded'), { timeout: 20_000 })
        .toBeGreaterThan(0);
    }
    const before = new Set([...(await inbound(agent)), ...(await inbound(caller))].map((s) => s.consumerId));
    const session = app.calls.sessions.all()[0]!;
    const killedAt = Date.now();
    process.kill(app.pool.workerPidOf(routerIdOf(session))!, 'SIGKILL');
    // New consumers on the new router decode video again, on both pages.
    for (const p of [agent, caller]) {
      await expect
        .poll(
          async () =>
            (await inbound(p)).some(
              (s) => !before.has(s.consumerId) && s.kind === 'video' && s.framesDecoded > 0,
            ),
          {
            timeout: 30_000,
            interval: 50,
          },
        )
        .toBe(true);
    }
    const recoveredMs = Date.now() - killedAt;
    expect(session.ended).toBe(false);
    console.log(
      `[e2e worker crash] media worker killed → video decoded again on both pages: ${recoveredMs} ms`,
    );
    await caller.click('#hang-up');
    await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    await agentCtx.close();
    await callerCtx.close();
  });
});
