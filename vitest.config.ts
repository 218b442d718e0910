import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.property.ts'],
    exclude: ['dist/**', 'node_modules/**', 'test/bench/**'],
    // Properties sample thousands of cases; the default 5 s is too tight on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
