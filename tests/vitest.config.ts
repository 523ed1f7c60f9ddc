import { defineConfig } from 'vitest/config';

// End-to-end suites boot whole stacks: run the files one after another.
export default defineConfig({ test: { fileParallelism: false, include: ['e2e/**/*.test.ts'] } });
