import { PassThrough, Readable } from 'node:stream';
import type { ReadStream } from 'node:tty';
import { describe, expect, it } from 'vitest';
import {
  PasswordInputError,
  promptHidden,
  promptNewPassword,
  readPasswordFromStream,
} from '../../../server/src/cli/readPassword';

/** Enough of a tty.ReadStream for the prompt: a stream that remembers raw-mode switches. */
class FakeTty extends PassThrough {
  readonly rawModes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}

function fakeTerminal() {
  const input = new FakeTty();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  return { input, tty: input as unknown as ReadStream, output, shown: () => shown };
}

describe('readPasswordFromStream', () => {
  it.each([
    ['a long passphrase\n', 'a long passphrase'],
    ['a long passphrase\r\n', 'a long passphrase'],
    ['no newline at all', 'no newline at all'],
    ['  spaces are kept  \n', '  spaces are kept  '],
    ['비밀번호는길어야합니다\n', '비밀번호는길어야합니다'],
  ])('reads %j', async (input, expected) => {
    expect(await readPasswordFromStream(Readable.from([Buffer.from(input)]))).toBe(expected);
  });

  it.each([
    ['', 'no password on stdin'],
    ['\n', 'no password on stdin'],
    ['one\ntwo\n', 'password on stdin must be a single line'],
    ['x'.repeat(5000), 'password on stdin is longer than 4096 bytes'],
  ])('rejects %j', async (input, message) => {
    await expect(readPasswordFromStream(Readable.from([Buffer.from(input)]))).rejects.toThrow(
      new PasswordInputError(message),
    );
  });
});

describe('promptHidden', () => {
  it('never echoes, handles backspace and ignores escape sequences', async () => {
    const t = fakeTerminal();
    const answer = promptHidden('Password: ', t.tty, t.output);
    t.input.write('hunter');
    t.input.write('\u001b[A'); // arrow up
    t.input.write('x\u007f2 한국\r');
    expect(await answer).toBe('hunter2 한국');
    expect(t.shown()).toBe('Password: \n');
    expect(t.input.rawModes).toEqual([true, false]);
  });

  it('rejects on Ctrl-C and restores the terminal', async () => {
    const t = fakeTerminal();
    const answer = promptHidden('Password: ', t.tty, t.output);
    t.input.write('abc\u0003');
    await expect(answer).rejects.toThrow('cancelled');
    expect(t.input.rawModes).toEqual([true, false]);
  });
});

describe('promptNewPassword', () => {
  it('asks twice and returns the password when both match', async () => {
    const t = fakeTerminal();
    const answer = promptNewPassword(t.tty, t.output);
    t.input.write('a long passphrase\r');
    await new Promise((resolve) => setImmediate(resolve));
    t.input.write('a long passphrase\r');
    expect(await answer).toBe('a long passphrase');
    expect(t.shown()).toBe('New password: \nRepeat password: \n');
  });

  it('refuses when the two entries differ', async () => {
    const t = fakeTerminal();
    const answer = promptNewPassword(t.tty, t.output);
    t.input.write('a long passphrase\r');
    await new Promise((resolve) => setImmediate(resolve));
    t.input.write('a long passphrase!\r');
    await expect(answer).rejects.toThrow('the passwords do not match');
  });
});
