import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['switchboard-source'] },
  ssr: { resolve: { conditions: ['switchboard-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts', 'docs/**/*.test.ts'],
    testTimeout: 20_000,
    // Servers log masked errors on purpose in several tests; keep the run's output readable.
    env: { SWITCHBOARD_LOG_LEVEL: 'silent' },
    hookTimeout: 30_000,
    // Most integration files wait on child processes, sockets and Chromium rather than on the CPU: on a 2-core
    // machine the default (one worker) leaves the CPU idle half the run.
    maxWorkers: 3,
  },
});
