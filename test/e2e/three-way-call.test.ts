import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import {
  expectNoAxeViolations,
  inbound,
  launchChromium,
  newContext,
  receivingFrom,
  screenshot,
  signInOn,
} from './browser';

let app: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // A short grace, so that the interpreter's drop is noticed within the test.
  app = await startTestApp({}, { reconnectGraceMs: 2000 });
  await app.store.accounts.create({
    username: 'kim',
    displayName: 'Kim Agent',
    role: 'agent',
    languages: ['ko'],
    password: TEST_PASSWORD,
  });
  for (const name of ['lan', 'minh', 'thu']) {
    const v = await app.store.volunteers.register({
      username: name,
      displayName: `Volunteer ${name}`,
      password: TEST_PASSWORD,
      languages: [
        { tag: 'vi', level: 'native' },
        { tag: 'ko', level: 'fluent' },
      ],
    });
    await app.store.accounts.setApproved(v.id, true);
    await app.store.volunteers.saveProfile(v.id, {
      weeklyHours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
    });
  }
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

async function page(): Promise<Page> {
  const context = await newContext(browser, app.url);
  contexts.push(context);
  const p = await context.newPage();
  p.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  return p;
}

/** This page decodes video and receives audio from `count` other participants. */
async function expectMediaFrom(p: Page, count: number, label: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const from = [...receivingFrom(await inbound(p)).values()];
        return from.filter((f) => f.video > 0 && f.audio > 0).length;
      },
      { timeout: 20_000, interval: 50, message: `${label} receives video and audio from ${count} others` },
    )
    .toBe(count);
}

describe('a foreign resident reaches an agent plus a volunteer interpreter (three browsers)', () => {
  it('invites volunteers, joins the first to accept, carries media three ways, and rings again when the interpreter drops', async () => {
    const [lan, minh, thu] = [await page(), await page(), await page()];
    for (const [p, name] of [
      [lan, 'lan'],
      [minh, 'minh'],
      [thu, 'thu'],
    ] as const) {
      await signInOn(p, '/volunteer/', name, TEST_PASSWORD);
      await p.locator('#go-online').waitFor({ state: 'visible' });
      await expect.poll(() => p.locator('#go-online').isEnabled()).toBe(true);
      await p.click('#go-online');
      await expect.poll(() => p.locator('#presence').textContent()).toBe('온라인, 통화 가능');
    }
    await expectNoAxeViolations(lan, 'volunteer: online');

    const agent = await page();
    await signInOn(agent, '/agent/', 'kim', TEST_PASSWORD);
    await agent.locator('#go-available').waitFor({ state: 'visible' });
    await agent.click('#go-available');

    const caller = await page();
    await caller.goto('/');
    await caller.check('input[name=need][value=interpreter]');
    await caller.selectOption('#interpreter-language', 'vi');
    await caller.waitForFunction(
      () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
    );
    await caller.click('#call-button');

    // The agent is offered a bridged call; accepting rings the volunteers.
    await agent.locator('#offer').waitFor({ state: 'visible' });
    await expect.poll(() => agent.locator('#offer-details').textContent()).toContain('통역사');
    await agent.click('#accept-offer');
    for (const v of [lan, minh, thu]) await v.locator('#invitation').waitFor({ state: 'visible' });
    await expectNoAxeViolations(lan, 'volunteer: invitation shown');
    await screenshot(lan, 'volunteer-invitation');

    // Minh declines, Lan accepts first, Thu is told another volunteer answered.
    await minh.click('#decline-invitation');
    const acceptedAt = Date.now();
    await lan.click('#accept-invitation');
    await thu.locator('#invitation').waitFor({ state: 'hidden' });
    await expect.poll(() => thu.locator('#presence-note').textContent()).toContain('먼저');

    // Each of the three pages receives video and audio from both others.
    await expect
      .poll(
        async () =>
          [...receivingFrom(await inbound(caller)).values()].some(
            (f) => f.role === 'interpreter' && f.video > 0,
          ),
        { timeout: 20_000, interval: 25 },
      )
      .toBe(true);
    const interpreterFirstFrameMs = Date.now() - acceptedAt;
    await expectMediaFrom(caller, 2, 'caller');
    await expectMediaFrom(agent, 2, 'agent');
    await expectMediaFrom(lan, 2, 'interpreter');
    await expect
      .poll(() => caller.locator('figure.tile[data-role=interpreter] figcaption').textContent())
      .toContain('통역사');
    await expectNoAxeViolations(caller, 'caller: three-way call');
    await expectNoAxeViolations(agent, 'agent: three-way call');
    await expectNoAxeViolations(lan, 'interpreter: three-way call');

    // Pinning the interpreter makes their tile the first and the large one.
    await caller.click('figure.tile[data-role=interpreter] button.pin');
    await expect
      .poll(() => caller.locator('#remote-tiles figure').first().getAttribute('data-role'))
      .toBe('interpreter');
    await screenshot(caller, 'caller-three-way');
    await screenshot(lan, 'interpreter-in-call');
    console.log(
      `[e2e three-way] volunteer accept → interpreter's first decoded frame on the caller page: ${interpreterFirstFrameMs} ms`,
    );

    // The interpreter drops: the call goes on and the lobby rings again (Thu, who did not decline).
    await lan.context().close();
    await thu.locator('#invitation').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => agent.locator('#interpreter-status').textContent()).toContain('찾는 중');
    const session = app.calls.sessions.all()[0]!;
    expect(session.ended).toBe(false);
    await expectMediaFrom(caller, 1, 'caller after the drop');
    await expectMediaFrom(agent, 1, 'agent after the drop');

    await caller.click('#hang-up');
    await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
    await expect.poll(() => app.pool.routerCount).toBe(0);
  });
});
