// bench:video itself: a real two-way call in Chromium, the signing caller's page in a network
// namespace of its own, and what the agent's page receives of the caller's camera under each uplink
// condition: frame rate, resolution, freezes, the time to recover once the condition lifts, and
// what the caller's own quality indicator says meanwhile.
import type { Browser, Page } from 'playwright-core';
import {
  callUntilOffered,
  CHROMIUM,
  launchChromium,
  newContext,
  signInAvailable,
} from '../../test/e2e/browser';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../test/helpers/testApp';
import { CallerNetwork, type NetworkCondition } from './network';

export interface VideoBenchOptions {
  conditions: NetworkCondition[];
  settleSeconds: number;
  measureSeconds: number;
  /** Longest wait for the video to come back after a condition lifts. */
  recoverLimitSeconds: number;
  log: (line: string) => void;
}

export interface ConditionFigures {
  condition: NetworkCondition;
  /** Frames decoded per second over the window. */
  fps: number;
  /** The lowest of the window's one-second frame rates. */
  minFps: number;
  /** Median frame size over the window's samples. */
  width: number;
  height: number;
  freezes: number;
  freezeSeconds: number;
  /** Until decoded video is back at ≥ 25 fps and the unconstrained height; null past the limit. */
  recoverSeconds: number | null;
  /** The caller's indicator at the end of the window: `low` when it warns, and its words. */
  indicator: { low: boolean; text: string };
}

export interface VideoBenchResult {
  baseline: ConditionFigures;
  rows: ConditionFigures[];
}

interface Sample {
  at: number;
  framesDecoded: number;
  width: number;
  height: number;
  freezes: number;
  freezeSeconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The caller's camera as the agent's page receives it. */
async function sample(agent: Page): Promise<Sample> {
  const stats = await agent.evaluate(async () => (window.relayStats ? window.relayStats.inbound() : []));
  const video = stats.find((s) => s.kind === 'video' && s.role === 'caller');
  if (!video) throw new Error("the agent's page receives no video from the caller");
  return {
    at: performance.now(),
    framesDecoded: video.framesDecoded,
    width: video.frameWidth ?? 0,
    height: video.frameHeight ?? 0,
    freezes: video.freezeCount ?? 0,
    freezeSeconds: video.totalFreezesDuration ?? 0,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function indicator(caller: Page): Promise<{ low: boolean; text: string }> {
  const q = caller.locator('#send-quality');
  return {
    low: await q.evaluate((el) => el.classList.contains('warning')),
    text: ((await q.textContent()) ?? '').trim(),
  };
}

async function measure(
  agent: Page,
  caller: Page,
  condition: NetworkCondition,
  seconds: number,
): Promise<Omit<ConditionFigures, 'recoverSeconds'>> {
  const samples: Sample[] = [await sample(agent)];
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    samples.push(await sample(agent));
  }
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const perSecond = samples
    .slice(1)
    .map((s, i) => ((s.framesDecoded - samples[i]!.framesDecoded) * 1000) / (s.at - samples[i]!.at));
  return {
    condition,
    fps: ((last.framesDecoded - first.framesDecoded) * 1000) / (last.at - first.at),
    minFps: Math.min(...perSecond),
    width: median(samples.map((s) => s.width)),
    height: median(samples.map((s) => s.height)),
    freezes: last.freezes - first.freezes,
    freezeSeconds: last.freezeSeconds - first.freezeSeconds,
    indicator: await indicator(caller),
  };
}

/** Seconds from now until a full second of decoded video at ≥ 25 fps and at least `height`. */
async function recovery(agent: Page, height: number, limitSeconds: number): Promise<number | null> {
  const start = performance.now();
  let previous = await sample(agent);
  while (performance.now() - start < limitSeconds * 1000) {
    await sleep(250);
    const now = await sample(agent);
    if (now.at - previous.at < 1000) continue;
    const fps = ((now.framesDecoded - previous.framesDecoded) * 1000) / (now.at - previous.at);
    if (fps >= 25 && now.height >= height) return (now.at - start) / 1000;
    previous = now;
  }
  return null;
}

export async function runVideoBench(o: VideoBenchOptions): Promise<VideoBenchResult> {
  const net = CallerNetwork.create(CHROMIUM);
  let app: TestApp | undefined;
  const browsers: Browser[] = [];
  try {
    app = await startTestApp({
      HOST: net.hostAddress,
      RTC_LISTEN_IP: net.hostAddress,
      ANNOUNCED_ADDRESS: net.hostAddress,
    });
    await app.store.accounts.create({
      username: 'signing-agent',
      displayName: 'Signing Agent',
      role: 'agent',
      languages: ['kvk', 'ko'],
      password: TEST_PASSWORD,
    });
    // Not localhost: Chromium must be told this origin may use the camera.
    const secure = [`--unsafely-treat-insecure-origin-as-secure=${app.url}`];
    const agentBrowser = await launchChromium(secure);
    browsers.push(agentBrowser);
    const callerBrowser = await launchChromium(secure, net.chromium);
    browsers.push(callerBrowser);
    const agent = await (await newContext(agentBrowser, app.url)).newPage();
    const caller = await (await newContext(callerBrowser, app.url)).newPage();
    o.log(`server on ${app.url}; the caller's browser in its own namespace (${net.callerAddress})`);
    await signInAvailable(agent, 'signing-agent', TEST_PASSWORD);
    await callUntilOffered(caller, agent);
    await agent.click('#accept-offer');
    const deadline = performance.now() + 30_000;
    const decoded = async () => (await sample(agent).catch(() => null))?.framesDecoded ?? 0;
    while ((await decoded()) === 0) {
      if (performance.now() > deadline) throw new Error('no video from the caller within 30 s');
      await sleep(250);
    }

    await sleep(o.settleSeconds * 1000);
    const free: NetworkCondition = { kbps: null, loss: 0 };
    const baseline = { ...(await measure(agent, caller, free, o.measureSeconds)), recoverSeconds: 0 };
    o.log(`unconstrained: ${baseline.fps.toFixed(1)} fps at ${baseline.width}x${baseline.height}`);
    const rows: ConditionFigures[] = [];
    for (const condition of o.conditions) {
      net.set(condition);
      await sleep(o.settleSeconds * 1000);
      const figures = await measure(agent, caller, condition, o.measureSeconds);
      net.set(free);
      const recoverSeconds = await recovery(agent, baseline.height, o.recoverLimitSeconds);
      rows.push({ ...figures, recoverSeconds });
      o.log(`${describe(condition)}: ${figures.fps.toFixed(1)} fps at ${figures.width}x${figures.height}`);
    }
    return { baseline, rows };
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined);
    await app?.stop();
    net.close();
  }
}

export function describe(c: NetworkCondition): string {
  const parts = [c.kbps === null ? 'no cap' : `${c.kbps} kbit/s`];
  if (c.loss > 0) parts.push(`${Math.round(c.loss * 100)}% loss`);
  return parts.join(', ');
}
