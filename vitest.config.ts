import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Store tests run against SQLite and PostgreSQL; the PostgreSQL suites share one server,
    // and each suite takes its own schema, so files may still run in parallel.
    fileParallelism: true,
    pool: "forks",
  },
});
