import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import { expectNoAxeViolations, launchChromium, newContext, signInOn } from './browser';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp();
  await app.store.accounts.create({
    username: 'sweep-super',
    displayName: 'Sweep Supervisor',
    role: 'supervisor',
    languages: ['ko'],
    password: TEST_PASSWORD,
  });
  const v = await app.store.volunteers.register({
    username: 'sweep-vol',
    displayName: 'Sweep Volunteer',
    password: TEST_PASSWORD,
    languages: [
      { tag: 'ar', level: 'native' },
      { tag: 'ko', level: 'fluent' },
    ],
  });
  await app.store.accounts.setApproved(v.id, true);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Every page and the states reachable without a call, in English and in Arabic (right to left). */
describe.each([
  { locale: 'en-GB', lang: 'en', dir: 'ltr' },
  { locale: 'ar', lang: 'ar', dir: 'rtl' },
])('axe-core on every page, UI in $lang', ({ locale, lang, dir }) => {
  async function open(path: string): Promise<Page> {
    const page = await (await newContext(browser, app.url, locale)).newPage();
    await page.goto(path);
    await page.locator('h1').waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      lang,
      dir,
    ]);
    return page;
  }

  it('caller: setup, then waiting with the fallback choices shown', async () => {
    const page = await open('/');
    await page.waitForFunction(
      () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
    );
    await expectNoAxeViolations(page, `caller setup (${lang})`);
    // Nobody can serve Khmer now: the fallback choices appear at once.
    await page.check('input[name=need][value=interpreter]');
    await page.selectOption('#interpreter-language', 'km');
    await page.click('#call-button');
    await page.locator('#fallback').waitFor({ state: 'visible' });
    await expectNoAxeViolations(page, `caller waiting with fallback (${lang})`);
    await page.click('#fallback button[data-choice="callback"]');
    await page.locator('#callback-note').waitFor({ state: 'visible' });
    await expectNoAxeViolations(page, `caller keeping the place (${lang})`);
    await page.click('#cancel-button');
    await page.context().close();
  });

  it('volunteer: sign-in, registration form, dashboard with profile', async () => {
    const page = await open('/volunteer/');
    await expectNoAxeViolations(page, `volunteer sign-in (${lang})`);
    await page.click('#show-register');
    await page.locator('#registration form').waitFor();
    await expectNoAxeViolations(page, `volunteer registration (${lang})`);
    await page.context().close();
    const signed = await (await newContext(browser, app.url, locale)).newPage();
    await signInOn(signed, '/volunteer/', 'sweep-vol', TEST_PASSWORD);
    await signed.locator('#profile form').waitFor();
    await expectNoAxeViolations(signed, `volunteer dashboard (${lang})`);
    await signed.context().close();
  });

  it('agent and supervisor: sign-in and signed-in views', async () => {
    const agent = await open('/agent/');
    await expectNoAxeViolations(agent, `agent sign-in (${lang})`);
    await agent.context().close();
    const supervisor = await (await newContext(browser, app.url, locale)).newPage();
    await signInOn(supervisor, '/supervisor/', 'sweep-super', TEST_PASSWORD);
    await supervisor.locator('table').first().waitFor();
    await expectNoAxeViolations(supervisor, `supervisor dashboard (${lang})`);
    await supervisor.context().close();
  });
});
