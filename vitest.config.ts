import { defineConfig } from 'vitest/config';

/**
 * Two tiers, one run: `npm test` runs both; `npm run test:unit` runs the pure tests alone (no
 * local cloud, no child process, no browser), in well under a minute. A test that starts a local
 * cloud, spawns a process, synthesises the CDK app or drives a browser is an integration test:
 * name it `*.e2e.test.ts` or list it below.
 */
const INTEGRATION = [
  '**/*.e2e.test.ts',
  'checks/*.test.ts',
  'cli/commands/{consumer,upload}.test.ts',
  'modules/*/stack.test.ts',
  'test/security.test.ts',
  'local/cloudformation/{deploy,synth}.test.ts',
  'local/{comprehend,events}/service.test.ts',
  'local/faults/faults.test.ts',
  'local/gateway/{gateway,in-process}.test.ts',
  'local/lambda/**/{api,kinesis,sqs,host}.test.ts',
  'local/{sns/outbox,sqs/query-protocol}.test.ts',
  'producer/cli.test.ts',
  'solutions/01-file-processing/{conversion,sentiment}.test.ts',
  'solutions/**/*.handler.test.ts',
  'test/{aws-cli,bad-input,cdk-cli,conservation,conservation-files,npm-scripts,restart}.test.ts',
  'test/site{,-serve}.test.ts',
];
const EXCLUDE = ['node_modules/**', 'dist/**', 'cdk.out/**', 'site/**'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The SDK warns on every Node 20 process that it will need Node 22 in 2027; we support Node 20.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['**/*.test.ts'], exclude: [...EXCLUDE, ...INTEGRATION] },
      },
      { extends: true, test: { name: 'integration', include: INTEGRATION, exclude: EXCLUDE } },
    ],
  },
});
