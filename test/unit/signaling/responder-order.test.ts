import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { Routes } from '../../../server/src/signaling/respond';
import { recordingLog } from '../../helpers/recordingLog';

/** Just what Routes uses of a socket.io socket: `on`, `onAny`, `disconnect`. */
class FakeSocket extends EventEmitter {
  readonly #any: ((event: string, ...args: unknown[]) => void)[] = [];
  onAny(listener: (event: string, ...args: unknown[]) => void): void {
    this.#any.push(listener);
  }
  disconnect(): void {}
  /** A client message with its ack, as socket.io delivers it. */
  send(event: string, payload: unknown): Promise<unknown> {
    return new Promise((resolve) => {
      for (const listener of this.#any) listener(event, payload, resolve);
    });
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const TRANSPORT = 'transport-1';

describe("the order of one socket's requests", () => {
  it('runs ordered handlers one after another, and an overlapping one only after those before it', async () => {
    const socket = new FakeSocket();
    const responder = new Routes<Socket>();
    const joinHeld = deferred();
    const resumeHeld = deferred();
    const started: string[] = [];
    responder.on('session:join', async () => {
      started.push('join');
      await joinHeld.promise;
      return null as never;
    });
    responder.on(
      'media:resume-consumer',
      async () => {
        started.push('resume');
        await resumeHeld.promise;
        return null;
      },
      { overlap: true },
    );
    responder.on('session:hangup', () => {
      started.push('hangup');
      return null;
    });

    responder.serve(socket as unknown as Socket, recordingLog().log);
    const answers: string[] = [];
    const join = socket.send('session:join', { token: 'x'.repeat(32) }).then(() => answers.push('join'));
    const resume = socket
      .send('media:resume-consumer', { consumerId: 'c1' })
      .then(() => answers.push('resume'));
    const hangup = socket.send('session:hangup', {}).then(() => answers.push('hangup'));
    await settle();
    // Nothing after the join starts before it is done, overlapping or not.
    expect(started).toEqual(['join']);

    joinHeld.resolve();
    await join;
    await hangup;
    // The resume is still running: the request after it did not wait for it.
    expect(started).toEqual(['join', 'resume', 'hangup']);
    expect(answers).toEqual(['join', 'hangup']);

    resumeHeld.resolve();
    await resume;
    expect(answers).toEqual(['join', 'hangup', 'resume']);
  });

  it('still answers a bad payload of an overlapping message with its schema error, running nothing', async () => {
    const socket = new FakeSocket();
    const responder = new Routes<Socket>();
    let ran = false;
    responder.on(
      'media:consume',
      () => {
        ran = true;
        return { id: 'c', producerId: 'p', kind: 'video', rtpParameters: { codecs: [] } } as never;
      },
      { overlap: true },
    );
    responder.serve(socket as unknown as Socket, recordingLog().log);
    const answer = await socket.send('media:consume', { transportId: TRANSPORT });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(ran).toBe(false);
  });
});
