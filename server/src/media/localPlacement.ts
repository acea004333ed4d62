import type { Logger } from '../logger';
import { CallMedia } from './CallMedia';
import type { MediaPlacement } from './CallMediaPort';
import type { WorkerPool } from './WorkerPool';

/** The embedded default: every call's router on this process's own workers. */
export function localPlacement(pool: WorkerPool, log: Logger): MediaPlacement {
  return { open: (callId) => CallMedia.create(pool, callId, log) };
}
