import { join } from 'node:path';
import type { LocalCloud } from './cloud.ts';
import { LocalDeployer, type LocalDeployerOptions } from './cloudformation/deployer.ts';
import { installComprehend } from './comprehend/index.ts';
import { installEvents } from './events/index.ts';
import { LambdaService } from './lambda/service.ts';
import { installOutbox } from './sns/index.ts';

export interface WorkshopServicesOptions {
  /** Where the function logs (`logs/`) and the email outbox live. */
  stateDir: string;
  /** Function log lines as they come (else the Lambda service's default). */
  log?: (line: string) => void;
  onProgress?: LocalDeployerOptions['onProgress'];
}

/** The workshop's services on a local cloud, and the deployer that creates resources in them. */
export interface WorkshopServices {
  lambda: LambdaService;
  events: ReturnType<typeof installEvents>;
  deployer: LocalDeployer;
}

/**
 * Installs what no emulator package provides — the Lambda runtime and API, EventBridge,
 * Comprehend, SNS email to the outbox — on `cloud`, as `npm start` does, and returns a deployer
 * that uses them. Faults configured on the cloud apply to the functions' invocations too.
 */
export function installWorkshopServices(cloud: LocalCloud, opts: WorkshopServicesOptions): WorkshopServices {
  const lambda = new LambdaService({
    endpoint: cloud.endpoint,
    logDir: join(opts.stateDir, 'logs'),
    log: opts.log,
    faults: cloud.faults,
  });
  cloud.register('lambda', lambda.handle);
  const events = installEvents(cloud);
  installComprehend(cloud);
  installOutbox(cloud, { stateDir: opts.stateDir });
  const deployer = new LocalDeployer({
    endpoint: cloud.endpoint,
    lambda,
    events,
    onProgress: opts.onProgress,
  });
  return { lambda, events, deployer };
}
