import fs from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import {
  callUntilOffered,
  expectNoAxeViolations,
  launchChromium,
  newContext,
  signInAvailable,
  tabTo,
  watchErrors,
} from './browser';

let app: TestApp;
let browser: Browser;

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
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A cell of the "All" row of a figures table, as read out (value, then its sample size). */
const totalCell = async (page: Page, table: string, column: string) =>
  text(page.locator(`#figures-${table} tr.total td[data-col="${column}"]`));

/** Text content with runs of whitespace as one space, as a screen reader reads it. */
const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Saves what a download button gives and returns the file's bytes. */
async function download(page: Page, selector: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await file.path();
  return fs.readFileSync(path);
}

describe('the supervisor’s figures for a period (real Chromium, real call)', () => {
  it('today’s figures change after a call is wrapped up and rated; charts have tables; CSV opens in Excel; axe-clean in ko, en, ar', async () => {
    const supCtx = await newContext(browser, app.url, 'ko-KR');
    const sup = await supCtx.newPage();
    watchErrors(sup, 'supervisor');
    await sup.goto('/supervisor/');
    await sup.fill('#username', 'boss');
    await sup.fill('#password', TEST_PASSWORD);
    await sup.click('form#signin-form button[type=submit]');
    await sup.locator('#figures-shift').waitFor({ state: 'visible' });
    // Nothing has happened today: zero calls, and shares with no sample read "—", with n shown.
    expect(await totalCell(sup, 'shift', 'calls')).toBe('0');
    expect(await totalCell(sup, 'shift', 'satisfaction')).toBe('—표본 없음표본 0');
    // The sections other modules contribute are mounted and loaded for the same period.
    await sup.locator('[data-section="presence"] #presence-heading').waitFor({ state: 'visible' });
    await expectNoAxeViolations(sup, 'supervisor ko: figures, nothing yet');

    // A real call: a deaf caller reaches the signing agent, hangs up, rates 5; the agent wraps up.
    const agentCtx = await newContext(browser, app.url, 'ko-KR');
    const callerCtx = await newContext(browser, app.url, 'ko-KR');
    const agent = await agentCtx.newPage();
    const caller = await callerCtx.newPage();
    watchErrors(agent, 'agent');
    watchErrors(caller, 'caller');
    await signInAvailable(agent, 'signer', TEST_PASSWORD);
    await expect.poll(() => agent.locator('#go-available').isDisabled()).toBe(true);
    await callUntilOffered(caller, agent);
    await agent.click('#accept-offer');
    await caller.locator('#hang-up').waitFor({ state: 'visible' });
    await caller.click('#hang-up');
    await caller.locator('#survey-form').waitFor({ state: 'visible' });
    await caller.check('#survey-options input[value="5"]');
    await caller.click('#survey-send');
    await caller.locator('#survey-thanks').waitFor({ state: 'visible' });
    await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    await agent.click('form#wrapup-form button[type=submit]');
    await expect.poll(() => agent.locator('#go-available').isDisabled()).toBe(true);

    // The supervisor refreshes (by keyboard) and sees today's figures move: one call, answered,
    // resolved and rated 5 of 5, each share over a sample of one.
    await tabTo(sup, '#figures-refresh', 120);
    await expect
      .poll(
        async () => {
          await sup.keyboard.press('Enter');
          await expect.poll(() => sup.locator('#figures-refresh').isDisabled()).toBe(false);
          return totalCell(sup, 'shift', 'satisfaction');
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('100%표본 1');
    expect(await totalCell(sup, 'shift', 'calls')).toBe('1');
    expect(await totalCell(sup, 'shift', 'answered')).toBe('1');
    expect(await totalCell(sup, 'shift', 'firstContactResolution')).toBe('100%표본 1');
    expect(await totalCell(sup, 'language', 'calls')).toBe('1');
    const kvkRow = sup.locator('#figures-language tbody tr', { hasText: '한국수어' });
    expect(await text(kvkRow.locator('td[data-col="answered"]'))).toBe('1');
    expect(await sup.locator('#figures-agent tbody tr', { hasText: 'Kim Signing' }).count()).toBe(1);

    // A chart's table equivalent opens by keyboard and holds the call under its hour.
    const toggle = sup.locator('#chart-volume-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await sup.locator('#chart-volume-svg').getAttribute('role')).toBe('img');
    expect(await sup.locator('#chart-volume-svg').getAttribute('aria-label')).toContain('1');
    await tabTo(sup, '#chart-volume-toggle', 120);
    await sup.keyboard.press('Enter');
    await sup.locator('#chart-volume-table table').waitFor({ state: 'visible' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const perHour = await sup.locator('#chart-volume-table tbody tr td:nth-of-type(1)').allInnerTexts();
    expect(perHour).toHaveLength(24);
    expect(perHour.map(Number).reduce((a, b) => a + b, 0)).toBe(1);

    // The call list shows the call; its CSV opens in Excel: BOM, CRLF, Korean headers and the row.
    await sup.locator('#calls-body tr', { hasText: 'Kim Signing' }).waitFor();
    const calls = await download(sup, 'button[data-csv="calls"]');
    expect([...calls.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const callsText = calls.subarray(3).toString('utf8');
    const lines = callsText.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toContain('언어');
    expect(lines[0]).toContain('상담사');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('한국수어');
    expect(lines[1]).toContain('Kim Signing');
    expect(lines[1]).toContain('완료');
    expect(lines[1]!.split(',').at(-1)).toBe('5');

    const byLanguage = (await download(sup, 'button[data-csv="language"]')).toString('utf8');
    expect(byLanguage.startsWith('\uFEFF언어,통화,응답,')).toBe(true);
    expect(byLanguage).toContain('\r\n한국수어,1,1,0,0,');
    await expectNoAxeViolations(sup, 'supervisor ko: figures after a call, chart table open');

    // The last 7 days include today: the same call, fetched again for the new period.
    await sup.locator('input[name="period"][value="7d"]').focus();
    await sup.keyboard.press('Space');
    await expect.poll(() => sup.locator('input[name="period"][value="7d"]').isChecked()).toBe(true);
    await expect.poll(() => sup.locator('#figures-refresh').isDisabled()).toBe(false);
    await expect.poll(() => totalCell(sup, 'shift', 'calls')).toBe('1');
    await expect.poll(() => sup.locator('#calls-body tr', { hasText: 'Kim Signing' }).count()).toBe(1);
    expect(await sup.locator('#calls-body tr').count()).toBe(1);

    // English, then Arabic (right to left): a language change is a re-render of the same state.
    await sup.selectOption('#ui-language', 'en');
    await expect.poll(() => sup.locator('html').getAttribute('lang')).toBe('en');
    expect(await totalCell(sup, 'shift', 'satisfaction')).toBe('100%n = 1');
    expect(await text(sup.locator('#chart-volume-toggle'))).toBe('Hide table');
    await expectNoAxeViolations(sup, 'supervisor en: figures');
    await sup.selectOption('#ui-language', 'ar');
    await expect.poll(() => sup.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await sup.locator('#figures-language caption').textContent()).toBe('الأرقام حسب لغة المتصل');
    await expectNoAxeViolations(sup, 'supervisor ar: figures (RTL)');

    await Promise.all([supCtx.close(), agentCtx.close(), callerCtx.close()]);
  });
});
