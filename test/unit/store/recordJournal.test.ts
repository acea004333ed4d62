import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JournalFullError, RecordJournal } from '../../../server/src/store/RecordJournal';
import { recordOp, type RecordOp } from '../../../server/src/store/recordOps';

let dir: string;
const file = () => path.join(dir, 'call-records.journal');
const open = (maxBytes = 1024 * 1024) => RecordJournal.open(file(), { maxBytes });

function op(n: number): RecordOp {
  return recordOp(
    { kind: 'rate', id: `call-${String(n)}`, rating: 1 + (n % 5) },
    `op-${String(n)}`,
    1000 + n,
  );
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-journal-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the call-record journal on disk', () => {
  it('creates its folder and keeps appended ops, in order, across a reopen', () => {
    dir = path.join(dir, 'nested', 'deeper');
    const journal = open();
    expect(journal.isEmpty).toBe(true);
    journal.append(op(1));
    journal.append(op(2));
    journal.close();

    const again = open();
    expect(again.peek(10)).toEqual([op(1), op(2)]);
    expect(again.recovery).toEqual({ partialTail: false, damagedLines: 0 });
    again.close();
  });

  it('fsyncs each append before it returns', () => {
    const journal = open();
    const fsync = vi.spyOn(fs, 'fsyncSync');
    journal.append(op(1));
    expect(fsync).toHaveBeenCalledTimes(1);
    // The line is in the file itself, not in a buffer of ours.
    expect(fs.readFileSync(file(), 'utf8')).toBe(`${JSON.stringify(op(1))}\n`);
    journal.close();
  });

  it('drops a last line a crash cut short, and appends after the good lines', () => {
    const whole = `${JSON.stringify(op(1))}\n`;
    fs.writeFileSync(file(), whole + JSON.stringify(op(2)).slice(0, 20));
    const journal = open();
    expect(journal.recovery).toEqual({ partialTail: true, damagedLines: 0 });
    expect(journal.peek(10)).toEqual([op(1)]);
    journal.append(op(3));
    journal.close();
    expect(fs.readFileSync(file(), 'utf8')).toBe(whole + `${JSON.stringify(op(3))}\n`);
    expect(open().peek(10)).toEqual([op(1), op(3)]);
  });

  it('skips and counts a whole line that is not an op', () => {
    fs.writeFileSync(
      file(),
      [
        JSON.stringify(op(1)),
        '{not json',
        JSON.stringify({ kind: 'rate', id: 'x', rating: 9 }),
        JSON.stringify(op(2)),
      ]
        .map((line) => `${line}\n`)
        .join(''),
    );
    const journal = open();
    expect(journal.recovery).toEqual({ partialTail: false, damagedLines: 2 });
    expect(journal.peek(10)).toEqual([op(1), op(2)]);
    journal.close();
  });

  it('refuses an append past its bound and keeps every op it already holds', () => {
    const line = Buffer.byteLength(`${JSON.stringify(op(1))}\n`);
    const journal = open(line * 2 + 10);
    journal.append(op(1));
    journal.append(op(2));
    expect(() => journal.append(op(3))).toThrow(JournalFullError);
    expect(journal.peek(10)).toEqual([op(1), op(2)]);
    expect(fs.statSync(file()).size).toBe(line * 2);
    journal.close();
  });

  it('forgets written ops: compacted once they are half of it, emptied when all are written', () => {
    const journal = open();
    for (let n = 1; n <= 4; n++) journal.append(op(n));
    journal.removeFirst(1);
    expect(journal.peek(10)).toEqual([op(2), op(3), op(4)]);
    // Under half: still in the file, so a crash now replays it (harmless: the ops are idempotent).
    expect(fs.readFileSync(file(), 'utf8').split('\n')).toHaveLength(5);
    journal.removeFirst(1);
    expect(fs.readFileSync(file(), 'utf8')).toBe(`${JSON.stringify(op(3))}\n${JSON.stringify(op(4))}\n`);
    journal.append(op(5));
    journal.removeFirst(3);
    expect(journal.isEmpty).toBe(true);
    expect(fs.statSync(file()).size).toBe(0);
    journal.close();
    expect(open().isEmpty).toBe(true);
  });
});
