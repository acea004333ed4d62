import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import ko from '../../locales/ko/translation.json';
import { callUntilOffered, launchChromium, newContext, signInAvailable } from './browser';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  // A long grace: the caller who closed the page keeps their place while the agent answers.
  app = await startTestApp({}, { reconnectGraceMs: 60_000 });
  await app.store.accounts.create({
    username: 'early',
    displayName: 'Early Agent',
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

describe('a call the service cuts before its caller came owes no wrap-up (real Chromium)', () => {
  it('the agent is back at the console, not at a wrap-up form, after a shutdown cuts it', async () => {
    const agentCtx = await newContext(browser, app.url);
    const callerCtx = await newContext(browser, app.url);
    const agent = await agentCtx.newPage();
    const caller = await callerCtx.newPage();
    await signInAvailable(agent, 'early', TEST_PASSWORD);
    await callUntilOffered(caller, agent);
    // The caller's page closes while the offer rings: their place is held, so the agent can answer.
    await callerCtx.close();
    await agent.click('#accept-offer');
    await agent.locator('[data-view="call"]').waitFor({ state: 'visible' });
    // The agent is in the call (joined, media set up), alone: the caller never comes.
    const session = () => app.calls.sessions.all()[0];
    await expect.poll(() => session()?.participantByRole('agent')?.connected, { timeout: 10_000 }).toBe(true);
    // Its set-up is over: the page says "in the call" once its media is up (camera and microphone).
    await expect
      .poll(() => agent.locator('#announcer').textContent(), { timeout: 15_000 })
      .toBe(ko.call.inCall);
    expect(await session()!.media.producersFor('nobody')).toHaveLength(2);
    expect(session()?.callerJoined).toBe(false);

    // Past the drain limit at once: the call is ended with reason shutdown, the caller never came.
    await app.drain(0);
    await agent.locator('[data-view="console"]').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await agent.locator('[data-view="wrapup"]').isHidden()).toBe(true);
    // Nothing went wrong on the page's side: the call simply ended.
    expect(
      await agent.locator('#error').isHidden(),
      (await agent.locator('#error').textContent()) ?? '',
    ).toBe(true);
    await agentCtx.close();
  });
});
