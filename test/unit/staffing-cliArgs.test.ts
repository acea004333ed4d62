import { describe, expect, it } from 'vitest';
import { parseStaffingArgs, UsageError } from '../../server/src/staffing/cliArgs';

const base = ['--rate', '95', '--aht', '351', '--target', '80/20'];
const refused = (argv: string[]) => () => parseStaffingArgs(argv);

describe('parseStaffingArgs', () => {
  it('parses the load, the target as a share, and the optional patience', () => {
    expect(parseStaffingArgs(base)).toEqual({
      kind: 'plan',
      load: { ratePerHour: 95, ahtS: 351 },
      target: { serviceLevel: 0.8, thresholdS: 20 },
    });
    expect(
      parseStaffingArgs(['--rate=12.5', '--aht', '300', '--target', '90%/15s', '--patience', '120']),
    ).toEqual({
      kind: 'plan',
      load: { ratePerHour: 12.5, ahtS: 300 },
      target: { serviceLevel: 0.9, thresholdS: 15 },
      patienceS: 120,
    });
  });

  it('answers --help and -h whatever else is given', () => {
    expect(parseStaffingArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseStaffingArgs([...base, '-h'])).toEqual({ kind: 'help' });
  });

  it('says which option is wrong and why', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--rate', '-5', '--aht', '351', '--target', '80/20'], /^--rate must be greater than 0, got '-5'$/],
      [['--rate', '0', '--aht', '351', '--target', '80/20'], /^--rate must be greater than 0/],
      [['--rate', 'lots', '--aht', '351', '--target', '80/20'], /^--rate must be a number, got 'lots'$/],
      [['--rate', '', '--aht', '351', '--target', '80/20'], /^--rate must be a number/],
      [['--rate', '0x10', '--aht', '351', '--target', '80/20'], /^--rate must be a number/],
      [['--rate', '95', '--aht', '0', '--target', '80/20'], /^--aht must be greater than 0, got '0'$/],
      [['--rate', '95', '--aht', '351', '--target', '80-20'], /^--target must look like 80\/20/],
      [['--rate', '95', '--aht', '351', '--target', '80'], /^--target must look like 80\/20/],
      [['--rate', '95', '--aht', '351', '--target', '80/-20'], /^--target must look like 80\/20/],
      [
        ['--rate', '95', '--aht', '351', '--target', '120/20'],
        /^--target must have a percent above 0 and below 100/,
      ],
      [
        ['--rate', '95', '--aht', '351', '--target', '100/20'],
        /^--target must have a percent above 0 and below 100/,
      ],
      [['--rate', '95', '--aht', '351', '--target', '0/20'], /^--target must have a percent above 0/],
      [[...base, '--patience', '-1'], /^--patience must be greater than 0, got '-1'$/],
      [['--aht', '351', '--target', '80/20'], /^--rate is required$/],
      [['--rate', '95', '--target', '80/20'], /^--aht is required$/],
      [['--rate', '95', '--aht', '351'], /^--target is required$/],
      [[...base, '--agents', '12'], /Unknown option '--agents'/],
      [[...base, 'extra'], /Unexpected argument 'extra'/],
      [['--rate'], /argument missing/],
    ];
    for (const [argv, message] of cases) {
      expect(refused(argv)).toThrow(UsageError);
      expect(refused(argv)).toThrow(message);
    }
  });
});
