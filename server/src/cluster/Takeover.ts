import type { Logger } from '../logger';
import type { DeskSnapshot, DeskStore } from '../sessions/DeskStore';
import type { LeaseKeeper } from './LeaseKeeper';
import type { ReplicatedLobby } from './ReplicatedLobby';

/** What the node's desks do as leadership comes and goes (CallCenter's methods of the same names). */
export interface TakeoverHooks {
  /** Take over what the last leader's desks held. */
  takeOver(snapshot: DeskSnapshot): Promise<void>;
  /** Ask every node which of its sockets never left, and apply the answers. */
  gatherPresence(): Promise<void>;
  /** The lease is gone: nothing may act on its own until it is clear who leads. */
  freeze(): void;
  /** Leading again with nobody else having led: carry on as before. */
  thaw(): void;
  /** Another node leads: let go of everything, ending nothing. */
  standDown(): void;
  /** Everything the desks hold, as the store keeps it. */
  stored(): DeskSnapshot;
}

type State = 'idle' | 'frozen' | 'leading';

function isEmpty(s: DeskSnapshot): boolean {
  return s.callers.length + s.wrapUps.length + s.surveys.length + s.staff.length + s.calls.length === 0;
}

/**
 * Leadership for a node with desks. The lease decides. On gaining it, a node that held nothing
 * reads the desks' state the last leader left (before leading: a deposed leader can no longer
 * write it), catches the lobby up and leads, takes the desks over and asks every node which of its
 * sockets never left; only then is it `ready` to serve call control. On losing it, the lobby steps
 * down at once and the desks freeze: if this node leads again before anyone else (Redis restarted),
 * it carries on with them; once another node is seen leading, it lets go of them.
 */
export class Takeover {
  #state: State = 'idle';
  #ready = false;
  #generation = 0;
  /** The first leadership waits for the desks to exist (the app binds them after the node joins). */
  readonly #bound: Promise<TakeoverHooks>;
  #hooks: TakeoverHooks | null = null;
  #bind!: (hooks: TakeoverHooks) => void;
  readonly #unbind: () => void;

  constructor(
    private readonly deps: { keeper: LeaseKeeper; replica: ReplicatedLobby; desk: DeskStore; log: Logger },
  ) {
    this.#bound = new Promise((resolve) => (this.#bind = resolve));
    const gained = ({ epoch }: { epoch: number }) => void this.#gain(epoch);
    const lost = () => this.#lose();
    deps.keeper.on('gained', gained).on('lost', lost);
    this.#unbind = () => deps.keeper.off('gained', gained).off('lost', lost);
  }

  /** Serving call control: the lease held, the lobby caught up and the desks taken over. */
  get ready(): boolean {
    return this.#ready;
  }

  bind(hooks: TakeoverHooks): void {
    this.#hooks = hooks;
    this.#bind(hooks);
  }

  /** Another node leads: frozen desks are let go of. */
  otherLeader(): void {
    if (this.#state !== 'frozen') return;
    this.#state = 'idle';
    this.#hooks?.standDown();
    this.deps.log.warn('another node leads: let go of the desks');
  }

  /** A hand-over (draining): stop serving and let the desks go now; the lease is given up after. */
  standDown(): void {
    this.#lose();
    this.otherLeader();
  }

  close(): void {
    this.#unbind();
    this.#generation += 1;
    this.#ready = false;
  }

  async #gain(epoch: number): Promise<void> {
    const { keeper, replica, desk, log } = this.deps;
    const generation = ++this.#generation;
    const current = () => generation === this.#generation && keeper.holds(epoch);
    try {
      const started = Date.now();
      const hooks = await this.#bound;
      const resuming = this.#state === 'frozen';
      const snapshot = await desk.load();
      if (!current()) return;
      await replica.lead(epoch, () => keeper.holds(epoch));
      if (!current()) return;
      if (resuming) {
        // Nobody else led: this node's desks are the latest there are. If Redis came back
        // without them (its AOF lost), they are written back.
        hooks.thaw();
        if (isEmpty(snapshot)) {
          const mine = hooks.stored();
          if (!isEmpty(mine)) {
            log.warn('Redis had lost the desks: writing them back from this node');
            rewrite(desk, mine);
          }
        }
      } else {
        // Lost during the takeover and won back later, the desks carry on from what was taken.
        this.#state = 'frozen';
        await hooks.takeOver(snapshot);
        if (!current()) return;
        await hooks.gatherPresence();
      }
      if (!current()) return;
      this.#state = 'leading';
      this.#ready = true;
      log.info({ epoch, resuming, ms: Date.now() - started }, 'serving call control');
    } catch (err) {
      log.error({ err, epoch }, 'could not take over the desks');
    }
  }

  #lose(): void {
    this.#generation += 1;
    this.#ready = false;
    this.deps.replica.stepDown();
    if (this.#state === 'idle') return;
    this.#state = 'frozen';
    this.#hooks?.freeze();
  }
}

/** Writes a whole snapshot into the desks' store. */
function rewrite(desk: DeskStore, s: DeskSnapshot): void {
  for (const c of s.callers) desk.write({ kind: 'caller', id: c.callerId, value: c });
  for (const w of s.wrapUps) desk.write({ kind: 'wrapup', id: w.agentId, value: w });
  for (const v of s.surveys) desk.write({ kind: 'survey', id: v.key, value: v });
  for (const m of s.staff) desk.write({ kind: 'staff', id: m.id, value: m });
  for (const c of s.calls) desk.write({ kind: 'call', id: c.sessionId, value: c });
}
