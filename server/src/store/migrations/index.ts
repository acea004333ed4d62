import type { Migration } from 'kysely';
import { initial } from './001_initial';
import { volunteerProfiles } from './002_volunteer_profiles';

/**
 * Every migration, registered in code so the app never reads migration files from disk (it runs
 * from any cwd, and from a bundle). Kysely applies them in key order: keep the numeric prefix.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '001_initial': initial,
  '002_volunteer_profiles': volunteerProfiles,
};
