import type { Logger } from './logger';
import type { Session } from './sessions/Session';
import type { Scheduler } from './util/scheduler';

/** How often a draining node looks whether its calls have finished. */
const CHECK_EVERY_MS = 250;

export interface DrainTarget {
  /** Calls this node controls (all of them in one process; the leader's in a cluster). */
  sessions(): Session[];
  /** Routers on this node's workers: calls whose media is here, wherever they are controlled. */
  routers(): number;
}

export interface DrainResult {
  /** Every call finished by itself within the limit. */
  finished: boolean;
  /** Calls ended at the limit, each told `shutdown`. */
  ended: number;
  waitedMs: number;
}

/**
 * Waits for this node's live calls to finish, up to `limitMs`; then ends the ones it controls,
 * telling every participant why (`shutdown`), so that no call is cut without a word. New calls are
 * refused meanwhile by whoever set the node draining.
 */
export function drainNode(
  target: DrainTarget,
  options: { scheduler: Scheduler; limitMs: number; log: Logger },
): Promise<DrainResult> {
  const { scheduler, limitMs, log } = options;
  const started = scheduler.now();
  return new Promise((resolve) => {
    const check = () => {
      const waitedMs = scheduler.now() - started;
      const live = target.sessions().filter((s) => !s.ended);
      if (live.length === 0 && target.routers() === 0) {
        resolve({ finished: true, ended: 0, waitedMs });
        return;
      }
      if (waitedMs >= limitMs) {
        for (const s of live) s.end('shutdown');
        log.warn(
          { ended: live.length, hostedRouters: target.routers(), waitedMs },
          'drain limit reached: calls ended',
        );
        resolve({ finished: false, ended: live.length, waitedMs });
        return;
      }
      scheduler.after(Math.min(CHECK_EVERY_MS, limitMs - waitedMs), check);
    };
    log.info(
      { calls: target.sessions().length, limitMs },
      'draining: no new calls; waiting for live ones to finish',
    );
    check();
  });
}
