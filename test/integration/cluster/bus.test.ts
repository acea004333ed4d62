// The bus on both implementations (Redis pub/sub for one): broadcasts between nodes, requests
// answered, timed out (naming the node), refused at once for a node nobody serves, errors that
// keep their code, late answers ignored.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RelayError } from '../../../common/errors';
import { NodeUnreachableError, RequestTimeoutError } from '../../../server/src/cluster/errors';
import { backends, eventually, sleep, type Store } from './backends';

describe.each(backends)('bus ($name)', (backend) => {
  let store: Store;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  afterEach(() => store.close());

  async function twoNodes() {
    store = await backend.store();
    return { a: (await store.node('a')).bus, b: (await store.node('b')).bus };
  }

  it('a broadcast reaches the subscribers of every node', async () => {
    const { a, b } = await twoNodes();
    const got: string[] = [];
    await a.subscribe('lobby-events', (p, from) => got.push(`a<-${from}:${JSON.stringify(p)}`));
    await b.subscribe('lobby-events', (p, from) => got.push(`b<-${from}:${JSON.stringify(p)}`));
    await b.subscribe('other', () => got.push('wrong channel'));
    await a.publish('lobby-events', { epoch: 3, type: 'offer' });
    await eventually(() => got.length >= 2);
    await sleep(50);
    expect(got.sort()).toEqual(['a<-a:{"epoch":3,"type":"offer"}', 'b<-a:{"epoch":3,"type":"offer"}']);
  });

  it('a request is answered by the named node', async () => {
    const { a, b } = await twoNodes();
    await b.handle('lobby-command', async (payload, from) => ({ ran: payload, for: from, by: 'b' }));
    const answer = await a.request('b', 'lobby-command', { op: 'enqueueCaller', args: [] }, 2_000);
    expect(answer).toEqual({ ran: { op: 'enqueueCaller', args: [] }, for: 'a', by: 'b' });
    // Many at once, each gets its own answer.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => a.request('b', 'lobby-command', i, 2_000)),
    );
    expect(answers.map((x) => (x as { ran: number }).ran)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('a request that is not answered in time rejects with a timeout naming the node (never hangs)', async () => {
    const { a, b } = await twoNodes();
    let late: (v: unknown) => void = () => {};
    await b.handle('media', () => new Promise((resolve) => (late = resolve)));
    const started = Date.now();
    const error = await a.request('b', 'media', { produce: true }, 150).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ nodeId: 'b', channel: 'media', timeoutMs: 150 });
    expect(Date.now() - started).toBeLessThan(1_000);
    late({ too: 'late' }); // its answer now goes to an id nobody waits for: ignored
    await sleep(50);
    expect(await a.request('b', 'media', 1, 20).catch((e: unknown) => e)).toBeInstanceOf(RequestTimeoutError);
  });

  it('a request to a node nobody serves fails at once', async () => {
    const { a } = await twoNodes();
    const started = Date.now();
    await expect(a.request('node-that-died', 'lobby-command', {}, 5_000)).rejects.toBeInstanceOf(
      NodeUnreachableError,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("a handler's refusal arrives with its code", async () => {
    const { a, b } = await twoNodes();
    await b.handle('lobby-command', () => {
      throw new RelayError('taken', 'someone else answered first');
    });
    await expect(a.request('b', 'lobby-command', {}, 2_000)).rejects.toMatchObject({
      code: 'remote-error',
      remoteCode: 'taken',
      message: 'someone else answered first',
    });
  });
});
