// A small run of `npm run bench:signalling` (100 idle callers, two short churn steps), so the bench
// cannot rot: it completes, every caller was told its place in line and its updates, and every
// figure is a finite number. Timings are printed, never asserted.
import { expect, it } from 'vitest';
import { formatReport } from '../../bench/signalling/report';
import { runSignallingBench } from '../../bench/signalling/run';

const CALLERS = 100;

it('runs the signalling bench with 100 idle callers and a short churn', async () => {
  const result = await runSignallingBench({
    callers: CALLERS,
    churnRates: [2, 5],
    stepMs: 1000,
    // The smoke run must try both steps whatever the machine's load.
    lagLimitMs: Infinity,
  });
  process.stdout.write(`${formatReport(result, 20, 50).join('\n')}\n`);

  expect(result.queuedWithPosition).toBe(CALLERS);
  expect(result.callersUpdated).toBe(CALLERS);
  expect(result.positionsConsistent).toBe(true);
  expect(result.steps).toHaveLength(2);
  const { baseline, connected, queued } = result.memory;
  expect(connected.callerSockets).toBe(CALLERS);
  expect(queued.callerSockets).toBe(CALLERS);
  const figures = [
    baseline.rss,
    queued.rss,
    queued.heapUsed,
    ...result.steps.flatMap((s) => [
      s.churnRate,
      s.updatesPerSecond,
      s.expectedPerSecond,
      s.server.lagP99Ms,
      s.server.lagMaxMs,
      s.server.cpuPercent,
      s.clientCpuPercent,
    ]),
  ];
  for (const f of figures) expect(Number.isFinite(f)).toBe(true);
  for (const s of result.steps) {
    expect(s.churnRate).toBeGreaterThan(0);
    expect(s.updatesPerSecond).toBeGreaterThan(0);
    expect(s.refused).toBe(0);
  }
}, 60_000);
