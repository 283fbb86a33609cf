import { join } from 'node:path';
import { curriculum, repoRoot } from '../core/curriculum.ts';
import { readDeployment } from '../core/state.ts';
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '../local/cloud.ts';
import type { LocalDeployer } from '../local/cloudformation/deployer.ts';
import { synthesize } from '../local/cloudformation/synth.ts';
import type { LambdaService } from '../local/lambda/service.ts';
import { installServices } from '../local/services.ts';

export interface WorkshopCloudOptions extends LocalCloudOptions {
  /** Where deployment choices, logs, the outbox and synthesised templates live. */
  stateDir: string;
  /** Tumbling window of the streaming modules (CDK context `windowSeconds`). */
  windowSeconds?: number;
  /** Shards of each stream (CDK context `shards`, 1 by default). */
  shards?: number;
  /** Function logs and deploy progress. */
  log?: (line: string) => void;
}

export interface DeployResult {
  stacks: string[];
  seconds: number;
}

/** The local cloud with the workshop's own services and a deployer for the CDK app. */
export interface WorkshopCloud {
  cloud: LocalCloud;
  lambda: LambdaService;
  deployer: LocalDeployer;
  /** Synthesises the CDK app (starters, or solutions for caught-up modules) and deploys it. */
  deploy(stacks?: string[]): Promise<DeployResult>;
  destroy(stacks?: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

/** The CDK app every target deploys. */
export const WORKSHOP_APP = join(repoRoot, 'infra', 'app.ts');

export async function startWorkshopCloud(opts: WorkshopCloudOptions): Promise<WorkshopCloud> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const cloud = await startLocalCloud(opts);
  const { lambda, deployer } = installServices(cloud, {
    stateDir: opts.stateDir,
    log,
    onProgress: (e) => log(String(e)),
  });

  // One deploy at a time: a file saved during a deploy queues one more, not one per save.
  let running: Promise<unknown> = Promise.resolve();
  const serialize = <T>(work: () => Promise<T>): Promise<T> => {
    const next = running.then(work, work);
    running = next.catch(() => undefined);
    return next;
  };

  return {
    cloud,
    lambda,
    deployer,
    deploy: (stacks) =>
      serialize(async () => {
        const started = performance.now();
        const { solutions } = await readDeployment(opts.stateDir);
        const assemblyDir = join(opts.stateDir, 'cdk.out');
        await synthesize({
          app: WORKSHOP_APP,
          outdir: assemblyDir,
          context: {
            solutions: solutions.join(','),
            windowSeconds: String(opts.windowSeconds ?? 60),
            shards: String(opts.shards ?? 1),
          },
          // CDK's built-in CloudFormation validation takes half of a synth (a WASM engine) and the
          // stack tests run it already; a saved handler should redeploy in seconds, not twenty.
          env: { CDK_VALIDATION: 'false' },
        });
        const names = stacks ?? curriculum.map((m) => m.stack);
        await deployer.deployAssembly(assemblyDir, names);
        return { stacks: names, seconds: (performance.now() - started) / 1000 };
      }),
    destroy: (stacks) =>
      serialize(async () => {
        const names = stacks ?? deployer.deployedStacks();
        for (const name of [...names].reverse()) await deployer.destroy(name);
        return names;
      }),
    async stop() {
      await running;
      await lambda.stop();
      await cloud.stop();
    },
  };
}
