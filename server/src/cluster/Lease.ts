// One leader at a time: a lease in a shared store, with a fencing epoch. Every successful
// acquisition gets a new, larger epoch; every write the leader makes carries it, and the store
// refuses writes whose epoch is not the live lease's (see CommandLog), so a leader that was paused
// past its lease can do no harm when it wakes up.

export interface LeaseHolder {
  nodeId: string;
  epoch: number;
  /** How long the store will keep it without a renewal. */
  expiresInMs: number;
}

export type LeaseAttempt =
  | { acquired: true; epoch: number }
  /** Someone holds it: try again in `holder.expiresInMs` at the earliest. */
  | { acquired: false; holder: LeaseHolder };

export interface LeaseStatus {
  /** null when nobody holds a live lease. */
  holder: LeaseHolder | null;
  /** The epoch of the latest acquisition (0 before the first). Never goes down. */
  epoch: number;
}

export interface Lease {
  /** Takes the lease if it is free or expired, with a new epoch. */
  acquire(nodeId: string, ttlMs: number): Promise<LeaseAttempt>;
  /** Extends the lease; only its live holder with its epoch can. False when it was lost. */
  renew(nodeId: string, epoch: number, ttlMs: number): Promise<boolean>;
  /** Gives it up at once (so a standby need not wait for the TTL); only its live holder can. */
  release(nodeId: string, epoch: number): Promise<boolean>;
  current(): Promise<LeaseStatus>;
}
