import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { CfnEventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { stateDir } from '../core/state.ts';
import { type LocalCloud, startLocalCloud } from '../local/cloud.ts';
import type { LambdaService } from '../local/lambda/service.ts';
import { installServices } from '../local/services.ts';
import { StreamingStack } from '../modules/02-streaming-data/stack.ts';
import { AggregationStack } from '../modules/03-stream-aggregation/stack.ts';
import { ProcessingStack } from '../modules/04-stream-processing/stack.ts';

const STACKS = ['WildRydesStreaming', 'WildRydesAggregation', 'WildRydesProcessing'];

/** A local cloud with the streaming pipeline deployed: modules 2–4, solution handlers. */
export interface Pipeline {
  cloud: LocalCloud;
  lambda: LambdaService;
  windowSeconds: number;
  /** Shards of each stream. */
  shards: number;
  /** A directory of this pipeline under the state directory (function logs, the cloud assembly); removed by `stop`. */
  dir: string;
  /** Notes of the event source mappings (a batch given up, a read that failed), in order. */
  notes: string[];
  /** Seconds the synth (bundling included) and the deploy took. */
  deploySeconds: number;
  stop(): Promise<void>;
}

/**
 * Starts a local cloud on a free port with the Lambda runtime and deploys the stacks of modules
 * 2–4 with the solution handlers and a `windowSeconds` tumbling window, as the streaming
 * end-to-end test does (the CDK app synthesised here, the templates applied by the deployer).
 */
export async function startPipeline(opts: {
  windowSeconds: number;
  /** A what-if: module 3's mapping with this `BatchSize` instead of the stack's. */
  aggregationBatchSize?: number;
  /** Shards of each stream (CDK context `shards`, 1 by default). */
  shards?: number;
}): Promise<Pipeline> {
  // Under the state directory, as `npm start` deploys: function code there finds the runtime's
  // SDK by plain resolution (code outside the project needs a resolve hook, a cost npm start does not pay).
  await mkdir(stateDir(), { recursive: true });
  const dir = await mkdtemp(join(stateDir(), 'bench-pipeline-'));
  const cloud = await startLocalCloud({ port: 0 });
  const notes: string[] = [];
  const { lambda, deployer } = installServices(cloud, {
    stateDir: dir,
    log: (line) => {
      if (line.includes('event source mapping')) notes.push(line);
    },
  });
  const stop = async () => {
    await deployer.close();
    await lambda.stop();
    await cloud.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const started = performance.now();
    const outdir = join(dir, 'cdk.out');
    const app = new App({ outdir });
    const streaming = new StreamingStack(app, 'WildRydesStreaming', { shards: opts.shards });
    const aggregation = new AggregationStack(app, 'WildRydesAggregation', {
      variant: 'solution',
      source: streaming.stream,
      windowSeconds: opts.windowSeconds,
      shards: opts.shards,
    });
    const batchSize = opts.aggregationBatchSize;
    if (batchSize !== undefined) {
      for (const child of aggregation.node.findAll()) {
        if (child instanceof CfnEventSourceMapping) child.batchSize = batchSize;
      }
    }
    new ProcessingStack(app, 'WildRydesProcessing', {
      variant: 'solution',
      source: aggregation.aggregatedStream,
    });
    app.synth();
    await deployer.deployAssembly(outdir, STACKS);
    const deploySeconds = (performance.now() - started) / 1000;
    return {
      cloud,
      lambda,
      windowSeconds: opts.windowSeconds,
      shards: opts.shards ?? 1,
      dir,
      notes,
      deploySeconds,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
