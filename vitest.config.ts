import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Test tiers by folder of test/ (DESIGN.md, "Tests"): unit tests are pure, integration tests drive real
 * jsforce against the test org or read and write temporary files through src/, end-to-end tests run
 * the built binary.
 */
const TIERS: Record<string, string[]> = {
  unit: ['unit', 'conditions', 'config'],
  integration: ['salesforce', 'org', 'core', 'sinks', 'sources'],
  e2e: ['e2e', 'sf-flow', 'operator', 'examples', 'sim', 'json'],
};

/** A test file outside every tier would run in no `test:*` script and be missed by their users. */
function checkEveryTestHasATier(): void {
  const test = join(import.meta.dirname, 'test');
  const tiered = new Set(Object.values(TIERS).flat());
  const untiered = readdirSync(test, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.test.ts'))
    .filter((path) => !tiered.has(path.split(sep)[0] ?? ''));
  if (untiered.length)
    throw new Error(
      `test files in no tier: ${untiered.map((p) => `test/${p}`).join(', ')}; add their folder to TIERS in vitest.config.ts`,
    );
}
checkEveryTestHasATier();

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // jsforce reads proxy variables at load time and ignores NO_PROXY; the test org is on loopback.
    env: { http_proxy: '', https_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '' },
    projects: Object.entries(TIERS).map(([name, folders]) => ({
      extends: true,
      test: {
        name,
        include: folders.map((folder) => `test/${folder}/**/*.test.ts`),
        // Each end-to-end test spawns CLIs that share the cores with the tests running next to it.
        ...(name === 'e2e' ? { testTimeout: 90_000, hookTimeout: 90_000 } : {}),
      },
    })),
  },
});
