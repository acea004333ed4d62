// The M/M/c mode's printout: the lobby's figures beside Erlang C and beside the plain queue.
import type { MmcComparison, MmcResult } from './mmc';
import { table } from './report';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
/** With its sign, and no '-0.00' for a difference that rounds to nothing. */
const signed = (x: number, digits: number): string => {
  const s = Math.abs(x).toFixed(digits);
  return `${x < 0 && Number(s) !== 0 ? '-' : '+'}${s}`;
};
const points = (x: number): string => `${signed(100 * x, 2)} points`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const signedSeconds = (ms: number): string => `${signed(ms / 1000, 2)} s`;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Half-width of a 95% confidence interval from a standard error. */
const ci95 = (stdErr: number): number => 1.96 * stdErr;

export function mmcReport(result: MmcResult, c: MmcComparison): string {
  const o = result.options;
  const { lobby, plain, erlang } = c;
  const out: string[] = [];
  out.push(
    `M/M/c through the real lobby — seed ${o.seed}: ${o.ratePerHour} calls/h, AHT ${o.ahtS} s (talk only, no ` +
      `wrap-up), ${o.agents} agents: ${erlang.erlangs.toFixed(2)} Erlangs, occupancy ${pct(erlang.occupancy)}`,
  );
  out.push(
    `${o.hours} h simulated; callers arriving in the first ${o.warmUpHours} h are discarded as warm-up (the line ` +
      `starts empty); ${int(lobby.calls)} calls counted, ${result.lobbyCalls.toLocaleString('en-US')} lobby calls, ` +
      `${(result.wallMs / 1000).toFixed(1)} s wall time\n`,
  );
  out.push(
    table(
      ['', 'lobby', '± 95%', 'Erlang C', 'lobby − Erlang C', 'plain queue', 'lobby − plain'],
      [
        [
          `SL ${o.thresholdS} s`,
          pct(lobby.serviceLevel),
          (100 * ci95(lobby.stdErr.serviceLevel)).toFixed(1),
          pct(erlang.serviceLevel),
          points(lobby.serviceLevel - erlang.serviceLevel),
          pct(plain.serviceLevel),
          points(lobby.serviceLevel - plain.serviceLevel),
        ],
        [
          'P(wait > 0)',
          pct(lobby.pWait),
          (100 * ci95(lobby.stdErr.pWait)).toFixed(1),
          pct(erlang.pWait),
          points(lobby.pWait - erlang.pWait),
          pct(plain.pWait),
          points(lobby.pWait - plain.pWait),
        ],
        [
          'ASA',
          seconds(lobby.asaMs),
          (ci95(lobby.stdErr.asaMs) / 1000).toFixed(1),
          seconds(erlang.asaS * 1000),
          signedSeconds(lobby.asaMs - erlang.asaS * 1000),
          seconds(plain.asaMs),
          signedSeconds(lobby.asaMs - plain.asaMs),
        ],
        [
          'calls',
          int(lobby.calls),
          '',
          `${int(c.expectedCalls)} (λ·T)`,
          signed(lobby.calls - c.expectedCalls, 0),
          int(plain.calls),
          '',
        ],
      ],
    ),
  );
  out.push(
    `\n± 95%: 1.96 standard errors by batch means (${lobby.batches} equal stretches of the counted hours).\n` +
      'plain queue: first come first served on the same arrivals and the same talk times, so lobby − plain is\n' +
      'what the lobby itself changes (0 when it serves exactly as M/M/c) and lobby − Erlang C is that plus noise.',
  );
  if (result.errors.size > 0) {
    out.push('\nUnexpected lobby errors:');
    out.push(
      table(
        ['', 'count'],
        [...result.errors].map(([k, v]) => [k, String(v)]),
      ),
    );
  }
  return out.join('\n');
}
