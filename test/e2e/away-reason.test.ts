import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ko from '../../locales/ko/presence.json';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import { expectNoAxeViolations, launchChromium, newContext, signInAvailable } from './browser';

let app: TestApp;
let browser: Browser;
let agentId: string;

beforeAll(async () => {
  app = await startTestApp();
  agentId = (
    await app.store.accounts.create({
      username: 'resting',
      displayName: 'Resting Agent',
      role: 'agent',
      languages: ['kvk', 'ko'],
      password: TEST_PASSWORD,
    })
  ).id;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('an agent goes away with a reason (real Chromium)', () => {
  it('picks the reason by keyboard; the lobby, the page and the presence intervals keep it', async () => {
    const ctx = await newContext(browser, app.url);
    const agent = await ctx.newPage();
    await signInAvailable(agent, 'resting', TEST_PASSWORD);
    await expect.poll(() => app.calls.agents.presenceOf(agentId)).toBe('available');
    // The picker is labelled, and going away without a reason is not possible.
    expect(await agent.getByLabel(ko.picker.label).count()).toBe(1);
    await agent.click('#go-away');
    expect(app.calls.agents.presenceOf(agentId)).toBe('available');
    await expectNoAxeViolations(agent, 'agent console with the away-reason picker');

    // Keyboard only: into the picker, down to the second reason (meal), over to the button, Enter.
    await agent.focus('#away-reason');
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('ArrowDown');
    expect(await agent.locator('#away-reason').inputValue()).toBe('meal');
    await agent.keyboard.press('Tab');
    expect(await agent.evaluate(() => document.activeElement?.id)).toBe('go-away');
    await agent.keyboard.press('Enter');

    await expect
      .poll(() => agent.locator('#presence').textContent())
      .toBe(ko.picker.awayFor.replace('{{reason}}', ko.reasons.meal));
    expect(app.calls.agents.viewOf(agentId)).toEqual({ presence: 'away', reason: 'meal' });
    // Away for this reason already: the button waits for another one.
    expect(await agent.locator('#go-away').isDisabled()).toBe(true);
    await expectNoAxeViolations(agent, 'agent away for a meal');

    // The interval is written: open, away, for a meal.
    await expect
      .poll(async () => {
        const { edges } = await app.store.presence.overlapping(0, Date.now() + 1000);
        return edges.filter((e) => e.end === null).map((e) => [e.state, e.reason]);
      })
      .toEqual([['away', 'meal']]);
    await ctx.close();
  });
});
