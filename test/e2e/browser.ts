import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Debian's Chromium with fake camera and microphone; never a browser download of a test tool's own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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
  participantId: string;
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
