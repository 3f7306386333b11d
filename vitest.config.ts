import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string): string =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@shardline/producer': src('producer'),
      '@shardline/local-kinesis': src('local-kinesis'),
      '@shardline/loadgen': src('loadgen'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globals: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests that drive traffic through local-kinesis measure rates; two cores
    // cannot host many of them at once without distorting each other.
    maxWorkers: 2,
    allowOnly: false,
    // The pinned AWS SDK's Node 22 notice would repeat in every test file's output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    passWithNoTests: false,
  },
});
