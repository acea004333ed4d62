import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        // Against the real mediasoup worker, a real SQLite file and a throwaway PostgreSQL server.
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/globalSetup/postgres.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Real Debian Chromium driven by Playwright; one file at a time on a 2-core machine.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // Three node processes on a real Redis and PostgreSQL, used from real Debian Chromium.
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['test/globalSetup/postgres.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // The image built with podman from the Dockerfile, run, and called from real Debian Chromium.
        test: {
          name: 'container',
          include: ['test/container/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 45 * 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
