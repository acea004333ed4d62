import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import { expectNoAxeViolations, inbound, launchChromium, newContext, total } from './browser';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp();
  await app.store.accounts.create({
    username: 'keys',
    displayName: 'Keyboard Agent',
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
  const v = await app.store.volunteers.register({
    username: 'keysvol',
    displayName: 'Keyboard Volunteer',
    password: TEST_PASSWORD,
    languages: [
      { tag: 'kvk', level: 'native' },
      { tag: 'ko', level: 'native' },
    ],
  });
  await app.store.accounts.setApproved(v.id, true);
  await app.store.volunteers.saveProfile(v.id, {
    weeklyHours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`; fails if it never does. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` : '';
  });
}

/** No sideways scrolling, and every control at least 24×24 CSS px (WCAG 2.2 target size). */
async function expectLayoutHolds(page: Page, label: string): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${label}: horizontal overflow`).toBeLessThanOrEqual(0);
  const small = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]')]
      .filter((el) => el.offsetParent !== null && !el.closest('.visually-hidden'))
      .filter((el) => !(el instanceof HTMLAnchorElement && el.classList.contains('skip-link')))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 24 || r.height < 24)
      .map(({ el, r }) => `${el.tagName}#${el.id} ${Math.round(r.width)}×${Math.round(r.height)}`),
  );
  expect(small, `${label}: targets under 24×24`).toEqual([]);
}

describe('every role by keyboard alone, at 320 px and at 200% text', () => {
  it('a caller and an agent complete a call without a mouse; focus lands where things change', async () => {
    const agentCtx = await newContext(browser, app.url, 'en-GB');
    const callerCtx = await newContext(browser, app.url, 'en-GB');
    const agent = await agentCtx.newPage();
    const caller = await callerCtx.newPage();

    await agent.goto('/agent/');
    await tabTo(agent, '#username');
    await agent.keyboard.type('keys');
    await agent.keyboard.press('Tab');
    await agent.keyboard.type(TEST_PASSWORD);
    await agent.keyboard.press('Enter');
    await agent.locator('#go-available').waitFor({ state: 'visible' });
    expect(await focused(agent)).toBe('h2#console-heading');
    await tabTo(agent, '#go-available');
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.locator('#presence').textContent()).toBe('Available');

    await caller.goto('/');
    await caller.waitForFunction(
      () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
    );
    await tabTo(caller, '#call-button');
    await caller.keyboard.press('Enter');
    await caller.locator('[data-view="waiting"]').waitFor({ state: 'visible' });
    expect(await focused(caller)).toBe('h2#waiting-heading');

    // The offer takes focus on Accept, so Enter answers it.
    await agent.locator('#offer').waitFor({ state: 'visible' });
    expect(await focused(agent)).toBe('button#accept-offer');
    await agent.keyboard.press('Enter');
    await expect
      .poll(async () => total(await inbound(caller), 'video', 'framesDecoded'), { timeout: 20_000 })
      .toBeGreaterThan(0);

    // In the call: chat by keyboard, then hang up by keyboard.
    await tabTo(caller, '#chat-input');
    await caller.keyboard.type('hello by keyboard');
    await caller.keyboard.press('Enter');
    await agent.locator('#chat-log li', { hasText: 'hello by keyboard' }).waitFor();
    await tabTo(caller, '#hang-up');
    await caller.keyboard.press('Enter');
    await caller.locator('[data-view="ended"]').waitFor({ state: 'visible' });
    expect(await focused(caller)).toBe('h2#ended-heading');

    // Wrap-up by keyboard.
    await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    await tabTo(agent, '#wrapup-form button[type=submit]');
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.locator('#presence').textContent()).toBe('Available');
    await agentCtx.close();
    await callerCtx.close();
  });

  it('a volunteer goes online and answers an invitation without a mouse', async () => {
    const ctx = await newContext(browser, app.url, 'en-GB');
    const page = await ctx.newPage();
    await page.goto('/volunteer/');
    await tabTo(page, '#username');
    await page.keyboard.type('keysvol');
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('#go-online').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#go-online').isEnabled()).toBe(true);
    await tabTo(page, '#go-online');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#presence').textContent()).toBe('Online, ready for calls');

    // An agent in a kvk call asks for an interpreter; the invitation takes focus on Accept.
    const { ok } = await import('../helpers/testApp');
    const { establishCall } = await import('../helpers/calls');
    const call = await establishCall(app, 'keys-agent-2');
    ok(await call.agent.request('agent:request-interpreter', {}));
    await page.locator('#invitation').waitFor({ state: 'visible' });
    expect(await focused(page)).toBe('button#accept-invitation');
    await expectNoAxeViolations(page, 'volunteer: invitation (en)');
    await page.keyboard.press('Enter');
    await page.locator('[data-view="call"]').waitFor({ state: 'visible' });
    // The interpreter sees a labelled tile for the caller and one for the agent.
    await expect.poll(() => page.locator('#remote-tiles figure').count()).toBe(2);
    ok(await call.agent.request('session:hangup', {}));
    await page.locator('[data-view="dashboard"]').waitFor({ state: 'visible' });
    for (const s of [call.agent, call.caller]) s.close();
    await ctx.close();
  });

  it('keeps every page usable at 320 px wide and with text at 200%', async () => {
    for (const path of ['/', '/agent/', '/volunteer/', '/supervisor/']) {
      const narrow = await browser.newContext({
        baseURL: app.url,
        viewport: { width: 320, height: 800 },
        locale: 'ko-KR',
      });
      const page = await narrow.newPage();
      await page.goto(path);
      await page.locator('h1').waitFor();
      await expectLayoutHolds(page, `${path} at 320 px`);
      await narrow.close();

      const big = await browser.newContext({
        baseURL: app.url,
        viewport: { width: 640, height: 900 },
        locale: 'en-GB',
      });
      const zoomed = await big.newPage();
      await zoomed.goto(path);
      await zoomed.locator('h1').waitFor();
      // Text at 200% (WCAG 1.4.4), set through the CSSOM, which the page's CSP allows.
      await zoomed.evaluate(() => document.documentElement.style.setProperty('font-size', '200%'));
      await expectLayoutHolds(zoomed, `${path} with 200% text`);
      await big.close();
    }
  });
});
