// A small run of `npm run bench:video` (one condition, short windows), so the bench cannot rot: the
// caller's browser runs in its own network namespace with a 500 kbit/s uplink, the call is real,
// and every figure it prints is a number. Figures are printed, never asserted (a shared machine).
import { expect, it } from 'vitest';
import { videoTable } from '../../bench/video/report';
import { runVideoBench } from '../../bench/video/run';

it('runs bench:video with one uplink cap and prints its table', async () => {
  const result = await runVideoBench({
    conditions: [{ kbps: 500, loss: 0 }],
    settleSeconds: 3,
    measureSeconds: 3,
    recoverLimitSeconds: 5,
    log: () => undefined,
  });
  const table = videoTable(result);
  process.stdout.write(`${table}\n`);
  expect(result.rows).toHaveLength(1);
  // The call works through the namespace; under the cap, a few seconds may well be one freeze.
  expect(result.baseline.fps).toBeGreaterThan(0);
  expect(result.baseline.height).toBeGreaterThan(0);
  for (const f of [result.baseline, ...result.rows]) {
    for (const x of [f.fps, f.minFps, f.width, f.height, f.freezes, f.freezeSeconds]) {
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
    }
    expect(f.indicator.text).not.toBe('');
  }
  expect(table).toContain('500 kbit/s');
}, 120_000);
