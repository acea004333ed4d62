import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import { expectNoAxeViolations, inbound, launchChromium, newContext, screenshot, total } from './browser';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

// A server of its own for each locale, so one locale's failure cannot leave a call behind for the next.
beforeEach(async () => {
  app = await startTestApp();
  await app.store.accounts.create({
    username: 'signer',
    displayName: 'Kim Signing',
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
});

afterEach(async () => {
  for (const context of browser.contexts()) await context.close();
  await app?.stop();
});

/** Polls the page's own getStats until remote video is decoded and remote audio arrives. */
async function waitForMedia(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const s = await inbound(page);
        return total(s, 'video', 'framesDecoded') > 0 && total(s, 'audio', 'packetsReceived') > 0;
      },
      { timeout: 20_000, interval: 25 },
    )
    .toBe(true);
}

// Korean, and Arabic for a right-to-left layout: every state is checked with axe in both.
describe.each([
  { locale: 'ko-KR', available: '상담 가능', kvk: '한국수어', dir: 'ltr' },
  { locale: 'ar', available: null, kvk: null, dir: 'rtl' },
])(
  'a deaf caller reaches a signing agent by video (real Chromium, real SFU), UI in $locale',
  ({ locale, available, kvk, dir }) => {
    it('connects both ways, media flows both ways, and hang-up frees the router', async () => {
      const agentCtx = await newContext(browser, app.url, locale);
      const callerCtx = await newContext(browser, app.url, locale);
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
        page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));
      }

      // Agent signs in and goes available.
      await agent.goto('/agent/');
      await expect.poll(() => agent.locator('#signin-heading').textContent()).toBeTruthy();
      await expectNoAxeViolations(agent, 'agent: sign-in');
      await agent.fill('#username', 'signer');
      await agent.fill('#password', TEST_PASSWORD);
      await agent.click('form#signin-form button[type=submit]');
      await agent.locator('#go-available').waitFor({ state: 'visible' });
      await agent.click('#go-available');
      await expect.poll(() => agent.locator('#go-available').isDisabled()).toBe(true);
      if (available) expect(await agent.locator('#presence').textContent()).toBe(available);
      expect(await agent.evaluate(() => document.documentElement.dir)).toBe(dir);
      await expectNoAxeViolations(agent, 'agent: available');

      // Caller checks the preview and calls for Korean Sign Language.
      await caller.goto('/');
      await caller.waitForFunction(
        () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
      );
      await expectNoAxeViolations(caller, 'caller: setup');
      await caller.click('#call-button');

      // The offer reaches the agent; the caller waits in line meanwhile.
      await agent.locator('#offer').waitFor({ state: 'visible' });
      if (kvk) await expect.poll(() => agent.locator('#offer-language').textContent()).toContain(kvk);
      await expectNoAxeViolations(agent, 'agent: offer shown');
      await caller.locator('[data-view="waiting"]').waitFor({ state: 'visible' });
      await expectNoAxeViolations(caller, 'caller: waiting in line');
      if (dir === 'ltr') await screenshot(caller, 'caller-waiting');
      if (dir === 'ltr') await screenshot(agent, 'agent-offer');

      const acceptedAt = Date.now();
      await agent.click('#accept-offer');
      await Promise.all([waitForMedia(agent), waitForMedia(caller)]);
      const firstFrameMs = Date.now() - acceptedAt;
      expect(app.pool.routerCount).toBe(1);

      // Media keeps flowing both ways: counters rise over a measured window.
      const windowMs = 3000;
      const before = { agent: await inbound(agent), caller: await inbound(caller) };
      await new Promise((r) => setTimeout(r, windowMs));
      const after = { agent: await inbound(agent), caller: await inbound(caller) };
      const fps: Record<string, number> = {};
      for (const side of ['agent', 'caller'] as const) {
        const frames =
          total(after[side], 'video', 'framesDecoded') - total(before[side], 'video', 'framesDecoded');
        const packets =
          total(after[side], 'audio', 'packetsReceived') - total(before[side], 'audio', 'packetsReceived');
        expect(frames, `${side} decodes remote video`).toBeGreaterThan(0);
        expect(packets, `${side} receives remote audio`).toBeGreaterThan(0);
        fps[side] = frames / (windowMs / 1000);
      }
      await expectNoAxeViolations(caller, 'caller: in call');
      await expectNoAxeViolations(agent, 'agent: in call');

      console.log(
        `[e2e two-way ${locale}] accept → first remote frame on both pages: ${firstFrameMs} ms; ` +
          `received video fps: agent ${fps['agent']!.toFixed(1)}, caller ${fps['caller']!.toFixed(1)}`,
      );

      // Real-time text: what the caller types shows on the agent's screen as it is typed. Both pages
      // stamp the moment in the browser (one machine, one clock), so the figure is keystroke → screen
      // and not the test's own round trips to the browser, which grow on a loaded machine.
      await agent.evaluate(() => {
        const drafts = document.querySelector('#rtt-drafts')!;
        const w = window as unknown as { rttShownAt?: number };
        new MutationObserver((_, observer) => {
          if (!drafts.textContent?.includes('hello')) return;
          w.rttShownAt = Date.now();
          observer.disconnect();
        }).observe(drafts, { childList: true, subtree: true, characterData: true });
      });
      await caller.evaluate(() => {
        const w = window as unknown as { rttTypedAt?: number };
        document.querySelector('#chat-input')!.addEventListener('input', () => (w.rttTypedAt = Date.now()));
      });
      await caller.locator('#chat-input').focus();
      await caller.keyboard.type('안녕하세요 hello', { delay: 30 });
      await agent.waitForFunction(
        () => (window as unknown as { rttShownAt?: number }).rttShownAt,
        undefined,
        {
          timeout: 5000,
        },
      );
      const shownAt = await agent.evaluate(() => (window as unknown as { rttShownAt: number }).rttShownAt);
      const typedAt = await caller.evaluate(() => (window as unknown as { rttTypedAt: number }).rttTypedAt);
      const rttMs = shownAt - typedAt;
      expect(rttMs, 'real-time text within 500 ms').toBeLessThan(500);
      await caller.keyboard.press('Enter');
      await agent.locator('#chat-log li', { hasText: '안녕하세요 hello' }).waitFor();
      await expect.poll(() => agent.locator('#rtt-drafts').textContent()).toBe('');
      await expectNoAxeViolations(agent, 'agent: chat in call');
      await screenshot(caller, dir === 'ltr' ? 'caller-in-call' : 'caller-in-call-rtl');
      if (dir === 'ltr') await screenshot(agent, 'agent-in-call');
      console.log(
        `[e2e two-way ${locale}] real-time text: last keystroke → shown on the other page: ${rttMs} ms`,
      );

      // Hang-up ends the call for both and the server closes the router.
      await caller.click('#hang-up');
      await caller.locator('[data-view="ended"]').waitFor({ state: 'visible' });
      await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
      await expect.poll(() => app.pool.routerCount, { timeout: 5000 }).toBe(0);
      await caller.locator('#survey-form').waitFor({ state: 'visible' });
      await expectNoAxeViolations(caller, 'caller: call ended, survey');
      await caller.check('#survey-options input[value="5"]');
      await caller.click('#survey-send');
      await caller.locator('#survey-thanks').waitFor({ state: 'visible' });
      await expect.poll(async () => (await app.store.calls.list({})).some((r) => r.rating === 5)).toBe(true);
      await expectNoAxeViolations(agent, 'agent: wrap-up');

      await agent.click('form#wrapup-form button[type=submit]');
      await expect.poll(() => agent.locator('#go-available').isDisabled()).toBe(true);

      await agentCtx.close();
      await callerCtx.close();
    });
  },
);
