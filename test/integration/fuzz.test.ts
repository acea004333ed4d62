// The signalling fuzzer (test/fuzz/fuzzer.ts, `npm run fuzz` runs it at 100,000) at 10,000 messages:
// the server lives, a normal call works after the storm, memory is back near where it started,
// nothing answered `internal`, every acknowledged message answered. The seed varies per run; a
// failure prints it, so `npm run fuzz -- --messages 10000 --seed S` replays the same messages.
import { expect, it } from 'vitest';
import { runFuzz } from '../fuzz/fuzzer';
import { formatReport } from '../fuzz/report';

it('survives 10,000 hostile messages on every event, namespace and state', async () => {
  const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1_000_000);
  const report = await runFuzz({ messages: 10_000, seed });
  const failed = report.checks.filter((c) => !c.ok);
  if (failed.length) process.stdout.write(`${formatReport(report)}\n`);
  expect(failed, `seed ${seed}`).toEqual([]);
  expect(report.messages).toBe(10_000);
}, 180_000);
