import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, parseArgs } from '../../scripts/simulate/args';
import { runCli, USAGE_ERROR } from '../../scripts/simulate/cli';

function captured(): {
  out: { log: (t: string) => void; error: (t: string) => void };
  logs: string[];
  errors: string[];
} {
  const logs: string[] = [];
  const errors: string[] = [];
  return { out: { log: (t) => logs.push(t), error: (t) => errors.push(t) }, logs, errors };
}

const mmc = ['--mmc', '--rate', '390', '--aht', '351', '--agents', '42'];

describe('parseArgs', () => {
  it('defaults to one day of the default scenario with the usual seed', () => {
    expect(parseArgs([])).toEqual({
      ok: true,
      command: {
        kind: 'day',
        seed: DEFAULT_SEED,
        days: 1,
        scenarioPath: undefined,
        staffing: undefined,
        lobby: {},
        seeds: 1,
      },
    });
  });

  it('reads every day option, as --flag value or --flag=value', () => {
    expect(
      parseArgs([
        ...['--seed', '7', '--days=3', '--scenario', 'x.json', '--staffing', 'day=52, night=12'],
        ...['--offer-timeout', '12.5', '--max-missed=2'],
      ]),
    ).toEqual({
      ok: true,
      command: {
        kind: 'day',
        seed: 7,
        days: 3,
        scenarioPath: 'x.json',
        staffing: { day: 52, night: 12 },
        lobby: { offerTimeoutS: 12.5, maxMissedOffers: 2 },
        seeds: 1,
      },
    });
  });

  it('reads the M/M/c options, with the warm-up 1% of the hours unless given', () => {
    expect(parseArgs([...mmc, '--hours', '500'])).toEqual({
      ok: true,
      command: {
        kind: 'mmc',
        seed: DEFAULT_SEED,
        ratePerHour: 390,
        ahtS: 351,
        agents: 42,
        hours: 500,
        warmUpHours: 5,
        thresholdS: 20,
      },
    });
    expect(parseArgs([...mmc, '--hours', '50'])).toMatchObject({ command: { warmUpHours: 1 } });
    expect(parseArgs([...mmc, '--warmup', '0', '--threshold', '30', '--seed', '-4'])).toMatchObject({
      command: { warmUpHours: 0, thresholdS: 30, seed: -4, hours: 2000 },
    });
  });

  it('reads --recommend with its target (80/20 unless given) and the day options', () => {
    expect(parseArgs(['--recommend'])).toEqual({
      ok: true,
      command: {
        kind: 'recommend',
        seed: DEFAULT_SEED,
        days: 1,
        scenarioPath: undefined,
        target: { serviceLevel: 0.8, thresholdS: 20 },
        lobby: {},
      },
    });
    expect(parseArgs(['--recommend', '--target', '90/30', '--days', '2', '--seed', '3'])).toMatchObject({
      ok: true,
      command: { kind: 'recommend', seed: 3, days: 2, target: { serviceLevel: 0.9, thresholdS: 30 } },
    });
  });

  it('reads --seeds for the estimate over independent days', () => {
    expect(parseArgs(['--seeds', '20', '--seed', '5'])).toMatchObject({
      ok: true,
      command: { kind: 'day', seed: 5, seeds: 20 },
    });
  });

  it('asks for help', () => {
    expect(parseArgs(['--help'])).toEqual({ ok: true, command: { kind: 'help' } });
    expect(parseArgs(['-h', '--seed', 'nonsense'])).toEqual({ ok: true, command: { kind: 'help' } });
  });

  it.each([
    [['--seed', 'abc'], "--seed: expected a whole number, got 'abc'"],
    [['--seed', '1.5'], "--seed: expected a whole number, got '1.5'"],
    [['--days', '0'], "--days: expected a whole number >= 1, got '0'"],
    [['--days', ''], "--days: expected a whole number, got ''"],
    [['--seeds', '0'], "--seeds: expected a whole number >= 1, got '0'"],
    [['--seeds', '101'], "--seeds: expected at most 100, got '101'"],
    [['--recommend', '--seeds', '3'], '--seeds does not apply with --recommend'],
    [['--mmc', '--seeds', '3', ...mmc.slice(1)], '--seeds does not apply with --mmc'],
    [['--frobnicate'], 'unknown option --frobnicate'],
    [['seed', '3'], "unexpected argument 'seed'"],
    [['--seed'], '--seed needs a value'],
    [['--seed', '--days', '2'], '--seed needs a value'],
    [['--seed', '1', '--seed', '2'], '--seed given twice'],
    [['--help=yes'], '--help takes no value'],
    [
      ['--staffing', 'day=4,night'],
      "--staffing: expected SHIFT=AGENTS[,SHIFT=AGENTS…] (bad part 'night'), got 'day=4,night'",
    ],
    [['--rate', '390'], '--rate needs --mmc'],
    [['--mmc', '--days', '2', ...mmc.slice(1)], '--days does not apply with --mmc'],
    [['--mmc', '--rate', '390'], '--mmc needs --aht, --agents'],
    [['--mmc', '--aht', '351', '--agents', '42'], '--mmc needs --rate'],
    [[...mmc.slice(0, 5), '--agents', '4.5'], "--agents: expected a whole number, got '4.5'"],
    [['--mmc', '--rate', '-3', '--aht', '351', '--agents', '4'], "--rate: expected a number > 0, got '-3'"],
    [['--mmc', '--rate', 'lots', '--aht', '351', '--agents', '4'], "--rate: expected a number, got 'lots'"],
    [
      ['--mmc', '--rate', '390', '--aht', '351', '--agents', '0'],
      "--agents: expected a whole number >= 1, got '0'",
    ],
    [[...mmc, '--hours', '10', '--warmup', '10'], '--warmup (10 h) must be shorter than --hours (10 h)'],
    [['--target', '80/20'], '--target needs --recommend'],
    [['--offer-timeout', '0'], "--offer-timeout: expected a number > 0, got '0'"],
    [['--max-missed', '0'], "--max-missed: expected a whole number >= 1, got '0'"],
    [[...mmc, '--offer-timeout', '10'], '--offer-timeout does not apply with --mmc'],
    [
      ['--recommend', '--staffing', 'day=3'],
      '--staffing does not apply with --recommend (it sets the staffing)',
    ],
    [[...mmc, '--recommend'], '--recommend does not apply with --mmc'],
    [
      ['--recommend', '--target', '80%'],
      "--target: must look like 80/20: the percent answered, a slash, within how many seconds, got '80%'",
    ],
  ])('refuses %j with a message naming the option', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ ok: false, message });
  });
});

describe('runCli', () => {
  it('exits 2 with the message on stderr for a bad command line, running nothing', () => {
    const c = captured();
    expect(runCli(['--days', 'two'], c.out)).toBe(USAGE_ERROR);
    expect(USAGE_ERROR).toBe(2);
    expect(c.errors.join('\n')).toContain("--days: expected a whole number, got 'two'");
    expect(c.errors.join('\n')).toContain('--help');
    expect(c.logs).toEqual([]);
  });

  it('exits 2 naming the file for a scenario that cannot be read', () => {
    const c = captured();
    expect(runCli(['--scenario', '/nonexistent/scenario.json'], c.out)).toBe(USAGE_ERROR);
    expect(c.errors.join('\n')).toContain('cannot read scenario file /nonexistent/scenario.json');
  });

  it('exits 2 for a staffing override naming no shift of the scenario', () => {
    const c = captured();
    expect(runCli(['--staffing', 'evening=3'], c.out)).toBe(USAGE_ERROR);
    expect(c.errors.join('\n')).toContain(
      "no shift 'evening' in the scenario (shifts: late-night, day, night)",
    );
  });

  it('prints the usage for --help and exits 0', () => {
    const c = captured();
    expect(runCli(['--help'], c.out)).toBe(0);
    expect(c.logs.join('\n')).toContain('--scenario FILE');
    expect(c.errors).toEqual([]);
  });
});
