import { describe, expect, it } from 'vitest';
import { convertSlot, minutesOf, zoneCity } from '../../client/src/volunteer/hours';

// A Wednesday in January (no daylight saving in the north) and one in July.
const JANUARY = Date.UTC(2025, 0, 8, 3, 0);
const JULY = Date.UTC(2025, 6, 9, 3, 0);

describe('volunteer hours in the volunteer’s own time zone', () => {
  it('shifts hours within the day (Seoul → Hanoi)', () => {
    expect(convertSlot({ day: 1, start: '19:00', end: '23:00' }, 'Asia/Ho_Chi_Minh', JANUARY)).toEqual({
      startDay: 1,
      start: '17:00',
      endDay: 1,
      end: '21:00',
      dayShift: 0,
    });
  });

  it('moves a morning slot to the evening before, across midnight (Seoul → London, winter and summer)', () => {
    expect(convertSlot({ day: 1, start: '08:00', end: '12:00' }, 'Europe/London', JANUARY)).toEqual({
      startDay: 0,
      start: '23:00',
      endDay: 1,
      end: '03:00',
      dayShift: -1,
    });
    expect(convertSlot({ day: 1, start: '08:00', end: '12:00' }, 'Europe/London', JULY)).toMatchObject({
      startDay: 1,
      start: '00:00',
      end: '04:00',
      dayShift: 0,
    });
  });

  it('wraps Sunday back to Saturday, and reads an end at midnight as 24:00', () => {
    expect(convertSlot({ day: 0, start: '06:00', end: '14:00' }, 'America/New_York', JANUARY)).toEqual({
      startDay: 6,
      start: '16:00',
      endDay: 6,
      end: '24:00',
      dayShift: -1,
    });
    expect(convertSlot({ day: 6, start: '22:00', end: '24:00' }, 'Asia/Seoul', JANUARY)).toEqual({
      startDay: 6,
      start: '22:00',
      endDay: 6,
      end: '24:00',
      dayShift: 0,
    });
  });

  it('moves forward a day east of Seoul (Seoul → Auckland)', () => {
    expect(convertSlot({ day: 6, start: '21:00', end: '24:00' }, 'Pacific/Auckland', JANUARY)).toEqual({
      startDay: 0,
      start: '01:00',
      endDay: 0,
      end: '04:00',
      dayShift: 1,
    });
  });

  it('handles half-hour zones (Kathmandu +5:45)', () => {
    expect(convertSlot({ day: 3, start: '09:00', end: '10:30' }, 'Asia/Kathmandu', JANUARY)).toMatchObject({
      startDay: 3,
      start: '05:45',
      end: '07:15',
    });
  });

  it('parses times and names cities', () => {
    expect(minutesOf('00:00')).toBe(0);
    expect(minutesOf('24:00')).toBe(1440);
    expect(minutesOf('24:01')).toBeNaN();
    expect(minutesOf('9:00')).toBeNaN();
    expect(zoneCity('Asia/Ho_Chi_Minh')).toBe('Ho Chi Minh');
    expect(zoneCity('UTC')).toBe('UTC');
  });
});
