// The first-frame bench, as a function: the product started by startTestApp (createApp on random
// ports, a real worker), the bare endpoint beside it on the same WorkerPool, one Chromium.
import { launchChromium } from '../../test/e2e/browser';
import { startTestApp } from '../../test/helpers/testApp';
import { bareCall, openBarePages } from './bare/flow';
import { startBareServer } from './bare/server';
import { summarise, type FirstFrameFigures } from './figures';
import { interpreterJoin, openProductPages, twoWayCall } from './product';

export interface FirstFrameOptions {
  /** Two-way calls of each flow (ours, bare), after one warm-up call of each. */
  calls: number;
  /** Interpreter joins. */
  joins: number;
  /** One uncounted call of each flow first (default true); a smoke run goes without. */
  warmUp?: boolean;
  /** Said after each call, for a long run. */
  progress?: (line: string) => void;
}

export async function runFirstFrameBench(options: FirstFrameOptions): Promise<FirstFrameFigures> {
  const app = await startTestApp();
  const bareServer = await startBareServer(app.pool);
  const browser = await launchChromium();
  const say = options.progress ?? (() => undefined);
  try {
    const product = await openProductPages(app, browser);
    const bare = await openBarePages(browser, bareServer.url);
    const samples = { ours: [] as number[], bare: [] as number[], interpreterJoin: [] as number[] };
    // One warm-up of each (first requests compile code paths in Node and in the page), not counted.
    if (options.warmUp ?? true) {
      say(`warm-up: ours ${await twoWayCall(product)} ms, bare ${await bareCall(bare)} ms`);
    }
    // Interleaved, so a busy moment on a shared machine falls on both flows alike.
    for (let i = 0; i < options.calls; i++) {
      samples.ours.push(await twoWayCall(product));
      samples.bare.push(await bareCall(bare));
      say(`call ${i + 1}/${options.calls}: ours ${samples.ours.at(-1)} ms, bare ${samples.bare.at(-1)} ms`);
    }
    for (let i = 0; i < options.joins; i++) {
      samples.interpreterJoin.push(await interpreterJoin(product));
      say(`interpreter join ${i + 1}/${options.joins}: ${samples.interpreterJoin.at(-1)} ms`);
    }
    const ours = summarise(samples.ours);
    const bareFigures = summarise(samples.bare);
    return {
      ours,
      bare: bareFigures,
      ratio: { p50: ours.p50 / bareFigures.p50, p95: ours.p95 / bareFigures.p95 },
      interpreterJoin: summarise(samples.interpreterJoin),
      samples,
      timelines: { ...product.timelines, bare: bare.timelines },
    };
  } finally {
    await browser.close();
    await bareServer.close();
    await app.stop();
  }
}
