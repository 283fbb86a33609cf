import { describe, expect, it } from 'vitest';
import { all, useDeployedPipeline } from '../testing/streaming-pipeline.ts';

// Issue 13: modules 2 to 4 (the solutions) on streams of ten shards, with the per-shard write
// limits on: each shard read in parallel with its own windows, and the checks still pass. The
// same checks on one shard run in streaming.e2e.test.ts.

describe('the streaming modules on ten shards, with the solutions', () => {
  const pipeline = useDeployedPipeline(all('solution'), {
    stacks: ['WildRydesStreaming', 'WildRydesAggregation', 'WildRydesProcessing'],
    shards: 10,
  });

  it.each([['module3'], ['module4']])(
    'passes check %s',
    async (key) => {
      // Act
      const { code, output } = await pipeline.check(key);

      // Assess
      expect(output).not.toContain('✖');
      expect(code).toBe(0);
    },
    180_000,
  );
});
