import { RelayError } from '../../../common/errors';
import type { Role } from '../../../common/protocol';

/** Who asks to join a call: the role of the namespace they came in on, and their signed-in account. */
export interface Joiner {
  role: Role;
  /** The account of a signed-in agent or volunteer; null on the anonymous caller namespace. */
  accountId: string | null;
}

/** What a join token is bound to besides its call: one role and, for staff, one account. */
export interface JoinBinding {
  role: Role;
  accountId: string | null;
}

/**
 * A join token admits only the participant it was issued for: on its role's namespace and, for an
 * agent or interpreter, from a socket signed in as the account it was issued to. A leaked token
 * thus lets no other agent take over a call, and no anonymous caller socket join as staff.
 */
export function requireBinding(bound: JoinBinding, joiner: Joiner): void {
  if (bound.role !== joiner.role) {
    throw new RelayError(
      'forbidden',
      `this join token belongs to the ${bound.role} of its call; join from the ${bound.role}'s page`,
    );
  }
  // Staff seats are personal; a staff seat without an account (never issued so) admits nobody.
  if (bound.role !== 'caller' && (bound.accountId === null || bound.accountId !== joiner.accountId)) {
    throw new RelayError('forbidden', `this join token was issued to another ${bound.role}`);
  }
}
