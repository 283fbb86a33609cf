import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check as extra } from '../../checks/extra.ts';
import { check as module2 } from '../../checks/module2.ts';
import { check as module3 } from '../../checks/module3.ts';
import { check as module4 } from '../../checks/module4.ts';
import type { ModuleCheck } from '../../checks/report.ts';
import { findModule, repoRoot } from '../../cli/curriculum.ts';
import type { HandlerVariant } from '../../infra/workshop.ts';
import { LocalDeployer } from '../../local/deploy/deployer.ts';
import { installEvents } from '../../local/events/index.ts';
import { LambdaService } from '../../local/lambda/service.ts';
import { installOutbox } from '../../local/outbox/index.ts';
import { useLocalCloud } from '../../test/local-cloud.ts';
import { AggregationStack } from '../03-stream-aggregation/stack.ts';
import { ProcessingStack } from '../04-stream-processing/stack.ts';
import { AlertingStack } from '../05-alerting/stack.ts';
import { StreamingStack } from './stack.ts';
import { runModuleCheck } from './test-support.ts';

// Modules 2 to 5 deployed on a local cloud with the Lambda runtime and the deployer, as
// `npm start` does, with 2-s windows; the real producer sends three unicorns, one tiring.

const WINDOW_SECONDS = 2;
const STACKS = ['WildRydesStreaming', 'WildRydesAggregation', 'WildRydesProcessing', 'WildRydesAlerting'];
const producer = join(repoRoot, 'dist', 'producer.mjs');
const checks: Record<string, ModuleCheck<unknown>> = {
  module2: module2 as ModuleCheck<unknown>,
  module3: module3 as ModuleCheck<unknown>,
  module4: module4 as ModuleCheck<unknown>,
  extra: extra as ModuleCheck<unknown>,
};

/** Runs the compiled producer against the local cloud until it is done. */
async function produce(endpoint: string): Promise<void> {
  if (!existsSync(producer)) throw new Error('the producer is not built: run `npm run build`');
  // 20 ticks a second for 8 s: 160 simulated seconds, enough for Rocinante to tire below 50.
  const args = ['--name', 'Shadowfax', '--name', 'Rocinante', '--name', 'Bucephalus', '--tired', 'Rocinante'];
  const child = spawn(
    process.execPath,
    [producer, ...args, '--rate', '20', '--duration', '8', '--endpoint', endpoint, '--quiet'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the producer exited with ${code}`);
}

/** Which handlers each module's stack deploys. */
type Variants = { aggregation: HandlerVariant; processing: HandlerVariant; alerting: HandlerVariant };
const all = (variant: HandlerVariant): Variants => ({
  aggregation: variant,
  processing: variant,
  alerting: variant,
});

/** A local cloud with the streaming modules deployed and telemetry sent; `redeploy` switches handlers. */
function deployedPipeline(variants: Variants) {
  const cloud = useLocalCloud();
  let dir = '';
  let lambda: LambdaService | undefined;
  let deployer: LocalDeployer | undefined;
  let deployments = 0;

  const deploy = async (v: Variants) => {
    const outdir = join(dir, `cdk.out-${deployments++}`);
    const app = new App({ outdir });
    const streaming = new StreamingStack(app, 'WildRydesStreaming');
    const aggregation = new AggregationStack(app, 'WildRydesAggregation', {
      variant: v.aggregation,
      source: streaming.stream,
      windowSeconds: WINDOW_SECONDS,
    });
    new ProcessingStack(app, 'WildRydesProcessing', {
      variant: v.processing,
      source: aggregation.aggregatedStream,
    });
    new AlertingStack(app, 'WildRydesAlerting', {
      variant: v.alerting,
      source: streaming.stream,
      windowSeconds: WINDOW_SECONDS,
      alertEmail: 'instructor@example.com',
    });
    app.synth();
    await deployer?.deployAssembly(outdir, STACKS);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-streaming-e2e-'));
    process.env.WILDRYDES_STATE_DIR = dir;
    lambda = new LambdaService({ endpoint: cloud().endpoint, logDir: join(dir, 'logs') });
    cloud().register('lambda', lambda.handle);
    installOutbox(cloud(), { stateDir: dir });
    deployer = new LocalDeployer({ endpoint: cloud().endpoint, lambda, events: installEvents(cloud()) });
    await deploy(variants);
    await produce(cloud().endpoint);
  }, 240_000);

  afterAll(async () => {
    await deployer?.close();
    await lambda?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  return {
    check: (key: string, opts: { name?: string; waitSeconds?: number } = {}) =>
      runModuleCheck(key, checks[key] as ModuleCheck<unknown>, cloud().endpoint, {
        name: opts.name ?? 'Rocinante',
        waitSeconds: opts.waitSeconds ?? 60,
      }),
    /** Deploys other handlers, then sends telemetry again: a mapping goes on from where it was. */
    redeployAndProduce: async (v: Variants) => {
      await deploy(v);
      await produce(cloud().endpoint);
    },
  };
}

describe('the streaming modules end to end, with the solutions', () => {
  const pipeline = deployedPipeline(all('solution'));

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
  const pipeline = deployedPipeline(all('starter'));

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
