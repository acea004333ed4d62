// A process that crashed in the middle of calls left their records open; the next start closes
// them as failed, so no report counts a call that never ended. A call that ended is untouched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openStore } from '../../../server/src/store';
import { establishCall } from '../../helpers/calls';
import { startTestApp } from '../../helpers/testApp';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-restart-'));
const file = path.join(dir, 'relay.sqlite');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('closes the calls a crashed process left open, at the next start', async () => {
  // A real call on the first process, which then dies without ending it (its store is simply dropped).
  const first = await startTestApp({ DATABASE_PATH: file });
  const call = await establishCall(first, 'crash-agent');
  const [open] = await first.store.calls.list({});
  expect(open).toMatchObject({ outcome: null, endedAt: null });
  call.caller.close();
  call.agent.close();
  const done = await first.store.calls.start({ callerLanguage: 'ko', mode: 'text' });
  await first.store.calls.ended(done.id, { outcome: 'completed', waitedMs: 500 });
  // What a crash leaves: the database as it is now (file and write-ahead log), no ending written.
  const copy = path.join(dir, 'after-crash.sqlite');
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, copy + suffix);
  }
  await first.stop();

  const second = await startTestApp({ DATABASE_PATH: copy });
  try {
    expect(await second.store.calls.get(open!.id)).toMatchObject({ outcome: 'failed' });
    expect((await second.store.calls.get(open!.id))?.endedAt).not.toBeNull();
    expect(await second.store.calls.get(done.id)).toMatchObject({ outcome: 'completed', waitedMs: 500 });
  } finally {
    await second.stop();
  }
  // The store reads the same from outside the app.
  const store = await openStore({ path: copy });
  expect((await store.calls.list({})).filter((r) => r.endedAt === null)).toEqual([]);
  await store.close();
});
