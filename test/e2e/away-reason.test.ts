import path from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { SESSION_COOKIE } from '../../server/src/auth/AuthSessions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ko from '../../locales/ko/presence.json';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/testApp';
import { expectNoAxeViolations, launchChromium, newContext, signInAvailable } from './browser';

let app: TestApp;
let browser: Browser;
let agentId: string;

beforeAll(async () => {
  app = await startTestApp();
  agentId = (
    await app.store.accounts.create({
      username: 'resting',
      displayName: 'Resting Agent',
      role: 'agent',
      languages: ['kvk', 'ko'],
      password: TEST_PASSWORD,
    })
  ).id;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('an agent goes away with a reason (real Chromium)', () => {
  it('picks the reason by keyboard; the lobby, the page and the presence intervals keep it', async () => {
    const ctx = await newContext(browser, app.url);
    const agent = await ctx.newPage();
    await signInAvailable(agent, 'resting', TEST_PASSWORD);
    await expect.poll(() => app.calls.agents.presenceOf(agentId)).toBe('available');
    // The picker is labelled, and going away without a reason is not possible.
    expect(await agent.getByLabel(ko.picker.label).count()).toBe(1);
    await agent.click('#go-away');
    expect(app.calls.agents.presenceOf(agentId)).toBe('available');
    await expectNoAxeViolations(agent, 'agent console with the away-reason picker');

    // Keyboard only: into the picker, down to the second reason (meal), over to the button, Enter.
    await agent.focus('#away-reason');
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('ArrowDown');
    expect(await agent.locator('#away-reason').inputValue()).toBe('meal');
    await agent.keyboard.press('Tab');
    expect(await agent.evaluate(() => document.activeElement?.id)).toBe('go-away');
    await agent.keyboard.press('Enter');

    await expect
      .poll(() => agent.locator('#presence').textContent())
      .toBe(ko.picker.awayFor.replace('{{reason}}', ko.reasons.meal));
    expect(app.calls.agents.viewOf(agentId)).toEqual({ presence: 'away', reason: 'meal' });
    // Away for this reason already: the button waits for another one.
    expect(await agent.locator('#go-away').isDisabled()).toBe(true);
    await expectNoAxeViolations(agent, 'agent away for a meal');

    // The interval is written: open, away, for a meal.
    await expect
      .poll(async () => {
        const { edges } = await app.store.presence.overlapping(0, Date.now() + 1000);
        return edges.filter((e) => e.end === null).map((e) => [e.state, e.reason]);
      })
      .toEqual([['away', 'meal']]);

    // The supervisor's section, from the real API, rendered by its own view() in the page: axe-clean.
    const boss = await app.store.accounts.create({
      username: 'boss',
      displayName: 'Boss',
      role: 'supervisor',
      languages: ['ko'],
      password: TEST_PASSWORD,
    });
    const cookie = `${SESSION_COOKIE}=${await app.auth.create({ accountId: boss.id, role: 'supervisor' })}`;
    const res = await fetch(`${app.url}/api/supervisor/presence?period=today`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const data: unknown = await res.json();
    // A page of its own without the app's CSP, so the bundle can be added inline.
    const page = await ctx.newPage();
    await page.setContent(
      '<!doctype html><html lang="ko"><head><title>presence</title></head><body><main></main></body></html>',
    );
    await page.addScriptTag({ content: await sectionBundle() });
    const rows = await page.evaluate((d) => {
      const w = window as unknown as { renderPresence: (data: unknown) => HTMLElement };
      const root = w.renderPresence(d);
      document.querySelector('main')?.replaceChildren(root);
      return [...root.querySelectorAll('#presence-by-reason tbody tr, #presence-per-staff tbody tr')].map(
        (tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''),
      );
    }, data);
    expect(rows.find((r) => r[0] === ko.reasons.meal)).toBeDefined();
    expect(rows.find((r) => r[0] === 'Resting Agent')?.[1]).toBe(ko.roles.agent);
    await expectNoAxeViolations(page, 'supervisor presence section');
    await ctx.close();
  });
});

/** presenceSection.ts with lit-html and i18next (Korean), bundled for the page: `renderPresence(data)`. */
async function sectionBundle(): Promise<string> {
  const out = await build({
    stdin: {
      contents: `
        import i18next from 'i18next';
        import { render } from 'lit-html';
        import { view } from './client/src/supervisor/presenceSection';
        import presence from './locales/ko/presence.json';
        const i18n = i18next.createInstance();
        void i18n.init({ lng: 'ko', resources: { ko: { presence } }, interpolation: { escapeValue: false } });
        window.renderPresence = (data) => {
          const root = document.createElement('div');
          render(view(data, (k, o) => i18n.t(k, o)), root);
          return root;
        };`,
      resolveDir: path.resolve('.'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}
