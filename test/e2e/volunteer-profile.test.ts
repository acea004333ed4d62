import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import ko from '../../locales/ko/translation.json';
import { expectNoAxeViolations, launchChromium, newContext, signInOn } from './browser';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? { id: el.id, tag: el.tagName.toLowerCase(), text: el.textContent?.trim() ?? '' } : null;
  });

/** Presses Tab until the focused element matches `selector` (keyboard only, as a user would). */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}; focus is on ${JSON.stringify(await focused(page))}`);
}

/** Types into the focused field, then Tab to the next one. */
async function typeAndTab(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press('Tab');
}

/** Changes the focused (closed) select with arrow keys until it holds `value`. */
async function arrowSelect(page: Page, value: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const current = await page.evaluate(() => (document.activeElement as HTMLSelectElement).value);
    if (current === value) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not reach option ${value} with the arrow keys`);
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('volunteer registration and profile (real Chromium)', () => {
  it('registers with the keyboard only, is approved, edits hours, and finds them after a reload', async () => {
    const ctx = await newContext(browser, app.url, 'ko-KR');
    const page = await ctx.newPage();
    page.on('pageerror', (e) => console.log(`[volunteer] page error: ${e.message}`));

    await page.goto('/volunteer/');
    await page.locator('#show-register').waitFor({ state: 'visible' });

    // ── register, keyboard only ──
    await tabTo(page, '#show-register');
    await page.keyboard.press('Enter');
    const form = page.locator('#registration form.vp-form');
    await form.waitFor({ state: 'visible' });
    await expectNoAxeViolations(page, 'volunteer: registration form (ko)');

    await tabTo(page, '#registration input[name="displayName"]');
    await typeAndTab(page, 'Nguyễn Thị Lan');
    await typeAndTab(page, 'lan.nguyen');
    await typeAndTab(page, TEST_PASSWORD);
    await typeAndTab(page, 'not the same password');
    await typeAndTab(page, 'lan@example.org');
    // Language 1 is Korean already; its level:
    await tabTo(page, '#registration select[id^="vreg-level"]');
    await arrowSelect(page, 'fluent');
    // Language 2: Vietnamese, native.
    await tabTo(page, '#registration li:nth-child(2) select[id^="vreg-lang"]');
    await arrowSelect(page, 'vi');
    await page.keyboard.press('Tab');
    await arrowSelect(page, 'native');
    // Weekly hours can be given now, before any approval: Monday 19:00–23:00, Korea time.
    await tabTo(page, '#registration .vp-hours button.vp-add');
    await page.keyboard.press('Enter');
    expect(await activeId(page)).toMatch(/^vreg-day-/);
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)).toBe('1');
    await page.keyboard.press('Tab');
    await page.locator('#registration input[id^="vreg-start"]').fill('19:00');
    await page.locator('#registration input[id^="vreg-end"]').fill('23:00');
    await tabTo(page, '#registration button[type="submit"]');
    await page.keyboard.press('Enter');

    // The mismatched confirmation is refused: summary in an alert, the field marked and focused.
    const alert = page.locator('#registration [role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('두 비밀번호가 서로 다릅니다.');
    const confirm = page.locator('#registration input[name="confirm"]');
    expect(await confirm.getAttribute('aria-invalid')).toBe('true');
    expect(await activeId(page)).toBe(await confirm.getAttribute('id'));
    const describedBy = (await confirm.getAttribute('aria-describedby'))?.split(' ') ?? [];
    const messages = await Promise.all(describedBy.map((id) => page.locator(`#${id}`).textContent()));
    expect(messages).toContain('두 비밀번호가 서로 다릅니다.');
    await expectNoAxeViolations(page, 'volunteer: registration refused (ko)');

    await page.keyboard.press('Control+A');
    await page.keyboard.type(TEST_PASSWORD);
    await tabTo(page, '#registration button[type="submit"]');
    await page.keyboard.press('Enter');
    const thanks = page.locator('#registration .vp-done');
    await expect.poll(() => thanks.textContent(), { timeout: 10_000 }).toContain('감사합니다');
    expect(await thanks.getAttribute('role')).toBe('status');
    await expectNoAxeViolations(page, 'volunteer: registered (ko)');

    const account = await app.store.accounts.findByUsername('lan.nguyen');
    expect(account).toMatchObject({ role: 'volunteer', approved: false, languages: ['ko', 'vi'] });
    expect(await app.store.volunteers.getProfile(account!.id)).toMatchObject({
      languages: [
        { tag: 'ko', level: 'fluent' },
        { tag: 'vi', level: 'native' },
      ],
      contact: 'lan@example.org',
      weeklyHours: [{ day: 1, start: '19:00', end: '23:00' }],
    });

    // ── before approval, the right password is told so, in the page's language ──
    await page.goto('/volunteer/');
    await page.fill('#username', 'lan.nguyen');
    await page.fill('#password', TEST_PASSWORD);
    await page.click('#signin-form button[type="submit"]');
    await expect
      .poll(() => page.locator('#error').textContent())
      .toContain('관리자의 승인을 기다리고 있습니다');

    // ── a supervisor approves; the volunteer signs in ──
    await app.store.accounts.setApproved(account!.id, true);
    await page.goto('/volunteer/');
    await page.fill('#username', 'lan.nguyen');
    await page.fill('#password', TEST_PASSWORD);
    await page.click('#signin-form button[type="submit"]');
    const editor = page.locator('#profile form.vp-form');
    await editor.waitFor({ state: 'visible' });
    await expectNoAxeViolations(page, 'volunteer: profile loaded (ko)');

    // ── the hours given at registration are there; seen from Ho Chi Minh City; a Tuesday is added ──
    const slots = page.locator('#profile .vp-rows li').filter({ has: page.locator('input[type="time"]') });
    await expect.poll(() => slots.count()).toBe(1);
    const slot = slots.first();
    expect(await slot.locator('select').inputValue()).toBe('1'); // Monday
    expect(await slot.locator('input[id^="vprof-start"]').inputValue()).toBe('19:00');
    expect(await slot.locator('input[id^="vprof-end"]').inputValue()).toBe('23:00');
    await page.selectOption('#profile select[id^="vprof-timezone"]', 'Asia/Ho_Chi_Minh');
    await expect.poll(() => slot.locator('.vp-converted').textContent()).toContain('17:00–21:00');
    await page.getByRole('button', { name: '시간대 추가' }).click();
    await expect.poll(() => slots.count()).toBe(2);
    const tuesday = slots.nth(1);
    expect(await tuesday.locator('select').inputValue()).toBe('2'); // the day after the last slot's
    await tuesday.locator('input[id^="vprof-start"]').fill('09:00');
    await tuesday.locator('input[id^="vprof-end"]').fill('12:00');
    await page.getByRole('button', { name: '프로필 저장' }).click();
    const status = page.locator('#profile [role="status"]');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('프로필을 저장했습니다');
    await expectNoAxeViolations(page, 'volunteer: profile saved (ko)');
    expect(await app.store.volunteers.getProfile(account!.id)).toMatchObject({
      weeklyHours: [
        { day: 1, start: '19:00', end: '23:00' },
        { day: 2, start: '09:00', end: '12:00' },
      ],
      timeZone: 'Asia/Ho_Chi_Minh',
    });

    // ── reload: still signed in, the hours are there ──
    await page.reload();
    await editor.waitFor({ state: 'visible' });
    const saved = page.locator('#profile .vp-rows li').filter({ has: page.locator('input[type="time"]') });
    await expect.poll(() => saved.count()).toBe(2);
    expect(await saved.first().locator('select').inputValue()).toBe('1');
    expect(await saved.first().locator('input[id^="vprof-start"]').inputValue()).toBe('19:00');
    expect(await saved.first().locator('input[id^="vprof-end"]').inputValue()).toBe('23:00');
    expect(await page.locator('#profile select[id^="vprof-timezone"]').inputValue()).toBe('Asia/Ho_Chi_Minh');
    await expectNoAxeViolations(page, 'volunteer: profile after reload (ko)');

    // ── the same in English, and at 320 px ──
    await page.selectOption('#ui-language', 'en');
    await expect
      .poll(() => saved.first().locator('.vp-converted').textContent())
      .toBe('Mon 19:00–23:00 in Seoul = Mon 17:00–21:00 in Ho Chi Minh');
    await expectNoAxeViolations(page, 'volunteer: profile (en)');
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectNoAxeViolations(page, 'volunteer: profile at 320 px (en)');
    await ctx.close();
  });

  it('shows every registration error in English, tied to its field, and stays axe-clean at 320 px', async () => {
    const ctx = await newContext(browser, app.url, 'en-US');
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto('/volunteer/');
    await page.click('#show-register');
    await page.locator('#registration form.vp-form').waitFor({ state: 'visible' });
    await expectNoAxeViolations(page, 'volunteer: registration form (en, 320 px)');

    // Korean alone is not enough, and a level is missing.
    await page.selectOption('#registration li:nth-child(2) select[id^="vreg-lang"]', 'ko');
    await page.click('#registration button[type="submit"]');
    const alert = page.locator('#registration [role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('Enter your name.');
    const text = (await alert.textContent()) ?? '';
    for (const message of [
      'Use 3 to 32 characters',
      'at least 12 characters',
      'Korean is listed twice.',
      'Choose your level.',
    ]) {
      expect(text).toContain(message);
    }
    expect(await page.locator('#registration [aria-invalid="true"]').count()).toBeGreaterThanOrEqual(4);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectNoAxeViolations(page, 'volunteer: registration errors (en, 320 px)');

    // A username someone already has: the server's refusal lands on the username field.
    await page.fill('#registration input[name="displayName"]', 'Tran Van Minh');
    await page.fill('#registration input[name="username"]', 'lan.nguyen');
    await page.fill('#registration input[name="password"]', TEST_PASSWORD);
    await page.fill('#registration input[name="confirm"]', TEST_PASSWORD);
    await page.selectOption('#registration li:nth-child(2) select[id^="vreg-lang"]', 'zh-CN');
    for (const level of await page.locator('#registration select[id^="vreg-level"]').all()) {
      await level.selectOption('fluent');
    }
    await page.click('#registration button[type="submit"]');
    await expect.poll(() => alert.textContent()).toContain('This username is already taken');
    const username = page.locator('#registration input[name="username"]');
    expect(await username.getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(page, 'volunteer: username taken (en)');
    await ctx.close();
  });
});

describe('a sign-in the server ends (real Chromium)', () => {
  it('an agent disabled while signed in is back at the sign-in form, told why in their language', async () => {
    const ctx = await newContext(browser, app.url, 'ko-KR');
    const page = await ctx.newPage();
    const { id } = await app.addAgent('e2e-disabled');
    await signInOn(page, '/agent/', 'e2e-disabled', TEST_PASSWORD);
    await page.locator('#go-available').waitFor({ state: 'visible' });

    // As the accounts CLI does it (another process, the same database): the page cannot be told by HTTP.
    await app.store.accounts.disable(id);
    const told = page.locator('#error');
    await told.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await told.textContent()).toBe(ko.agent.signedOutByServer);
    expect(await told.getAttribute('role')).toBe('alert');
    await page.locator('#signin-form').waitFor({ state: 'visible' });
    expect(new URL(page.url()).search).toBe('');
    await expectNoAxeViolations(page, 'agent: signed out by the server (ko)');
    await ctx.close();
  });
});
