import { defineConfig } from 'vitest/config';

// Tests live beside the code (x.test.ts). Browser and GDAL tests spawn real processes, so allow time.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'web/**/*.test.ts', 'models/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
