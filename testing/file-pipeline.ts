import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { afterAll, beforeAll } from 'vitest';
import type { HandlerVariant } from '../infra/constructs/workshop-function.ts';
import type { LocalCloud } from '../local/cloud.ts';
import type { LocalDeployer } from '../local/cloudformation/deployer.ts';
import type { FaultPlan } from '../local/faults/index.ts';
import type { LambdaService } from '../local/lambda/service.ts';
import { installServices } from '../local/services.ts';
import { FileProcessingStack } from '../modules/01-file-processing/stack.ts';
import { useLocalCloud } from './local-cloud.ts';

/** Short timeouts so a poison file reaches its DLQ in about a minute: visibility = 6 × 2 s. */
export const FUNCTION_TIMEOUT = Duration.seconds(2);
/** Receives of a message before it moves to its DLQ (the least the stack allows). */
export const MAX_RECEIVES = 5;

/**
 * Module 1 deployed on a local cloud with the Lambda runtime and the deployer, as `npm start`
 * does, with the solution handlers: for the end-to-end tests. `deploy` switches handlers.
 */
export function useDeployedFileProcessing(opts: { faults?: FaultPlan } = {}) {
  const cloud = useLocalCloud({ faults: opts.faults });
  let dir = '';
  let lambda: LambdaService | undefined;
  let deployer: LocalDeployer | undefined;

  const deploy = async (variant: HandlerVariant) => {
    const outdir = join(dir, `cdk.out-${variant}`);
    const app = new App({ outdir });
    new FileProcessingStack(app, 'WildRydesFileProcessing', {
      variant,
      functionTimeout: FUNCTION_TIMEOUT,
      maxReceiveCount: MAX_RECEIVES,
    });
    app.synth();
    await deployer?.deployAssembly(outdir, ['WildRydesFileProcessing']);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-module1-e2e-'));
    process.env.WILDRYDES_ENDPOINT = cloud().endpoint;
    process.env.WILDRYDES_STATE_DIR = dir;
    ({ lambda, deployer } = installServices(cloud(), { stateDir: dir }));
    await deploy('solution');
  }, 180_000);

  afterAll(async () => {
    await deployer?.close();
    await lambda?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  return { cloud: (): LocalCloud => cloud(), deploy };
}
