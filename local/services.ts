import { join } from 'node:path';
import type { LocalCloud } from './cloud.ts';
import { cloudFormationService } from './cloudformation/api/service.ts';
import { LocalDeployer, type LocalDeployerOptions } from './cloudformation/deployer.ts';
import { installComprehend } from './comprehend/index.ts';
import { installEvents } from './events/index.ts';
import { IamStore, installIam } from './iam/index.ts';
import { iamProviders } from './iam/provider.ts';
import { LambdaService } from './lambda/service.ts';
import { installOutbox } from './sns/index.ts';
import { installSsm, SsmStore } from './ssm/index.ts';
import { ssmParameterProvider } from './ssm/provider.ts';
import { installSts } from './sts/index.ts';

export interface ServicesOptions {
  /** Where the function logs (`logs/`) and the email outbox live. */
  stateDir: string;
  /** Function log lines as they come (else the Lambda service's default). */
  log?: (line: string) => void;
  /** Every function log line to `log` (default), or one short line per invocation (`npm start`). */
  echo?: 'lines' | 'invocations';
  onProgress?: LocalDeployerOptions['onProgress'];
}

/** The workshop's services on a local cloud, and the deployer that creates resources in them. */
export interface LocalServices {
  lambda: LambdaService;
  events: ReturnType<typeof installEvents>;
  deployer: LocalDeployer;
}

/**
 * Installs what no emulator package provides — the Lambda runtime and API, EventBridge,
 * Comprehend, SNS email to the outbox, IAM, STS, SSM, CloudFormation — on `cloud`, as
 * `npm start` does, and returns the deployer that uses them (the CloudFormation API serves its
 * stacks). Faults configured on the cloud apply to the functions' invocations too.
 */
export function installServices(cloud: LocalCloud, opts: ServicesOptions): LocalServices {
  const lambda = new LambdaService({
    endpoint: cloud.endpoint,
    logDir: join(opts.stateDir, 'logs'),
    log: opts.log,
    echo: opts.echo,
    faults: cloud.faults,
    // The mappings read the streams in this process: no socket, no SDK around every record.
    sendKinesis: (req) => cloud.serve(req),
  });
  cloud.register('lambda', lambda.handle);
  const events = installEvents(cloud);
  installComprehend(cloud);
  installOutbox(cloud, { stateDir: opts.stateDir });
  // IAM and SSM share their stores with the deployer, so roles and parameters a stack deploys
  // are there for the APIs (the CDK CLI reads `/cdk-bootstrap/<qualifier>/version`).
  const iam = new IamStore();
  installIam(cloud, iam);
  installSts(cloud, { iam });
  const ssm = new SsmStore();
  installSsm(cloud, ssm);
  const deployer = new LocalDeployer({
    endpoint: cloud.endpoint,
    lambda,
    events,
    onProgress: opts.onProgress,
    providers: { ...iamProviders(iam), 'AWS::SSM::Parameter': ssmParameterProvider(ssm) },
  });
  // The CloudFormation API serves the same deployer: `aws cloudformation` and `cdk deploy` see
  // (and update) the stacks `npm start` deploys, and the other way round.
  cloud.register('cloudformation', cloudFormationService(deployer, cloud.endpoint));
  return { lambda, events, deployer };
}
