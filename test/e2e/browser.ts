import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Debian's Chromium with fake camera and microphone; never a browser download of a test tool's own.
 * `extraArgs` for a test that needs more (the TURN test's self-signed certificate); `executablePath`
 * for one that runs it another way (bench:video's, inside a network namespace).
 */
export function launchChromium(extraArgs: string[] = [], executablePath = CHROMIUM): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--use-fake-ui-for-media-stream',
      // The fake camera runs at 20 fps unless told otherwise; a signer's camera gives 30.
      '--use-fake-device-for-media-stream=fps=30',
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}

export async function newContext(
  browser: Browser,
  baseURL: string,
  locale = 'ko-KR',
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    locale,
    permissions: ['camera', 'microphone'],
    viewport: { width: 1280, height: 900 },
  });
}

/** axe-core on the page as it is now: WCAG 2.x A and AA rules, zero violations allowed. */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary, `axe violations in state "${state}"`).toEqual([]);
}

export interface InboundSample {
  consumerId: string;
  participantId: string;
  role: string | null;
  kind: 'audio' | 'video';
  packetsReceived: number;
  framesDecoded: number;
}

export async function inbound(page: Page): Promise<InboundSample[]> {
  return page.evaluate(async () => (window.relayStats ? window.relayStats.inbound() : []));
}

/** Sums a counter over a page's inbound streams of one kind. */
export function total(
  samples: InboundSample[],
  kind: 'audio' | 'video',
  field: 'packetsReceived' | 'framesDecoded',
): number {
  return samples.filter((s) => s.kind === kind).reduce((sum, s) => sum + s[field], 0);
}

/** Per remote participant: is their video decoded and their audio arriving on this page? */
export function receivingFrom(
  samples: InboundSample[],
): Map<string, { video: number; audio: number; role: string | null }> {
  const out = new Map<string, { video: number; audio: number; role: string | null }>();
  for (const s of samples) {
    const entry = out.get(s.participantId) ?? { video: 0, audio: 0, role: s.role };
    if (s.kind === 'video') entry.video += s.framesDecoded;
    else entry.audio += s.packetsReceived;
    out.set(s.participantId, entry);
  }
  return out;
}

/** Signs a staff member in on /agent/ or /volunteer/ with the keyboard-free form fill. */
export async function signInOn(page: Page, path: string, username: string, password: string): Promise<void> {
  await page.goto(path);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('form#signin-form button[type=submit]');
}

/** An agent signs in on /agent/ and goes available. */
export async function signInAvailable(agent: Page, username: string, password: string): Promise<void> {
  await signInOn(agent, '/agent/', username, password);
  await agent.locator('#go-available').waitFor({ state: 'visible' });
  await agent.click('#go-available');
}

/** The caller, once the camera preview runs, calls for sign language; the agent's page shows the offer. */
export async function callUntilOffered(caller: Page, agent: Page): Promise<void> {
  await caller.goto('/');
  await caller.waitForFunction(
    () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
  );
  await caller.click('#call-button');
  await agent.locator('#offer').waitFor({ state: 'visible' });
}

/**
 * Saves what a person sees. Every run writes to test-results/screenshots; with UPDATE_SCREENSHOTS=1
 * the README's copies in docs/screenshots are refreshed instead.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['UPDATE_SCREENSHOTS'] ? 'docs/screenshots' : 'test-results/screenshots';
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** The two pages of a two-way call. */
export interface CallPair {
  agent: Page;
  caller: Page;
}

type Stamped = Window & { acceptedAt?: number; firstFrameAt?: number };

/** Stamps, in the page, the moment its first remote video frame is decoded (polled every 10 ms). */
async function stampFirstFrame(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as Stamped;
    const tick = async (): Promise<void> => {
      const stats = w.relayStats ? await w.relayStats.inbound() : [];
      if (stats.some((s) => s.kind === 'video' && s.framesDecoded > 0)) w.firstFrameAt = Date.now();
      else setTimeout(() => void tick(), 10);
    };
    void tick();
  });
}

/** Accepts, and returns accept → first decoded remote frame on both pages, stamped in the pages. */
export async function acceptAndTimeFirstFrame({ agent, caller }: CallPair): Promise<number> {
  await stampFirstFrame(agent);
  await stampFirstFrame(caller);
  await agent.evaluate(() => {
    document
      .querySelector('#accept-offer')!
      .addEventListener('click', () => ((window as Stamped).acceptedAt = Date.now()), { capture: true });
  });
  await agent.click('#accept-offer');
  const stamp = (page: Page) =>
    page.waitForFunction(() => (window as Stamped).firstFrameAt, undefined, { timeout: 30_000 });
  await Promise.all([stamp(agent), stamp(caller)]);
  const acceptedAt = await agent.evaluate(() => (window as Stamped).acceptedAt!);
  const frames = await Promise.all(
    [agent, caller].map((p) => p.evaluate(() => (window as Stamped).firstFrameAt!)),
  );
  return Math.max(...frames) - acceptedAt;
}

/** Media keeps flowing both ways: remote video frames and audio packets rise over a window. */
export async function expectMediaBothWays(pages: CallPair): Promise<void> {
  const sides = { agent: pages.agent, caller: pages.caller };
  const before = { agent: await inbound(sides.agent), caller: await inbound(sides.caller) };
  await new Promise((r) => setTimeout(r, 2000));
  for (const side of ['agent', 'caller'] as const) {
    const after = await inbound(sides[side]);
    const frames = total(after, 'video', 'framesDecoded') - total(before[side], 'video', 'framesDecoded');
    const packets =
      total(after, 'audio', 'packetsReceived') - total(before[side], 'audio', 'packetsReceived');
    expect(frames, `${side} decodes remote video`).toBeGreaterThan(0);
    expect(packets, `${side} receives remote audio`).toBeGreaterThan(0);
  }
}

/** Page errors always, console lines with E2E_DEBUG=1, each prefixed with the page's name. */
export function watchErrors(page: Page, name: string): void {
  page.on('console', (m) => process.env['E2E_DEBUG'] && console.log(`[${name}] ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));
}

/** Presses Tab until the focused element matches, proving it is reachable by keyboard alone. */
export async function tabTo(page: Page, selector: string, maxPresses = 40): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} not reached with ${maxPresses} presses of Tab`);
}
