import { describe, expect, it } from 'vitest';
import { findModule } from '../core/curriculum.ts';
import { all, useDeployedPipeline } from '../testing/streaming-pipeline.ts';

// Modules 2 to 5 deployed on a local cloud with the Lambda runtime and the deployer, as
// `npm start` does, with 2-s windows; the real producer sends three unicorns, one tiring.

describe('the streaming modules end to end, with the solutions', () => {
  const pipeline = useDeployedPipeline(all('solution'));

  it.each([['module2'], ['module3'], ['module4'], ['extra']])(
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

  it.each([['Shadowfax'], ['Bucephalus']])(
    'persists the telemetry of %s too, conserved',
    async (name) => {
      // Act
      const { code, output } = await pipeline.check('module4', { name });

      // Assess
      expect(output).not.toContain('✖');
      expect(code).toBe(0);
    },
    120_000,
  );
});

describe('the streaming modules end to end, with the starters', () => {
  const pipeline = useDeployedPipeline(all('starter'));

  it('passes check module2: it has no handler to write', async () => {
    // Act
    const { code } = await pipeline.check('module2');

    // Assess
    expect(code).toBe(0);
  });

  it.each([['module3'], ['extra']])(
    "fails check %s with the module's hint",
    async (key) => {
      // Act
      const { code, output } = await pipeline.check(key, { waitSeconds: 10 });

      // Assess
      expect(code).toBe(1);
      expect(output).toContain(`hint: ${findModule(key)?.hints[0]}`);
    },
    120_000,
  );

  it("fails check module4 with the module's hint, once module 3 is caught up", async () => {
    // Prepare
    await pipeline.redeployAndProduce({
      aggregation: 'solution',
      processing: 'starter',
      alerting: 'starter',
    });

    // Act
    const { code, output } = await pipeline.check('module4', { waitSeconds: 20 });

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('✔ aggregated records of your unicorn are on');
    expect(output).toContain(`hint: ${findModule('module4')?.hints[0]}`);
  }, 240_000);
});
