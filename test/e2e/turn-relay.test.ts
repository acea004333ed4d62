import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoturn, type TestCoturn } from '../helpers/coturn';
import { freePort } from '../helpers/waiting';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import {
  acceptAndTimeFirstFrame,
  callUntilOffered,
  expectMediaBothWays,
  expectNoAxeViolations,
  launchChromium,
  newContext,
  signInAvailable,
} from './browser';

// Real calls through a real coturn, with ICE_TRANSPORT_POLICY=relay on every page: the browsers
// may use no candidate but the TURN server's, as behind a firewall that lets only it through.
let coturn: TestCoturn;
let browser: Browser;
const firstFrame: Record<string, number> = {};

beforeAll(async () => {
  coturn = await startCoturn();
  // The TURN server's certificate is self-signed (a deployment's is real): Chromium must accept it.
  browser = await launchChromium(['--ignore-certificate-errors']);
});

afterAll(async () => {
  await browser?.close();
  await coturn?.stop();
  if (Object.keys(firstFrame).length > 0) {
    console.log(`[e2e turn] coturn: ${coturn.commandLine}`);
    console.log(
      `[e2e turn] accept → first decoded remote frame on both pages (measured in the pages): ${Object.entries(
        firstFrame,
      )
        .map(([path, ms]) => `${path} ${ms} ms`)
        .join(', ')}`,
    );
  }
});

interface CallPages {
  app: TestApp;
  agent: Page;
  caller: Page;
  close(): Promise<void>;
}

/** A kvk caller and a signing agent on a server of its own, offered and ready to accept. */
async function offeredCall(env: Record<string, string>, locale = 'en-US'): Promise<CallPages> {
  const app = await startTestApp(env);
  await app.addAgent('signer');
  const contexts = [await newContext(browser, app.url, locale), await newContext(browser, app.url, locale)];
  const [agent, caller] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
  for (const [name, page] of [
    ['agent', agent],
    ['caller', caller],
  ] as const) {
    page.on('console', (m) => process.env['E2E_DEBUG'] && console.log(`[${name}] ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));
  }
  await signInAvailable(agent, 'signer', TEST_PASSWORD);
  await callUntilOffered(caller, agent);
  return {
    app,
    agent,
    caller,
    async close() {
      for (const context of contexts) await context.close();
      await app.stop();
    },
  };
}

/** The local end of the ICE pair each transport of the page uses. */
function paths(page: Page) {
  return page.evaluate(async () => (window.relayStats ? window.relayStats.paths() : []));
}

describe('calls through a real coturn, relay only (real Chromium, real SFU)', () => {
  // Direct before and after the relayed calls: the first call of a run is slower (a cold browser
  // and server), so the relayed figures are compared with both.
  const turn = (url: () => string) => () => ({
    TURN_URLS: url(),
    TURN_SECRET: coturn.secret,
    ICE_TRANSPORT_POLICY: 'relay',
  });
  it.each([
    { name: 'direct', env: () => ({}), relayProtocol: null },
    { name: 'relay UDP', env: turn(() => coturn.udpUrl), relayProtocol: 'udp' },
    { name: 'relay TLS', env: turn(() => coturn.tlsUrl), relayProtocol: 'tls' },
    { name: 'direct again', env: () => ({}), relayProtocol: null },
  ])('media flows both ways: $name', async ({ name, env, relayProtocol }) => {
    const call = await offeredCall(env());
    try {
      firstFrame[name] = await acceptAndTimeFirstFrame(call);
      await expectMediaBothWays(call);
      // Both transports of both pages: through the relay, reached over the URL's protocol; or not.
      for (const page of [call.agent, call.caller]) {
        const used = await paths(page);
        expect(used.map((p) => p.direction).sort()).toEqual(['recv', 'send']);
        for (const p of used) {
          if (relayProtocol) expect(p).toMatchObject({ candidateType: 'relay', relayProtocol });
          else expect(p.candidateType).toBe('host');
        }
      }
      // coturn accepted the credentials the server made: allocations succeeded under them.
      if (relayProtocol)
        expect(await coturn.log()).toMatch(/user <\d+:[^>]+>: incoming packet ALLOCATE processed, success/);
    } finally {
      await call.close();
    }
  });

  it('tells every participant, in their language and as an alert, when no media path can be found', async () => {
    // Relay only, and nothing listens where the TURN server should be: no candidate at all.
    const nowhere = await freePort();
    const call = await offeredCall(
      {
        TURN_URLS: `turn:127.0.0.1:${nowhere}?transport=udp`,
        TURN_SECRET: coturn.secret,
        ICE_TRANSPORT_POLICY: 'relay',
      },
      'ko-KR',
    );
    try {
      const startedAt = Date.now();
      await call.agent.click('#accept-offer');
      for (const page of [call.caller, call.agent]) {
        const problem = page.locator('#media-problem');
        // The first failure gets a media restart; the second is the message.
        await expect
          .poll(() => problem.textContent(), { timeout: 90_000, interval: 200 })
          .toContain('다른 네트워크');
        expect(await problem.getAttribute('role')).toBe('alert');
        await page.locator('#media-retry').waitFor({ state: 'visible' });
      }
      console.log(`[e2e turn] no media path: message shown after ${Date.now() - startedAt} ms`);
      await expectNoAxeViolations(call.caller, 'caller: no media path');
      await expectNoAxeViolations(call.agent, 'agent: no media path');
      // Try again clears the message and sets media up anew (and here fails the same way again).
      await call.caller.click('#media-retry');
      expect(await call.caller.locator('#media-problem').textContent()).toBe('');
    } finally {
      await call.close();
    }
  });
});
