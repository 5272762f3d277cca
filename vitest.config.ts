import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Probes TEST_DATABASE_URL once: the PostgreSQL tests run against it, or are skipped with a notice.
    globalSetup: ['tests/support/postgres-setup.ts'],
  },
});
