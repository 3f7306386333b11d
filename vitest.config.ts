import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string): string =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * Test files that drive traffic through local-kinesis and measure rates or latencies. Kinesis runs
 * in the test's own process, so two of these side by side on two cores distort each other's
 * figures: they run one at a time, after the unit tests.
 */
const TRAFFIC = [
  'test/**/*.test.ts',
  'packages/local-kinesis/test/**/*.test.ts',
  'packages/loadgen/test/consumer/event-source-mapping.local-kinesis.test.ts',
  'packages/loadgen/test/plan/probe-command.test.ts',
];

const shared = {
  globals: false,
  testTimeout: 30_000,
  hookTimeout: 30_000,
  allowOnly: false,
  // The pinned AWS SDK's Node 22 notice would repeat in every test file's output.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
};

export default defineConfig({
  resolve: {
    alias: {
      '@shardline/producer': src('producer'),
      '@shardline/local-kinesis': src('local-kinesis'),
      '@shardline/loadgen': src('loadgen'),
    },
  },
  test: {
    passWithNoTests: false,
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...TRAFFIC],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          name: 'traffic',
          include: TRAFFIC,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
