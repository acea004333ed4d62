// `npm run chaos` at a small size (one call, one waiting caller): a real Redis, PostgreSQL, three
// node processes behind a balancer and Chromium, hit by each failure in turn. Each action is one
// test asserting every promise; a broken one names the action and shows the nodes' last output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, Chaos, type ActionResult } from '../chaos/Chaos';
import { brokenPromises, resultLine, resultTable } from '../chaos/report';

let chaos: Chaos;
const results: ActionResult[] = [];
const started = Date.now();

beforeAll(async () => {
  chaos = await Chaos.start({ calls: 1, waiting: 1 });
  await chaos.prepare();
}, 180_000);

afterAll(async () => {
  if (results.length > 0) console.log(resultTable(results, Date.now() - started));
  await chaos?.close();
}, 60_000);

function expectKept(result: ActionResult): void {
  results.push(result);
  console.log(resultLine(result));
  const broken = brokenPromises(result);
  expect(
    broken,
    `${result.did}: ${broken.join('; ')}\n${result.detail}\n${broken.length > 0 ? chaos.output() : ''}`,
  ).toEqual([]);
  // Every measure was taken, not only its verdict.
  expect(result.callsTotal).toBe(1);
  expect(result.waitingTotal).toBe(1);
}

describe('chaos: one call and one waiting caller through every failure (Redis, PostgreSQL, three nodes, Chromium)', () => {
  for (const action of ACTIONS) {
    it(`${action}: no waiting caller loses their place, the call's video is back within 5 s, no record lost or doubled`, async () => {
      expectKept(await chaos.run(action));
    }, 240_000);
  }

  it('at the end every call hung up and every caller gone: each record written once and closed', async () => {
    const end = await chaos.finish();
    results.push(end);
    console.log(resultLine(end));
    expect(brokenPromises(end), `${end.detail}\n${chaos.output()}`).toEqual([]);
  }, 120_000);
});
