// The printout of `npm run simulate -- --recommend`: the history the recommendation was made from,
// needed beside rostered per shift, and the check in the simulator.
import type { RecommendationCheck } from './recommend';
import { table } from './report';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function recommendReport(check: RecommendationCheck, seed: number, days: number): string {
  const { target, recommendation, shifts } = check;
  const goal = `${Math.round(target.serviceLevel * 100)}% answered within ${target.thresholdS} s`;
  const out: string[] = [
    `Staffing for ${goal}, recommended from a simulated history (seed ${seed}, ${days} day${days === 1 ? '' : 's'}).`,
    '',
    'The history, per skill group (handle time = answer to the end of the wrap-up; patience fitted to the',
    'hang-ups, answered callers counted as having waited at least their wait):',
  ];
  out.push(
    table(
      ['group', 'calls/day', 'busiest hour', 'handle time', 'patience', 'answered', 'hung up'],
      Object.entries(recommendation.history).map(([group, h]) => [
        group,
        h.arrivals.reduce((a, b) => a + b, 0).toFixed(0),
        `${Math.max(...h.arrivals).toFixed(0)}/h`,
        h.ahtS === null ? '—' : `${h.ahtS.toFixed(0)} s`,
        h.patienceS === null ? '—' : `${h.patienceS.toFixed(0)} s`,
        String(h.answered),
        String(h.abandoned),
      ]),
    ),
  );
  out.push(
    '',
    'Agents per shift: each skill group a queue of its own (Erlang A), the shift sized for its busiest hour;',
    `then the scenario run again (seed ${seed + 1}) with its own roster and with the recommendation:`,
  );
  out.push(
    table(
      ['shift', 'ko', 'kvk', 'interpreted', 'needed', 'rostered', 'SL rostered', 'SL recommended', 'calls'],
      shifts.map((s) => {
        const need = recommendation.shifts.find((n) => n.name === s.name);
        return [
          s.name,
          String(need?.byGroup.ko ?? '—'),
          String(need?.byGroup.kvk ?? '—'),
          String(need?.byGroup.interpreted ?? '—'),
          String(s.recommended),
          String(s.rostered),
          pct(s.serviceLevelRostered),
          pct(s.serviceLevelRecommended),
          String(s.calls),
        ];
      }),
    ),
  );
  out.push(
    '',
    `Check: with the recommendation every shift is within ${check.tolerancePoints} points of ${pct(target.serviceLevel)} or above: ` +
      (check.met ? 'yes' : 'NO'),
  );
  return out.join('\n');
}
