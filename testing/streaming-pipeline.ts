import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll } from 'vitest';
import { check as extra } from '../checks/extra.ts';
import { check as module2 } from '../checks/module2.ts';
import { check as module3 } from '../checks/module3.ts';
import { check as module4 } from '../checks/module4.ts';
import type { ModuleCheck } from '../checks/report.ts';
import { repoRoot } from '../core/curriculum.ts';
import type { HandlerVariant } from '../infra/constructs/workshop-function.ts';
import type { LocalCloud } from '../local/cloud.ts';
import type { LocalDeployer } from '../local/cloudformation/deployer.ts';
import type { FaultPlan } from '../local/faults/index.ts';
import type { LambdaService } from '../local/lambda/service.ts';
import { installServices } from '../local/services.ts';
import { StreamingStack } from '../modules/02-streaming-data/stack.ts';
import { AggregationStack } from '../modules/03-stream-aggregation/stack.ts';
import { ProcessingStack } from '../modules/04-stream-processing/stack.ts';
import { AlertingStack } from '../modules/05-alerting/stack.ts';
import { useLocalCloud } from './local-cloud.ts';
import { runModuleCheck } from './streams.ts';

/**
 * The streaming modules deployed on a local cloud with the Lambda runtime and the deployer, as
 * `npm start` does, with 2-s windows, and the real compiled producer: for the end-to-end tests.
 */

/** Tumbling windows of modules 3 and 5 in these tests. */
export const WINDOW_SECONDS = 2;
/** Every streaming stack, dependencies first. */
export const STREAMING_STACKS = [
  'WildRydesStreaming',
  'WildRydesAggregation',
  'WildRydesProcessing',
  'WildRydesAlerting',
];
const producer = join(repoRoot, 'dist', 'producer.mjs');
const checks: Record<string, ModuleCheck<unknown>> = {
  module2: module2 as ModuleCheck<unknown>,
  module3: module3 as ModuleCheck<unknown>,
  module4: module4 as ModuleCheck<unknown>,
  extra: extra as ModuleCheck<unknown>,
};

/** 20 ticks a second for 8 s: 160 simulated seconds, enough for Rocinante to tire below 50. */
export const THREE_UNICORNS = [
  ...['--name', 'Shadowfax', '--name', 'Rocinante', '--name', 'Bucephalus', '--tired', 'Rocinante'],
  ...['--rate', '20', '--duration', '8'],
];

/** Runs the compiled producer against the local cloud with `args` until it is done. */
export async function produce(endpoint: string, args: string[] = THREE_UNICORNS): Promise<void> {
  if (!existsSync(producer)) throw new Error('the producer is not built: run `npm run build`');
  const child = spawn(process.execPath, [producer, ...args, '--endpoint', endpoint, '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the producer exited with ${code}`);
}

/** Which handlers each module's stack deploys. */
export type Variants = { aggregation: HandlerVariant; processing: HandlerVariant; alerting: HandlerVariant };
export const all = (variant: HandlerVariant): Variants => ({
  aggregation: variant,
  processing: variant,
  alerting: variant,
});

export interface PipelineOptions {
  /** The stacks to deploy (all four by default). */
  stacks?: string[];
  /** Failures the local cloud injects (none by default). */
  faults?: FaultPlan;
  /** Send the producer's telemetry once deployed (default), or leave it to the test. */
  produceOnStart?: boolean;
  /** Shards of each stream (CDK context `shards`; 1 by default). */
  shards?: number;
}

/** A local cloud with the streaming modules deployed and telemetry sent; `redeploy` switches handlers. */
export function useDeployedPipeline(variants: Variants, opts: PipelineOptions = {}) {
  const cloud = useLocalCloud({ faults: opts.faults });
  const stacks = opts.stacks ?? STREAMING_STACKS;
  let dir = '';
  let lambda: LambdaService | undefined;
  let deployer: LocalDeployer | undefined;
  let deployments = 0;

  const deploy = async (v: Variants) => {
    const outdir = join(dir, `cdk.out-${deployments++}`);
    const app = new App({ outdir });
    const streaming = new StreamingStack(app, 'WildRydesStreaming', { shards: opts.shards });
    const aggregation = new AggregationStack(app, 'WildRydesAggregation', {
      variant: v.aggregation,
      source: streaming.stream,
      windowSeconds: WINDOW_SECONDS,
      shards: opts.shards,
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
    await deployer?.deployAssembly(outdir, stacks);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-streaming-e2e-'));
    process.env.WILDRYDES_STATE_DIR = dir;
    ({ lambda, deployer } = installServices(cloud(), { stateDir: dir }));
    await deploy(variants);
    if (opts.produceOnStart !== false) await produce(cloud().endpoint);
  }, 240_000);

  afterAll(async () => {
    await deployer?.close();
    await lambda?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  return {
    cloud: (): LocalCloud => cloud(),
    /** Whether every mapping has caught up (see `LambdaService.caughtUp`): nothing more will be written. */
    caughtUp: (sinceMs?: number): boolean => lambda?.caughtUp(sinceMs) ?? false,
    /** A function's last log lines. */
    logs: (name: string): string[] => lambda?.logs(name) ?? [],
    check: (key: string, o: { name?: string; waitSeconds?: number } = {}) =>
      runModuleCheck(key, checks[key] as ModuleCheck<unknown>, cloud().endpoint, {
        name: o.name ?? 'Rocinante',
        waitSeconds: o.waitSeconds ?? 60,
      }),
    /** Deploys other handlers, then sends telemetry again: a mapping goes on from where it was. */
    redeployAndProduce: async (v: Variants) => {
      await deploy(v);
      await produce(cloud().endpoint);
    },
  };
}
