import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import ar from '../../locales/ar/translation.json';
import en from '../../locales/en/translation.json';
import ko from '../../locales/ko/translation.json';
import enSupervisor from '../../locales/en/supervisor.json';
import {
  expectNoAxeViolations,
  launchChromium,
  newContext,
  signInAvailable,
  signInOn,
  watchErrors,
} from './browser';

/**
 * A first-time caller's set-up at laptop sizes, what the line says while they wait, and a volunteer's
 * way in (hours at registration, "awaiting approval", what the supervisor sees before approving).
 */
let app: TestApp;
let browser: Browser;
const PENDING = { username: 'pending.lan', name: 'Nguyễn Thị Lan', contact: 'lan@example.org' };

beforeAll(async () => {
  app = await startTestApp();
  browser = await launchChromium();
  await app.store.accounts.create({
    username: 'boss',
    displayName: 'Park Supervisor',
    role: 'supervisor',
    languages: ['ko'],
    password: TEST_PASSWORD,
  });
  await app.store.accounts.create({
    username: 'spoken',
    displayName: 'Lee Spoken',
    role: 'agent',
    languages: ['ko'],
    password: TEST_PASSWORD,
  });
  await app.store.volunteers.register({
    username: PENDING.username,
    displayName: PENDING.name,
    password: TEST_PASSWORD,
    languages: [
      { tag: 'vi', level: 'native' },
      { tag: 'ko', level: 'fluent' },
    ],
    contact: PENDING.contact,
    weeklyHours: [{ day: 1, start: '19:00', end: '23:00' }],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The element's box lies inside the viewport: seen without scrolling. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

const bodyText = (page: Page) => page.evaluate(() => document.body.innerText);
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('caller set-up (real Chromium)', () => {
  it.each([
    { locale: 'ko-KR', lang: 'ko', strings: ko },
    { locale: 'en-US', lang: 'en', strings: en },
    { locale: 'ar', lang: 'ar', strings: ar },
  ])('$lang: Call in view at 1366×768 and 1280×900, languages only for an interpreter', async (c) => {
    const ctx = await newContext(browser, app.url, c.locale);
    const page = await ctx.newPage();
    watchErrors(page, `caller ${c.lang}`);
    const caller = c.strings.caller;
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1280, height: 900 },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto('/');
      await page.waitForFunction(
        () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
      );
      expect(await page.locator('html').getAttribute('lang')).toBe(c.lang);
      expect(await inViewport(page, '#call-button'), `Call at ${viewport.width}×${viewport.height}`).toBe(
        true,
      );
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
    }

    // Sign language is chosen at first: no language list, and the intro says sign language.
    expect(await page.locator('#interpreter-language').isVisible()).toBe(false);
    expect(await page.locator('#setup-intro').textContent()).toBe(
      `${caller.introFor.kvk} ${caller.checkDevices}`,
    );
    // The question is asked once.
    expect(occurrences(await bodyText(page), caller.needLabel)).toBe(1);
    await expectNoAxeViolations(page, `caller ${c.lang}: set-up, sign language`);

    await page.check('input[name="need"][value="interpreter"]');
    await page.locator('#interpreter-language').waitFor({ state: 'visible' });
    await page.selectOption('#interpreter-language', 'vi');
    const vietnamese = await page.locator('#interpreter-language option[value="vi"]').textContent();
    const intro = (await page.locator('#setup-intro').textContent()) ?? '';
    expect(intro).toBe(
      `${caller.introFor.interpreter.replace('{{language}}', vietnamese ?? '')} ${caller.checkDevices}`,
    );
    expect(intro).not.toContain(caller.introFor.kvk);
    // The list makes the choice taller: Call stays in view at both sizes.
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1280, height: 900 },
    ]) {
      await page.setViewportSize(viewport);
      expect(await inViewport(page, '#call-button'), `Call at ${viewport.width}×${viewport.height}`).toBe(
        true,
      );
    }
    await expectNoAxeViolations(page, `caller ${c.lang}: set-up, interpreter`);

    await page.check('input[name="need"][value="ko"]');
    await expect.poll(() => page.locator('#interpreter-language').isVisible()).toBe(false);
    expect(await page.locator('#setup-intro').textContent()).toBe(
      `${caller.introFor.ko} ${caller.checkDevices}`,
    );
    await ctx.close();
  });
});

describe('waiting, truthfully (real Chromium)', () => {
  it('names the missing interpreter; during an offer says "less than a minute", with nothing alarming', async () => {
    const ctx = await newContext(browser, app.url, 'en-US');
    const page = await ctx.newPage();
    watchErrors(page, 'caller');
    await page.goto('/');
    await page.waitForFunction(
      () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
    );

    // Vietnamese: no interpreter (and no Vietnamese-speaking agent) is online.
    await page.check('input[name="need"][value="interpreter"]');
    await page.selectOption('#interpreter-language', 'vi');
    await page.click('#call-button');
    await page.locator('[data-view="waiting"]').waitFor({ state: 'visible' });
    const estimate = page.locator('#queue-estimate');
    await expect
      .poll(() => estimate.textContent())
      .toBe(en.caller.noInterpreterOnline.replace('{{language}}', 'Vietnamese'));
    expect(await estimate.textContent()).not.toContain(en.caller.estimateUnknown);
    await expectNoAxeViolations(page, 'caller en: waiting for an interpreter');
    await page.click('#cancel-button');
    await page.locator('[data-view="setup"]').waitFor({ state: 'visible' });

    // Spoken Korean with an agent free: the call is offered at once.
    const agentCtx = await newContext(browser, app.url, 'en-US');
    const agent = await agentCtx.newPage();
    watchErrors(agent, 'agent');
    await signInAvailable(agent, 'spoken', TEST_PASSWORD);
    await expect.poll(() => agent.locator('#presence').textContent()).toBe(en.agent.presence.available);
    expect(await agent.locator('#sign-out').isVisible()).toBe(true);
    await page.check('input[name="need"][value="ko"]');
    await page.click('#call-button');
    await agent.locator('#offer').waitFor({ state: 'visible' });
    await expect.poll(() => estimate.textContent()).toBe(en.caller.estimateUnderMinute);
    const waiting = await bodyText(page);
    expect(waiting).not.toMatch(/about less/i);
    expect(await page.locator('#fallback').isVisible()).toBe(false);
    await expectNoAxeViolations(page, 'caller en: an agent is being offered the call');

    // In the call, the agent's header offers no sign-out (it would end the call with the page).
    await agent.click('#accept-offer');
    await agent.locator('[data-view="call"]').waitFor({ state: 'visible' });
    expect(await agent.locator('#sign-out').isVisible()).toBe(false);
    await agentCtx.close();
    await ctx.close();
  });
});

describe('a volunteer’s way in (real Chromium)', () => {
  it('before approval sign-in says so; the supervisor sees contact, levels and hours', async () => {
    const ctx = await newContext(browser, app.url, 'en-US');
    const page = await ctx.newPage();
    watchErrors(page, 'volunteer');
    await signInOn(page, '/volunteer/', PENDING.username, TEST_PASSWORD);
    await expect.poll(() => page.locator('#error').textContent()).toContain(en.errors['awaiting-approval']);
    expect(await page.locator('#error').textContent()).not.toContain(en.errors.forbidden);
    await expectNoAxeViolations(page, 'volunteer en: awaiting approval');

    const boss = await ctx.newPage();
    watchErrors(boss, 'supervisor');
    await signInOn(boss, '/supervisor/', 'boss', TEST_PASSWORD);
    const row = boss.locator('#pending-body tr', { hasText: PENDING.name });
    await row.waitFor({ state: 'visible' });
    const headers = await boss.locator('#pending-table thead th').allTextContents();
    const v = enSupervisor.volunteers;
    expect(headers.map((h) => h.trim())).toEqual([
      v.name,
      v.contact,
      v.languages,
      v.hours,
      v.registered,
      v.action,
    ]);
    const cells = (await row.locator('td').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(cells[0]).toBe(PENDING.contact);
    expect(cells[1]).toBe(`Vietnamese (${v.levels.native}) and Korean (${v.levels.fluent})`);
    expect(cells[2]).toBe('Mon 19:00–23:00');
    await expectNoAxeViolations(boss, 'supervisor en: approval table with contact, levels and hours');
    await ctx.close();
  });
});

describe('signing in before the page is ready (real Chromium)', () => {
  it('holds an early Enter until the page can take it: signed in, and the password never in a URL', async () => {
    const ctx = await newContext(browser, app.url, 'en-US');
    const page = await ctx.newPage();
    // The page's translations arrive late (a slow mobile network): its sign-in handler is not yet
    // attached when the agent has typed and pressed Enter.
    let release!: () => void;
    const late = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/assets/locale-*', async (route) => {
      await late;
      await route.continue();
    });
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto('/agent/', { waitUntil: 'domcontentloaded' });
    await page.fill('#username', 'spoken');
    await page.fill('#password', TEST_PASSWORD);
    await page.press('#password', 'Enter');
    release();
    await page.locator('#go-available').waitFor({ state: 'visible' });
    expect(urls.filter((u) => u.includes('password'))).toEqual([]);
    expect(new URL(page.url()).search).toBe('');
    await ctx.close();
  });
});
