import { randomBytes } from 'node:crypto';
import { RelayError } from '../../../../common/errors';
import type { Logger } from '../../logger';
import type { CallMediaPort, MediaPlacement, MediaToResume } from '../../media';
import type { Bus } from '../Bus';
import { FailoverCallMedia } from './FailoverCallMedia';
import type { HostWatch } from './HostWatch';
import type { LoadBoard } from './LoadBoard';
import type { MediaHost } from './MediaHost';
import { RemoteCallMedia } from './RemoteCallMedia';

/** How many other nodes a placement tries before it hosts the call here. */
const ATTEMPTS = 3;
/** How long a new leader waits for a call's host to own up to its router: it delays the takeover. */
const RESUME_TIMEOUT_MS = 1500;

/**
 * A moved call's router has an id of its own: a host that was only cut off, and comes back,
 * cannot mix its events for the old router into the new one's.
 */
function movedId(matchId: string): string {
  return `${matchId}~${randomBytes(4).toString('hex')}`;
}

export interface ClusterPlacementDeps {
  host: MediaHost;
  board: LoadBoard;
  bus: Bus;
  /** Watches the other nodes hosting this node's calls, so a lost one's calls move. */
  watch: HostWatch;
  /** Whether this node controls calls now (holds the lobby's lease). */
  controlling: () => boolean;
  timeoutMs: number;
  log: Logger;
}

/**
 * A new call goes to the least-loaded node (LoadBoard's rule): this node's own MediaHost, or
 * another node's through RemoteCallMedia. A chosen node that does not answer is skipped; when no
 * other node can take the call, this node hosts it rather than turn the caller away. Each call's
 * media then fails over (FailoverCallMedia): a lost host's calls are placed again, by the same rule.
 */
export class ClusterPlacement implements MediaPlacement {
  constructor(private readonly deps: ClusterPlacementDeps) {}

  async open(callId: string): Promise<CallMediaPort> {
    return this.#failover(callId, await this.#place(callId, new Set()), []);
  }

  async resume(call: MediaToResume): Promise<{ media: CallMediaPort; moved: boolean }> {
    const { host, bus, log } = this.deps;
    const attached =
      call.hostNodeId === host.nodeId
        ? (host.existing(call.mediaCallId) ?? null)
        : await RemoteCallMedia.open(bus, call.hostNodeId, call.mediaCallId, {
            timeoutMs: RESUME_TIMEOUT_MS,
            log,
            attach: true,
          }).catch((err: unknown) => {
            log.warn({ err, callId: call.matchId, host: call.hostNodeId }, 'the call’s media host is gone');
            return null;
          });
    if (attached) return { media: this.#failover(call.matchId, attached, call.participantIds), moved: false };
    const fresh = await this.#place(movedId(call.matchId), new Set([call.hostNodeId]));
    for (const p of call.participantIds) fresh.addParticipant(p);
    return { media: this.#failover(call.matchId, fresh, call.participantIds), moved: true };
  }

  #failover(matchId: string, first: CallMediaPort, participants: string[]): FailoverCallMedia {
    const { host, watch, log } = this.deps;
    return new FailoverCallMedia(
      first,
      {
        reopen: (avoid) => this.#place(movedId(matchId), avoid),
        watch: (nodeId, onLost) => (nodeId === host.nodeId ? () => {} : watch.watch(nodeId, () => onLost())),
        controlling: this.deps.controlling,
        log: log.child({ callId: matchId }),
      },
      participants,
    );
  }

  async #place(callId: string, avoid: ReadonlySet<string>): Promise<CallMediaPort> {
    const { host, board, bus, timeoutMs, log } = this.deps;
    const skipped = new Set(avoid);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const nodeId = await board.choose(skipped).catch((err: unknown) => {
        log.warn({ err }, 'could not read the nodes’ load: hosting the call here');
        return null;
      });
      if (nodeId === null || nodeId === host.nodeId) break;
      board.placed(nodeId);
      try {
        const media = await RemoteCallMedia.open(bus, nodeId, callId, { timeoutMs, log });
        log.info({ callId, host: nodeId }, 'call hosted on another node');
        return media;
      } catch (err) {
        if (!(err instanceof RelayError && err.code === 'timeout')) throw err;
        log.warn({ err, callId, host: nodeId }, 'the chosen host did not answer: trying another');
        skipped.add(nodeId);
      }
    }
    board.placed(host.nodeId);
    return host.open(callId);
  }
}
