import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Type tests: `vitest run` also runs the project's tsc (TypeScript 7, native) over
    // tsconfig.json and reports each failed `expectTypeOf` in test-d/ as a failed test.
    // Type errors in other files included by tsconfig.json fail the run as well.
    typecheck: {
      enabled: true,
      checker: 'tsc',
      tsconfig: './tsconfig.json',
      include: ['test-d/**/*.test-d.ts'],
    },
  },
});
