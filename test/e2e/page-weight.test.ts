// What a first visit downloads, measured from the responses Chromium received: the caller page's
// JavaScript before a call within 150 kB as transferred, compressed and cached as the server says,
// one UI language (and the fallback) only, no 404 (the favicon included), and language names
// rather than codes in Khmer and Sinhala, whose names Chromium's Intl lacks.
import fs from 'node:fs';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_LANGUAGE, INTERPRETED_LANGUAGES } from '../../common/languages';
import { startTestApp, type TestApp } from '../helpers/testApp';
import { launchChromium, newContext, watchErrors } from './browser';

const CALLER_BUDGET_BYTES = 150 * 1024;

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

interface Received {
  url: string;
  status: number;
  contentEncoding: string | undefined;
  cacheControl: string | undefined;
  /** Body bytes as they came over the wire (compressed), and the headers' bytes. */
  bodyBytes: number;
  headerBytes: number;
  isScript: boolean;
}

/** Every response a page receives, with its sizes once its body has arrived. */
function recordResponses(page: Page): { settled: () => Promise<Received[]> } {
  const pending: Promise<Received>[] = [];
  page.on('response', (response: Response) => {
    pending.push(
      (async () => {
        // sizes() waits for the body; a response without one (a redirect) still counts its headers.
        const sizes = await response.request().sizes();
        const headers = response.headers();
        return {
          url: response.url(),
          status: response.status(),
          contentEncoding: headers['content-encoding'],
          cacheControl: headers['cache-control'],
          bodyBytes: sizes.responseBodySize,
          headerBytes: sizes.responseHeadersSize,
          isScript:
            /javascript/.test(headers['content-type'] ?? '') ||
            new URL(response.url()).pathname.endsWith('.js'),
        };
      })(),
    );
  });
  return { settled: () => Promise.all(pending) };
}

/** The caller page, up to the point before a call: the camera preview runs and Call can be pressed. */
async function openCallerUntilReady(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(
    () => (document.querySelector('#preview') as HTMLVideoElement | null)?.srcObject != null,
  );
  await page.locator('#call-button').waitFor({ state: 'visible' });
  await page.waitForLoadState('networkidle');
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const localeOf = (url: string) => /\/assets\/locale-([^-]+(?:-CN)?)-/.exec(url)?.[1];
const sum = (rs: readonly Received[], pick: (r: Received) => number) => rs.reduce((s, r) => s + pick(r), 0);

describe('page weight (real Chromium, the built client, the real server)', () => {
  it('the caller page transfers at most 150 kB of JavaScript before a call, in one UI language', async () => {
    const context = await newContext(browser, app.url, 'ko-KR');
    const page = await context.newPage();
    watchErrors(page, 'caller');
    const responses = recordResponses(page);
    await openCallerUntilReady(page);
    const received = await responses.settled();

    const scripts = received.filter((r) => r.isScript);
    const scriptBytes = sum(scripts, (r) => r.bodyBytes);
    const allBytes = sum(received, (r) => r.bodyBytes + r.headerBytes);
    console.log(
      [
        'caller page before a call, as Chromium received it:',
        `  JavaScript: ${scripts.length} responses, ${kB(scriptBytes)} bodies (+ ${kB(sum(scripts, (r) => r.headerBytes))} headers)`,
        `  everything: ${received.length} responses, ${kB(allBytes)} with headers`,
        `  encodings: ${[...new Set(scripts.map((r) => r.contentEncoding ?? 'none'))].join(', ')}`,
        `  budget: ${kB(CALLER_BUDGET_BYTES)} of JavaScript`,
      ].join('\n'),
    );
    expect(scripts.length).toBeGreaterThan(0);
    expect(scriptBytes).toBeGreaterThan(0);
    expect(scriptBytes).toBeLessThanOrEqual(CALLER_BUDGET_BYTES);

    // One UI language (Korean, the browser's) and English, the fallback; nothing of the other 18.
    const locales = new Set(scripts.map((r) => localeOf(r.url)).filter((l) => l !== undefined));
    expect([...locales].sort()).toEqual(['en', 'ko']);

    // Text is compressed; hashed assets are cached for a year, the page itself revalidated.
    for (const r of received.filter((x) => new URL(x.url).pathname.startsWith('/assets/'))) {
      expect(r.cacheControl, r.url).toBe('public, max-age=31536000, immutable');
      if (r.bodyBytes > 1024) expect(r.contentEncoding, r.url).toMatch(/^(gzip|br|deflate)$/);
    }
    const document = received.find((r) => new URL(r.url).pathname === '/');
    expect(document?.cacheControl).toBe('no-cache');
    expect(received.filter((r) => r.status >= 400).map((r) => `${r.status} ${r.url}`)).toEqual([]);

    // A second visit takes its scripts from the cache: only the page itself is asked for again.
    const again = recordResponses(page);
    await openCallerUntilReady(page);
    const fromNetwork = (await again.settled()).filter((r) => r.isScript && r.bodyBytes > 0);
    expect(fromNetwork.map((r) => r.url)).toEqual([]);
    await context.close();
  });

  it('a language switch downloads that language, then shows it everywhere', async () => {
    const context = await newContext(browser, app.url, 'ko-KR');
    const page = await context.newPage();
    watchErrors(page, 'caller');
    await openCallerUntilReady(page);
    // The device check has said its piece (in Korean) before the switch.
    await expect.poll(() => page.locator('#device-status').textContent()).toMatch(/[\uac00-\ud7a3]/);
    const responses = recordResponses(page);
    await page.selectOption('#ui-language', 'vi');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('vi');
    const vi = JSON.parse(fs.readFileSync('locales/vi/translation.json', 'utf8')) as {
      caller: { title: string };
    };
    await expect.poll(() => page.title()).toBe(vi.caller.title);
    await page.waitForLoadState('networkidle');
    const locales = new Set((await responses.settled()).map((r) => localeOf(r.url)).filter(Boolean));
    expect([...locales]).toEqual(['vi']);
    // Nothing shown is left in Korean (the language picker names each language in itself).
    const korean = await page.evaluate(() => {
      const left: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('#ui-language') || !el.checkVisibility()) continue;
        if (/[\u1100-\u11ff\uac00-\ud7a3]/.test(n.textContent ?? '')) left.push(`${el.id}: ${n.textContent}`);
      }
      return left;
    });
    expect(korean).toEqual([]);
    // The interpreter languages are named in Vietnamese now, as Chromium's Intl names them.
    const english = await page.locator('#interpreter-language option[value="en"]').textContent();
    expect(english).toBe(
      await page.evaluate(() => new Intl.DisplayNames(['vi'], { type: 'language' }).of('en')),
    );
    await context.close();
  });

  it.each(['km', 'si', 'my', 'mn', 'zh-CN'])('the %s caller page names languages, not codes', async (lng) => {
    const context = await newContext(browser, app.url, lng);
    const page = await context.newPage();
    watchErrors(page, `caller ${lng}`);
    await openCallerUntilReady(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lng);
    const options = await page
      .locator('#interpreter-language option')
      .evaluateAll((els) =>
        els.map((o) => ({ code: (o as HTMLOptionElement).value, name: o.textContent ?? '' })),
      );
    expect(options.map((o) => o.code)).toEqual([...INTERPRETED_LANGUAGES]);
    const own = JSON.parse(fs.readFileSync(`locales/${lng}/languageNames.json`, 'utf8')) as Record<
      string,
      string
    >;
    const english = JSON.parse(fs.readFileSync('locales/en/languageNames.json', 'utf8')) as Record<
      string,
      string
    >;
    for (const { code, name } of options) {
      expect(name.toLowerCase(), code).not.toBe(code.toLowerCase());
      // In this language, never in English (unless both spell it the same).
      if (own[code] !== english[code]) expect(name, code).not.toBe(english[code]);
    }
    expect(own[BRIDGE_LANGUAGE]).toBeTruthy();
    await context.close();
  });

  it('no page answers any of its requests with a 404: the favicon is there', async () => {
    const context = await newContext(browser, app.url, 'en-US');
    for (const path of ['/', '/agent/', '/volunteer/', '/supervisor/']) {
      const page = await context.newPage();
      watchErrors(page, path);
      const responses = recordResponses(page);
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const icon = await page.evaluate(
        () => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href,
      );
      expect(icon, path).toBeTruthy();
      // Headless Chromium may not fetch the icon itself; the page asks for it as a browser would.
      const answer = await page.request.get(icon!);
      expect(answer.status(), `${path} favicon`).toBe(200);
      expect(answer.headers()['content-type']).toContain('image/svg+xml');
      const failed = (await responses.settled()).filter((r) => r.status === 404);
      expect(
        failed.map((r) => r.url),
        path,
      ).toEqual([]);
      await page.close();
    }
    await context.close();
  });
});
