// The product's own flow in Chromium: a caller calls, the agent accepts, both pages decode the
// other's video; and a volunteer interpreter joining a call already under way.
import type { Browser, Page } from 'playwright-core';
import { callUntilOffered, newContext, signInAvailable, signInOn, watchErrors } from '../../test/e2e/browser';
import { TEST_PASSWORD, type TestApp } from '../../test/helpers/testApp';
import { acceptAndFrames, stampAcceptOn, stampFirstFrame, waitForFirstFrame } from './stamps';
import { clearTimeline, collectTimelines, type Timelines } from './timeline';

export interface ProductPages {
  agent: Page;
  caller: Page;
  interpreter: Page;
  /** The steps each page stamped, per call: two-way calls and interpreter joins. */
  timelines: { call: Timelines; join: Timelines };
}

/** One agent (Korean Sign Language and Korean) and one Vietnamese–Korean volunteer, signed in. */
export async function openProductPages(app: TestApp, browser: Browser): Promise<ProductPages> {
  await app.store.accounts.create({
    username: 'signer',
    displayName: 'Kim Signing',
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
  const volunteer = await app.store.volunteers.register({
    username: 'lan',
    displayName: 'Volunteer Lan',
    password: TEST_PASSWORD,
    languages: [
      { tag: 'vi', level: 'native' },
      { tag: 'ko', level: 'fluent' },
    ],
  });
  await app.store.accounts.setApproved(volunteer.id, true);
  await app.store.volunteers.saveProfile(volunteer.id, {
    weeklyHours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
  });
  const open = async (name: string) => {
    const page = await (await newContext(browser, app.url)).newPage();
    watchErrors(page, name);
    return page;
  };
  const pages = {
    agent: await open('agent'),
    caller: await open('caller'),
    interpreter: await open('interpreter'),
    timelines: { call: new Map(), join: new Map() },
  };
  await signInAvailable(pages.agent, 'signer', TEST_PASSWORD);
  await signInOn(pages.interpreter, '/volunteer/', 'lan', TEST_PASSWORD);
  return pages;
}

/** accept → first decoded remote frame on both pages of a two-way call, in ms. */
export async function twoWayCall({ agent, caller, timelines }: ProductPages): Promise<number> {
  await callUntilOffered(caller, agent);
  for (const page of [agent, caller]) {
    await stampFirstFrame(page, { count: 1, role: null });
    await clearTimeline(page);
  }
  await stampAcceptOn(agent, '#accept-offer');
  await agent.click('#accept-offer');
  const { ms, acceptedAt, frames } = await acceptAndFrames(agent, [agent, caller]);
  await collectTimelines(timelines.call, { agent, caller }, acceptedAt, {
    agent: frames[0]!,
    caller: frames[1]!,
  });
  await endCall({ agent, caller });
  return ms;
}

/**
 * A caller asks for a Vietnamese interpreter; once caller and agent see each other, the volunteer
 * accepts: accept → the interpreter decodes both others, and both others decode the interpreter.
 */
export async function interpreterJoin(pages: ProductPages): Promise<number> {
  const { agent, caller, interpreter, timelines } = pages;
  await goOnline(interpreter);
  await caller.goto('/');
  await caller.check('input[name=need][value=interpreter]');
  await caller.selectOption('#interpreter-language', 'vi');
  await caller.waitForFunction(
    () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
  );
  await caller.click('#call-button');
  await agent.locator('#offer').waitFor({ state: 'visible' });
  for (const page of [agent, caller]) await stampFirstFrame(page, { count: 1, role: null });
  await agent.click('#accept-offer');
  await Promise.all([waitForFirstFrame(agent), waitForFirstFrame(caller)]);
  await interpreter.locator('#invitation').waitFor({ state: 'visible' });
  await stampFirstFrame(interpreter, { count: 2, role: null });
  for (const page of [agent, caller]) await stampFirstFrame(page, { count: 1, role: 'interpreter' });
  for (const page of [interpreter, agent, caller]) await clearTimeline(page);
  await stampAcceptOn(interpreter, '#accept-invitation');
  await interpreter.click('#accept-invitation');
  const { ms, acceptedAt, frames } = await acceptAndFrames(interpreter, [interpreter, agent, caller]);
  await collectTimelines(timelines.join, { interpreter, agent, caller }, acceptedAt, {
    interpreter: frames[0]!,
    agent: frames[1]!,
    caller: frames[2]!,
  });
  await endCall(pages);
  return ms;
}

/** The caller hangs up, the agent files the wrap-up and is available again. */
async function endCall({ agent, caller }: Pick<ProductPages, 'agent' | 'caller'>): Promise<void> {
  await caller.click('#hang-up');
  await agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible' });
  await agent.click('form#wrapup-form button[type=submit]');
  await agent.waitForFunction(
    () => (document.querySelector('#go-available') as HTMLButtonElement | null)?.disabled === true,
  );
}

/** The volunteer is online and may be invited (after a call they may be back already). */
async function goOnline(interpreter: Page): Promise<void> {
  await interpreter.locator('#go-online').waitFor({ state: 'visible' });
  await interpreter.waitForFunction(() => {
    const online = document.querySelector('#go-online') as HTMLButtonElement | null;
    const away = document.querySelector('#go-away') as HTMLButtonElement | null;
    return (online && !online.disabled) || (away && !away.disabled);
  });
  const online = interpreter.locator('#go-online');
  if (await online.isEnabled()) await online.click();
  await interpreter.waitForFunction(
    () => (document.querySelector('#go-away') as HTMLButtonElement | null)?.disabled === false,
  );
}
