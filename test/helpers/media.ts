import { CallMedia } from '../../server/src/media';
import type { Session } from '../../server/src/sessions/Session';

/** The router of a call hosted in this process (tests kill its worker on purpose). */
export function routerIdOf(session: Session): string {
  if (!(session.media instanceof CallMedia)) throw new Error('this call is not hosted in this process');
  return session.media.router.id;
}
