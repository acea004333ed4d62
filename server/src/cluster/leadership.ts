import type { LeaseKeeper } from './LeaseKeeper';
import type { ReplicatedLobby } from './ReplicatedLobby';

/**
 * Lets the lease decide who leads: gained → the replica catches up and leads (asking the keeper
 * at every command whether the lease still holds by the clock); lost → it steps down at once.
 * Returns a function that undoes the wiring.
 */
export function bindLeadership(keeper: LeaseKeeper, replica: ReplicatedLobby): () => void {
  const gained = ({ epoch }: { epoch: number }): void => {
    // lead() reports its own failures on the replica's 'error' event; a closed replica just declines.
    replica.lead(epoch, () => keeper.holds(epoch)).catch(() => {});
  };
  const lost = (): void => replica.stepDown();
  keeper.on('gained', gained).on('lost', lost);
  return () => {
    keeper.off('gained', gained).off('lost', lost);
  };
}
