import type { Migration } from 'kysely';
import { initial } from './001_initial';
import { volunteerProfiles } from './002_volunteer_profiles';
import { sessionGeneration } from './003_session_generation';
import { agentShift } from './004_agent_shift';
import { callEvents } from './005_call_events';
import { presenceIntervals } from './006_presence_intervals';
import type { StoreEngine } from '../location';
import { DDL } from './ddl';

/**
 * Every migration, registered in code so the app never reads migration files from disk (it runs
 * from any cwd, and from a bundle), written for the engine at hand. Kysely applies them in key order:
 * keep the numeric prefix.
 */
export function migrationsFor(engine: StoreEngine): Readonly<Record<string, Migration>> {
  const ddl = DDL[engine];
  return {
    '001_initial': initial(ddl),
    '002_volunteer_profiles': volunteerProfiles(ddl),
    '003_session_generation': sessionGeneration(),
    '004_agent_shift': agentShift(),
    '005_call_events': callEvents(ddl),
    '006_presence_intervals': presenceIntervals(ddl),
  };
}
