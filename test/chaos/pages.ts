// The people in the chaos run, as Chromium pages through the balancer: two-way sign-language calls
// (caller page + signing agent page) and callers waiting in line. What each page shows and decodes is
// what the run measures.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newContext, signInOn } from '../e2e/browser';
import { TEST_PASSWORD } from '../helpers/testApp';

/** Language the waiting callers ask an interpreter for: no volunteer is ever online for it. */
export const WAITING_LANGUAGE = 'vi';
/** Video counts as flowing again once frames were decoded without a pause for this long. */
const STEADY_MS = 1000;
/**
 * How often a page samples its own decoding: coarse enough that a busy 2-core machine decoding
 * several pages still shows a frame in every sample, fine enough for a 5 s promise.
 */
const SAMPLE_MS = 250;

export interface ChaosCall {
  label: string;
  agentName: string;
  caller: Page;
  agent: Page;
  contexts: BrowserContext[];
}

export interface WaitingCaller {
  label: string;
  page: Page;
  context: BrowserContext;
  /** The place the page showed when last checked (1-based). */
  position: number;
  /** When (Date.now()) the page showed the caller in line. */
  joinedAt: number;
}

async function openPage(browser: Browser, baseUrl: string, label: string): Promise<[BrowserContext, Page]> {
  const context = await newContext(browser, baseUrl);
  // Functions handed to page.evaluate come compiled by tsx (esbuild keeps names with a __name
  // helper that the page does not have).
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  page.on('pageerror', (e) => console.warn(`[chaos ${label}] page error: ${e.message}`));
  return [context, page];
}

async function withPreview(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(
    () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
    undefined,
    { timeout: 20_000 },
  );
}

/**
 * One call put up: the agent signs in and goes available, the caller calls for sign language, the
 * agent accepts, and both pages decode each other's video. Throws (closing its pages) if any step
 * takes longer than its timeout.
 */
export async function putUpCall(
  browser: Browser,
  baseUrl: string,
  label: string,
  agentName: string,
  onJoined: () => void,
): Promise<ChaosCall> {
  const [agentContext, agent] = await openPage(browser, baseUrl, `${label} agent`);
  const [callerContext, caller] = await openPage(browser, baseUrl, `${label} caller`);
  const call = { label, agentName, caller, agent, contexts: [agentContext, callerContext] };
  try {
    await signInOn(agent, '/agent/', agentName, TEST_PASSWORD);
    await agent.locator('#go-available').waitFor({ state: 'visible', timeout: 20_000 });
    await agent.click('#go-available');
    await agent.waitForFunction(
      () => (document.querySelector('#go-available') as HTMLButtonElement | null)?.disabled === true,
      undefined,
      { timeout: 10_000 },
    );
    await withPreview(caller);
    await caller.check('input[name=need][value=kvk]');
    await caller.click('#call-button');
    await joinedLine(caller);
    onJoined();
    await agent.locator('#offer').waitFor({ state: 'visible', timeout: 20_000 });
    await agent.click('#accept-offer');
    for (const page of [caller, agent]) {
      const since = await watchVideo(page);
      const { flowing } = await videoOutcome(page, since, since + 30_000);
      if (!flowing) throw new Error(`${label}: no remote video decoded steadily within 30 s of accepting`);
    }
    return call;
  } catch (err) {
    await closeAll(call.contexts);
    throw err;
  }
}

/** A caller asks for an interpreter of WAITING_LANGUAGE and waits in line; returns once the page shows a place. */
export async function putCallerInLine(
  browser: Browser,
  baseUrl: string,
  label: string,
  onJoined: () => void,
): Promise<WaitingCaller> {
  const [context, page] = await openPage(browser, baseUrl, label);
  try {
    await withPreview(page);
    await page.check('input[name=need][value=interpreter]');
    await page.selectOption('#interpreter-language', WAITING_LANGUAGE);
    await page.click('#call-button');
    await joinedLine(page);
    const joinedAt = Date.now();
    onJoined();
    await page.locator('[data-view="waiting"]').waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForFunction(
      () => /\d/.test(document.querySelector('#queue-position')?.textContent ?? ''),
      {
        timeout: 10_000,
      },
    );
    const shown = await shownPlace(page);
    if (shown.position === null) throw new Error(`${label}: no place shown`);
    return { label, page, context, position: shown.position, joinedAt };
  } catch (err) {
    await closeAll([context]);
    throw err;
  }
}

/**
 * An agent for the waiting callers' language signs in and goes available, then answers them one by
 * one: accept, the caller's page in the call, the caller hangs up, wrap-up. Calls `answered` with
 * each caller and the moment the offer for them showed. Throws if a step takes too long.
 */
export async function answerWaiting(
  browser: Browser,
  baseUrl: string,
  agentName: string,
  callers: WaitingCaller[],
  answered: (caller: WaitingCaller, offeredAt: number) => Promise<void>,
): Promise<void> {
  const [context, agent] = await openPage(browser, baseUrl, agentName);
  try {
    await signInOn(agent, '/agent/', agentName, TEST_PASSWORD);
    await agent.locator('#go-available').waitFor({ state: 'visible', timeout: 20_000 });
    await agent.click('#go-available');
    // Each step names itself in a failure: "timed out" alone does not say whether the line or a page
    // was slow. The limits are generous: on 2 cores at full size the load average reaches ~18.
    const step = async (caller: WaitingCaller, name: string, what: () => Promise<unknown>) => {
      try {
        await what();
      } catch (err) {
        throw new Error(`${caller.label}: ${name}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
      }
    };
    const shown = (page: Page, selector: string) =>
      page.locator(selector).waitFor({ state: 'visible', timeout: 30_000 });
    for (const caller of callers) {
      await step(caller, 'no offer reached the agent', () => shown(agent, '#offer'));
      const offeredAt = Date.now();
      await agent.click('#accept-offer');
      await step(caller, 'the caller never saw the call', () => shown(caller.page, '[data-view="call"]'));
      await caller.page.click('#hang-up', { timeout: 10_000 });
      await step(caller, 'the agent was not asked to wrap up', () => shown(agent, '[data-view="wrapup"]'));
      await agent.click('form#wrapup-form button[type=submit]');
      await step(caller, 'the wrap-up was not taken', () => shown(agent, '[data-view="console"]'));
      await answered(caller, offeredAt);
    }
  } finally {
    await closeAll([context]);
  }
}

/** Resolves once the caller's page shows it is in line or in a call: its record has been written. */
async function joinedLine(page: Page): Promise<void> {
  await page
    .locator('[data-view="waiting"]:not([hidden]), [data-view="call"]:not([hidden])')
    .first()
    .waitFor({ state: 'visible', timeout: 20_000 });
}

/** What a waiting caller's page shows: whether it is in the waiting view, its place and estimate. */
export async function shownPlace(
  page: Page,
): Promise<{ waiting: boolean; position: number | null; estimate: string }> {
  return page
    .evaluate(() => {
      const view = document.querySelector<HTMLElement>('[data-view="waiting"]');
      const text = document.querySelector('#queue-position')?.textContent ?? '';
      const digits = /\d+/.exec(text);
      return {
        waiting: view !== null && !view.hidden,
        position: digits ? Number(digits[0]) : null,
        estimate: document.querySelector('#queue-estimate')?.textContent ?? '',
      };
    })
    .catch(() => ({ waiting: false, position: null, estimate: '' }));
}

/** Whether the page still shows its call (not ended, not back at the start). */
export async function inCallView(page: Page): Promise<boolean> {
  return page
    .evaluate(() => {
      const view = document.querySelector<HTMLElement>('[data-view="call"]');
      return view !== null && !view.hidden;
    })
    .catch(() => false);
}

/** What a call's pages show now, for the report of a dropped call. */
export async function describeCall(call: ChaosCall): Promise<string> {
  const one = (page: Page) =>
    page
      .evaluate(async () => {
        const view = [...document.querySelectorAll<HTMLElement>('[data-view]')].find((v) => !v.hidden);
        const stats = window.relayStats ? await window.relayStats.inbound() : [];
        const video = stats.filter((s) => s.kind === 'video');
        const status = document.querySelector('#call-status')?.textContent ?? '';
        return `${view?.dataset['view'] ?? 'no view'}${status ? ` "${status}"` : ''}, ${video.length} video consumers (${video.map((s) => s.framesDecoded).join(',')} frames)`;
      })
      .catch((err: unknown) => `unreadable (${(err as Error).message.split('\n')[0]})`);
  return `caller ${await one(call.caller)}; agent ${await one(call.agent)}`;
}

type Watched = Window & {
  chaosWatch?: {
    since: number;
    stop: boolean;
    /** When the last sample that saw frames decoded was taken. */
    lastRiseAt: number;
    /** Since when every sample saw frames decoded (null: the last one did not). */
    risingSince: number | null;
    /** The longest stretch without a decoded frame since `since`. */
    maxGapMs: number;
  };
};

/**
 * Starts watching, in the page, the remote video decoded: every SAMPLE_MS it reads framesDecoded of
 * each video consumer (a new consumer counts as much as one that kept going) and keeps the longest
 * stretch in which none rose. Returns the page's clock at the start (Date.now(), the same clock as ours).
 */
export async function watchVideo(page: Page): Promise<number> {
  return page.evaluate(
    ({ sampleMs }) => {
      const w = window as Watched;
      if (w.chaosWatch) w.chaosWatch.stop = true;
      const since = Date.now();
      const watch = {
        since,
        stop: false,
        lastRiseAt: since,
        risingSince: null as number | null,
        maxGapMs: 0,
      };
      w.chaosWatch = watch;
      const last = new Map<string, number>();
      let lastAt = since;
      const tick = async (): Promise<void> => {
        if (watch.stop) return;
        const stats = w.relayStats ? await w.relayStats.inbound().catch(() => []) : [];
        const at = Date.now();
        let rising = false;
        for (const s of stats) {
          if (s.kind !== 'video') continue;
          const before = last.get(s.consumerId);
          if (before !== undefined && s.framesDecoded > before) rising = true;
          last.set(s.consumerId, s.framesDecoded);
        }
        if (rising) {
          // Frames came somewhere in (lastAt, at]: the pause before them lasted at least lastAt - lastRiseAt.
          watch.maxGapMs = Math.max(watch.maxGapMs, lastAt - watch.lastRiseAt);
          watch.lastRiseAt = at;
          watch.risingSince ??= lastAt;
        } else watch.risingSince = null;
        lastAt = at;
        setTimeout(() => void tick(), sampleMs);
      };
      void tick();
      return since;
    },
    { sampleMs: SAMPLE_MS },
  );
}

export interface VideoOutcome {
  /** Video decoded steadily (STEADY_MS without a pause) when the wait ended. */
  flowing: boolean;
  /** The longest pause in decoded video since the watch began (an ongoing one included). */
  maxGapMs: number;
}

/**
 * Waits until the page's video has been decoded steadily for STEADY_MS, but not before `notBefore`
 * (so a pause that has just begun is seen), or until `deadline`. Then stops the watch.
 */
export async function videoOutcome(page: Page, notBefore: number, deadline: number): Promise<VideoOutcome> {
  for (;;) {
    const state = await page
      .evaluate((steadyMs) => {
        const watch = (window as Watched).chaosWatch;
        if (!watch) return null;
        const now = Date.now();
        const flowing = watch.risingSince !== null && now - watch.risingSince >= steadyMs;
        return { now, flowing, maxGapMs: Math.max(watch.maxGapMs, flowing ? 0 : now - watch.lastRiseAt) };
      }, STEADY_MS)
      .catch(() => null);
    if (state === null) return { flowing: false, maxGapMs: Math.max(0, Date.now() - notBefore) };
    if ((state.flowing && state.now >= notBefore) || state.now >= deadline) {
      await page
        .evaluate(() => {
          const watch = (window as Watched).chaosWatch;
          if (watch) watch.stop = true;
        })
        .catch(() => undefined);
      return { flowing: state.flowing, maxGapMs: state.maxGapMs };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Ends a call as people do: the caller hangs up, the agent sends the wrap-up. Pages are closed after. */
export async function hangUp(call: ChaosCall): Promise<void> {
  try {
    if (await inCallView(call.caller)) {
      await call.caller.click('#hang-up', { timeout: 5000 });
      await call.agent.locator('[data-view="wrapup"]').waitFor({ state: 'visible', timeout: 15_000 });
      await call.agent.click('form#wrapup-form button[type=submit]', { timeout: 5000 });
      await call.agent.locator('[data-view="console"]').waitFor({ state: 'visible', timeout: 15_000 });
    }
  } catch {
    // A call the run already counted as dropped may not end cleanly: its pages go anyway.
  } finally {
    await closeAll(call.contexts);
  }
}

/**
 * A waiting caller leaves the line (the page's cancel), then the page is closed. False if the page
 * did not leave its waiting view (the records check then shows whether the line let them go).
 */
export async function leaveLine(caller: WaitingCaller): Promise<boolean> {
  try {
    const cancel = caller.page.locator('#cancel-button');
    if (!(await cancel.isVisible())) return false;
    await cancel.click({ timeout: 5000 });
    await caller.page.locator('[data-view="waiting"]').waitFor({ state: 'hidden', timeout: 10_000 });
    return true;
  } catch {
    return false;
  } finally {
    await closeAll([caller.context]);
  }
}

export async function closeAll(contexts: BrowserContext[]): Promise<void> {
  for (const c of contexts) await c.close().catch(() => undefined);
}
