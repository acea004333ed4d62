import { describe, expect, it } from 'vitest';
import {
  BAD_INPUT_BURST,
  BAD_INPUT_LOGGED,
  BAD_INPUT_WINDOW_MS,
  BadInput,
} from '../../../server/src/signaling/badInput';
import { recordingLog } from '../../helpers/recordingLog';

function setUp() {
  const recorded = recordingLog();
  let now = 1_000_000;
  const badInput = new BadInput(recorded.log, () => now);
  return {
    recorded,
    badInput,
    advance: (ms: number) => (now += ms),
    messages: () => recorded.lines.map((l) => l.msg),
  };
}

describe('one socket’s bad input', () => {
  it('allows a burst, then says the socket must close, in a few log lines whatever arrives', () => {
    const { badInput, recorded, messages } = setUp();
    const answers = Array.from({ length: 1000 }, (_, i) => badInput.record(`junk-${i}`, 'unknown event'));
    expect(answers.indexOf(false)).toBe(BAD_INPUT_BURST);
    expect(messages()).toEqual([
      ...Array<string>(BAD_INPUT_LOGGED).fill('bad input'),
      // Once for each refusal past the burst: the socket is closed at the first, so in practice one.
      ...Array<string>(1000 - BAD_INPUT_BURST).fill('too much bad input: closing the connection'),
    ]);
    expect(recorded.lines[0]).toMatchObject({ event: 'junk-0', reason: 'unknown event' });
    expect(recorded.lines[BAD_INPUT_LOGGED]).toMatchObject({
      event: `junk-${BAD_INPUT_BURST}`,
      unlogged: BAD_INPUT_BURST - BAD_INPUT_LOGGED,
    });
  });

  it('lets a client that sends a little bad input now and then go on for good', () => {
    const { badInput, advance, messages } = setUp();
    for (let minute = 0; minute < 60; minute++) {
      for (let i = 0; i < 5; i++) expect(badInput.record('old:event', 'unknown event')).toBe(true);
      advance(60_000);
    }
    // Five a minute: three logged, two counted in the next window's first line.
    expect(messages().slice(0, 5)).toEqual([
      'bad input',
      'bad input',
      'bad input',
      'more bad input, not logged one by one',
      'bad input',
    ]);
  });

  it('counts what was not logged in one line at the end of its window, or when the socket goes', () => {
    const { badInput, recorded, advance } = setUp();
    for (let i = 0; i < BAD_INPUT_BURST; i++) badInput.record('e', 'r');
    advance(BAD_INPUT_WINDOW_MS);
    badInput.record('e', 'r');
    expect(recorded.lines.at(-2)).toMatchObject({
      msg: 'more bad input, not logged one by one',
      unlogged: BAD_INPUT_BURST - BAD_INPUT_LOGGED,
    });
    expect(recorded.lines.at(-1)).toMatchObject({ msg: 'bad input' });
    for (let i = 0; i < BAD_INPUT_LOGGED + 2; i++) badInput.record('e', 'r');
    badInput.flush();
    expect(recorded.lines.at(-1)).toMatchObject({ unlogged: 3 });
    // Nothing left to count: no line.
    const lines = recorded.lines.length;
    badInput.flush();
    expect(recorded.lines).toHaveLength(lines);
  });

  it('refills the allowance over time: a burst per window', () => {
    const { badInput, advance } = setUp();
    for (let i = 0; i < BAD_INPUT_BURST; i++) badInput.record('e', 'r');
    advance(BAD_INPUT_WINDOW_MS);
    for (let i = 0; i < BAD_INPUT_BURST; i++) expect(badInput.record('e', 'r')).toBe(true);
    expect(badInput.record('e', 'r')).toBe(false);
  });
});
