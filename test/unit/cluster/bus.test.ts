// The in-process bus on a fake clock: broadcasts, requests answered or timed out (never hanging),
// errors that keep their code, and stray answers ignored. Plus the stale-epoch filter.
import { describe, expect, it } from 'vitest';
import { RelayError } from '../../../common/errors';
import { EpochGate } from '../../../server/src/cluster/EpochGate';
import { InProcessBusNetwork } from '../../../server/src/cluster/InProcessBus';
import type { BusTransport } from '../../../server/src/cluster/Bus';
import {
  ClosedError,
  InvalidEntryError,
  NodeUnreachableError,
  RemoteError,
  RequestTimeoutError,
} from '../../../server/src/cluster/errors';
import { MessageBus } from '../../../server/src/cluster/MessageBus';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { settle } from './helpers';

async function setup() {
  const clock = new FakeScheduler();
  const network = new InProcessBusNetwork();
  const errors: unknown[] = [];
  const a = await network.connect('a', clock, { onError: (e) => errors.push(e) });
  const b = await network.connect('b', clock, { onError: (e) => errors.push(e) });
  return { clock, network, a, b, errors };
}

describe('InProcessBus', () => {
  it('delivers a broadcast to every subscriber, on every node, with who sent it', async () => {
    const { a, b } = await setup();
    const got: Array<[string, unknown, string]> = [];
    await a.subscribe('lobby-events', (p, from) => got.push(['a', p, from]));
    const off = await b.subscribe('lobby-events', (p, from) => got.push(['b', p, from]));
    await a.publish('lobby-events', { type: 'offer', n: 1 });
    await settle();
    expect(got).toEqual([
      ['a', { type: 'offer', n: 1 }, 'a'],
      ['b', { type: 'offer', n: 1 }, 'a'],
    ]);
    await off();
    await a.publish('lobby-events', 2);
    await settle();
    expect(got).toHaveLength(3);
    await a.close();
    await b.close();
  });

  it('answers a request with what the handler returns (a JSON copy, never the same object)', async () => {
    const { a, b } = await setup();
    const served = { value: 1 };
    await b.handle('lobby-command', async (payload, from) => ({ echo: payload, from, served }));
    const answer = await a.request('b', 'lobby-command', { op: 'enqueueCaller' }, 1_000);
    expect(answer).toEqual({ echo: { op: 'enqueueCaller' }, from: 'a', served: { value: 1 } });
    expect((answer as { served: unknown }).served).not.toBe(served);
  });

  it('a request nobody answers rejects after its timeout with an error naming the node', async () => {
    const { clock, a, b } = await setup();
    await b.handle('media', () => new Promise(() => {})); // a handler that never finishes
    const pending = a.request('b', 'media', {}, 2_000);
    const outcome = pending.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await settle();
    clock.advance(1_999);
    await settle();
    clock.advance(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'request-timeout', nodeId: 'b', channel: 'media', timeoutMs: 2_000 });
    expect((error as Error).message).toContain('node b');
  });

  it('a request to a node that is not there fails at once', async () => {
    const { a } = await setup();
    await expect(a.request('ghost', 'lobby-command', {}, 5_000)).rejects.toBeInstanceOf(NodeUnreachableError);
  });

  it("a handler's failure comes back with its code (a RelayError's code as is)", async () => {
    const { a, b } = await setup();
    await b.handle('lobby-command', () => {
      throw new RelayError('not-found', 'no such offer');
    });
    await b.handle('boom', () => {
      throw new Error('bug');
    });
    await expect(a.request('b', 'lobby-command', {}, 1_000)).rejects.toMatchObject({
      code: 'remote-error',
      remoteCode: 'not-found',
      nodeId: 'b',
      message: 'no such offer',
    });
    await expect(a.request('b', 'boom', {}, 1_000)).rejects.toMatchObject({ remoteCode: 'internal' });
    const missing = await a.request('b', 'nothing-here', {}, 1_000).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RemoteError);
    expect(missing).toMatchObject({ remoteCode: 'no-handler' });
  });

  it('ignores a reply that comes after the timeout, for an id nobody waits for', async () => {
    const { clock, a, b, errors } = await setup();
    let answer: (v: unknown) => void = () => {};
    await b.handle('slow', () => new Promise((resolve) => (answer = resolve)));
    const late = a.request('b', 'slow', {}, 1_000).catch((e: unknown) => e);
    await settle();
    clock.advance(1_000);
    expect(await late).toBeInstanceOf(RequestTimeoutError);
    answer('too late'); // b's reply arrives now: nobody waits for that id
    await settle();
    expect(errors).toEqual([]);
  });

  it('ignores forged or unreadable replies: only the asked node answers its request', async () => {
    // A transport whose wire the test holds: what the bus sends is recorded, what it hears is typed in.
    const sent: Array<{ topic: string; text: string }> = [];
    const listeners = new Map<string, (text: string) => void>();
    const transport: BusTransport = {
      send: async (topic, text) => (sent.push({ topic, text }), 1),
      listen: async (topic, deliver) => void listeners.set(topic, deliver),
      unlisten: async (topic) => void listeners.delete(topic),
      close: async () => {},
    };
    const hear = (text: string) => listeners.get('node:a')?.(text);
    const errors: unknown[] = [];
    const clock = new FakeScheduler();
    const a = new MessageBus('a', transport, clock, { onError: (e) => errors.push(e) });
    await a.connect();
    const asked = a.request('b', 'lobby-command', { n: 1 }, 1_000);
    await settle();
    expect(sent[0]?.topic).toBe('node:b');
    const { id } = JSON.parse(sent[0]?.text ?? '{}') as { id: string };
    const reply = (from: string, value: unknown, replyId = id) =>
      JSON.stringify({ kind: 'response', id: replyId, from, ok: true, value });
    hear(reply('c', 'forged by c')); // right id, wrong node
    hear(reply('b', 'for another request', 'some-other-id'));
    hear('not json');
    hear(JSON.stringify({ kind: 'response', id, from: 'b' })); // neither ok nor error
    await settle();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(InvalidEntryError);
    hear(reply('b', 'the answer'));
    expect(await asked).toBe('the answer');
    hear(reply('b', 'a second answer')); // already settled: ignored
    await a.close();
  });

  it('close() rejects what is still waiting, and refuses new work', async () => {
    const { a, b } = await setup();
    await b.handle('slow', () => new Promise(() => {}));
    const pending = a.request('b', 'slow', {}, 60_000);
    await settle();
    await a.close();
    await expect(pending).rejects.toBeInstanceOf(ClosedError);
    await expect(a.publish('x', 1)).rejects.toBeInstanceOf(ClosedError);
    await b.close();
  });
});

describe('EpochGate', () => {
  it('drops messages from an older epoch than one already seen', () => {
    const gate = new EpochGate();
    expect(gate.admit(1)).toBe(true);
    expect(gate.admit(3)).toBe(true);
    expect(gate.admit(3)).toBe(true);
    expect(gate.admit(2)).toBe(false); // the old leader woke up: what it says changes nothing
    expect(gate.admit(Number.NaN)).toBe(false);
    expect(gate.highest).toBe(3);
  });
});
