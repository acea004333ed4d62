/**
 * One throwaway PostgreSQL server per test run of the integration project; each test makes its own
 * database on it (`createDatabase`), so tests and parallel files never see each other's rows.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../helpers/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL server (its `postgres` database). */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  // Teardown runs even when tests fail; this covers vitest exiting without it. A run killed outright
  // leaves an orphan that the next run's startPostgres stops and removes.
  process.once('exit', server.stopSync);
  project.provide('postgresUrl', server.url);
  return async () => {
    process.off('exit', server.stopSync);
    await server.stop();
  };
}
