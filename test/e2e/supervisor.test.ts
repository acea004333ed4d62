import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, ok, startTestApp, TEST_PASSWORD, type TestApp, type TestSocket } from '../helpers/testApp';
import { expectNoAxeViolations, launchChromium, newContext, tabTo, watchErrors } from './browser';

let app: TestApp;
let browser: Browser;
const callers: TestSocket[] = [];

beforeAll(async () => {
  app = await startTestApp();
  await app.store.accounts.create({
    username: 'boss',
    displayName: 'Park Supervisor',
    role: 'supervisor',
    languages: ['ko'],
    password: TEST_PASSWORD,
  });
  await app.store.accounts.create({
    username: 'signer',
    displayName: 'Kim Signing',
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
  for (const [username, displayName] of [
    ['linh', 'Tran Thi Linh'],
    ['mai', 'Nguyen Mai'],
  ]) {
    await app.store.accounts.create({
      username: username!,
      displayName: displayName!,
      role: 'volunteer',
      languages: ['vi', 'ko'],
      password: TEST_PASSWORD,
      approved: false,
    });
  }
  // Long names must not widen the page at 320 px.
  await app.store.accounts.create({
    username: 'a-very-long-volunteer-username-x',
    displayName: 'Nguyễn Thị Minh Khai Hoàng-Phương',
    role: 'volunteer',
    languages: ['vi', 'ko', 'zh', 'en'],
    password: TEST_PASSWORD,
  });
  // A deaf caller waits for Korean Sign Language: no agent is online, so they stay in line.
  const caller = await connect(app, '/caller');
  ok(await caller.request('lobby:request', { language: 'kvk', mode: 'video' }));
  callers.push(caller);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of callers) c.close();
  await browser?.close();
  await app?.stop();
});

const apiLogin = (username: string) =>
  fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });

async function signInWithKeyboard(page: Page, username: string): Promise<void> {
  await tabTo(page, '#username');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
  await page.keyboard.type(TEST_PASSWORD);
  await page.keyboard.press('Enter');
}

const cases = [
  {
    locale: 'ko-KR',
    lang: 'ko',
    volunteer: { username: 'linh', name: 'Tran Thi Linh' },
    kvk: '한국수어',
    approvedSays: '승인했습니다',
  },
  {
    locale: 'en-US',
    lang: 'en',
    volunteer: { username: 'mai', name: 'Nguyen Mai' },
    kvk: 'Korean Sign Language',
    approvedSays: 'is approved',
  },
] as const;

describe('the supervisor’s page (real Chromium, keyboard only)', () => {
  it.each(cases)(
    '$lang: signs in, sees live figures, approves a volunteer who can then sign in',
    async ({ locale, lang, volunteer, kvk, approvedSays }) => {
      const ctx = await newContext(browser, app.url, locale);
      const page = await ctx.newPage();
      watchErrors(page, `supervisor ${lang}`);

      await page.goto('/supervisor/');
      await expect.poll(() => page.locator('#signin-heading').textContent()).toBeTruthy();
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await expectNoAxeViolations(page, `supervisor ${lang}: sign-in`);
      expect(await apiLogin(volunteer.username).then((r) => r.status)).toBe(403);

      await signInWithKeyboard(page, 'boss');
      await page.locator('[data-view="dashboard"]').waitFor({ state: 'visible' });
      // Focus lands on the dashboard's first heading.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('figures-heading');
      await expect
        .poll(() => page.locator('#fig-callers-waiting').textContent())
        .toBe(String(callers.length));
      const kvkRow = page.locator('#languages-body tr', { hasText: kvk });
      expect(await kvkRow.locator('th[scope=row]').textContent()).toBe(kvk);
      expect(await kvkRow.locator('td').first().textContent()).toBe('1');
      expect(await page.locator('#agents-body tr').count()).toBe(6);
      expect(await page.locator('#fig-shift').textContent()).not.toBe('');
      // Tables have captions and header cells, and no live region repeats them every 5 s.
      for (const table of await page.locator('table').all()) {
        expect(await table.locator('caption').textContent()).toBeTruthy();
        expect(await table.locator('th').count()).toBeGreaterThan(0);
      }
      expect(
        await page
          .locator('table')
          .evaluateAll((ts) =>
            ts.some((t) => t.closest('[aria-live], [role=status], [role=alert], [role=log]')),
          ),
      ).toBe(false);
      const approve = page.locator(
        `#pending-body button[data-action="approve"][aria-label*="${volunteer.name}"]`,
      );
      await approve.waitFor({ state: 'visible' });
      await expectNoAxeViolations(page, `supervisor ${lang}: overview`);

      if (lang === 'ko') {
        // The figures refresh by polling: a second caller shows up without reloading.
        const second = await connect(app, '/caller');
        callers.push(second);
        ok(await second.request('lobby:request', { language: 'vi', mode: 'video' }));
        await expect
          .poll(() => page.locator('#fig-callers-waiting').textContent(), { timeout: 8000 })
          .toBe('2');
        expect(await page.locator('#languages-body tr').count()).toBe(2);
      }

      await tabTo(page, `#pending-body button[data-action="approve"][aria-label*="${volunteer.name}"]`);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#announcer').textContent()).toContain(approvedSays);
      expect(await page.locator('#announcer').textContent()).toContain(volunteer.name);
      await page
        .locator(`#others-body button[data-action="revoke"][aria-label*="${volunteer.name}"]`)
        .waitFor({ state: 'visible' });
      expect(await page.locator('#pending-body', { hasText: volunteer.name }).count()).toBe(0);
      // Focus stays in the volunteers section (the next Approve button, or its heading).
      expect(
        await page.evaluate(() =>
          document.activeElement?.closest('section')?.getAttribute('aria-labelledby'),
        ),
      ).toBe('volunteers-heading');
      await expectNoAxeViolations(page, `supervisor ${lang}: after approval`);

      if (lang === 'en') {
        // The screen language switches by keyboard too; lang, tables and buttons follow at once.
        await tabTo(page, '#ui-language');
        await page.keyboard.press('ArrowUp');
        await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('ko');
        expect(await page.locator('#summary-table caption').textContent()).toBe('지금의 대기열과 통화');
        expect(await page.locator('#languages-body th').allTextContents()).toContain('한국수어');
        expect(await page.locator(`#others-body button[aria-label*="${volunteer.name}"]`).textContent()).toBe(
          '승인 취소',
        );
        await expectNoAxeViolations(page, 'supervisor: switched from en to ko');
      }

      const login = await apiLogin(volunteer.username);
      expect(login.status).toBe(200);
      expect(await login.json()).toMatchObject({
        account: { role: 'volunteer', displayName: volunteer.name },
      });

      await ctx.close();
    },
  );

  it('tells a non-supervisor clearly that the page is not for them', async () => {
    const ctx = await newContext(browser, app.url, 'en-US');
    const page = await ctx.newPage();
    watchErrors(page, 'agent on supervisor page');
    await page.goto('/supervisor/');
    await expect.poll(() => page.locator('#signin-heading').textContent()).toBeTruthy();
    await signInWithKeyboard(page, 'signer');
    await page.locator('#error').waitFor({ state: 'visible' });
    expect(await page.locator('#error').textContent()).toContain('for supervisors only');
    expect(await page.locator('#error').textContent()).toContain('an agent');
    expect(await page.locator('[data-view="dashboard"]').isHidden()).toBe(true);
    expect(await page.locator('#sign-out').isVisible()).toBe(true);
    await expectNoAxeViolations(page, 'supervisor en: signed in as an agent');
    await ctx.close();
  });

  it('works at 320 px wide with targets of at least 24 × 24 px', async () => {
    const ctx = await browser.newContext({
      baseURL: app.url,
      locale: 'ko-KR',
      viewport: { width: 320, height: 720 },
    });
    const page = await ctx.newPage();
    watchErrors(page, 'supervisor 320px');
    await page.goto('/supervisor/');
    await expect.poll(() => page.locator('#signin-heading').textContent()).toBeTruthy();
    await signInWithKeyboard(page, 'boss');
    await page.locator('[data-view="dashboard"]').waitFor({ state: 'visible' });
    await page.locator('#others-body button').first().waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const small = await page.locator('button:visible, select:visible, input:visible').evaluateAll((els) =>
      els
        .map((el) => ({ id: el.id || el.textContent, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width < 24 || box.height < 24)
        .map(({ id }) => id),
    );
    expect(small).toEqual([]);
    await expectNoAxeViolations(page, 'supervisor ko: overview at 320 px');
    await ctx.close();
  });
});
