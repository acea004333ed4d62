/** Getting a password into the CLI without it ever appearing in argv, shell history or on screen. */
import type { ReadStream } from 'node:tty';

/** Enough for any sane password; stops a mistaken `< bigfile` from being slurped. */
const MAX_STDIN_BYTES = 4096;

export class PasswordInputError extends Error {
  override name = 'PasswordInputError';
}

/** Reads a one-line password from a pipe: strips one trailing newline, keeps every other character. */
export async function readPasswordFromStream(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_STDIN_BYTES)
      throw new PasswordInputError(`password on stdin is longer than ${MAX_STDIN_BYTES} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (text === '') throw new PasswordInputError('no password on stdin');
  if (/[\r\n]/.test(text)) throw new PasswordInputError('password on stdin must be a single line');
  return text;
}

/** Asks twice on the terminal, without echo, and insists the two match. */
export async function promptNewPassword(input: ReadStream, output: NodeJS.WritableStream): Promise<string> {
  const first = await promptHidden('New password: ', input, output);
  const second = await promptHidden('Repeat password: ', input, output);
  if (first !== second) throw new PasswordInputError('the passwords do not match');
  if (first === '') throw new PasswordInputError('no password entered');
  return first;
}

const ENTER = new Set(['\r', '\n', '\u0004']); // Enter, or Ctrl-D
const CTRL_C = '\u0003';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Raw mode so keystrokes are not echoed; we handle the few editing keys ourselves. */
export function promptHidden(
  prompt: string,
  input: ReadStream,
  output: NodeJS.WritableStream,
): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string): void => {
      // Arrow keys and other escape sequences are not part of a password.
      if (chunk.startsWith('\u001b')) return;
      for (const char of chunk) {
        if (ENTER.has(char)) {
          finish();
          resolve(value);
          return;
        }
        if (char === CTRL_C) {
          finish();
          reject(new PasswordInputError('cancelled'));
          return;
        }
        if (BACKSPACE.has(char)) value = Array.from(value).slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}
