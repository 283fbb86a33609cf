/**
 * The local CloudFormation deployer: synthesise a CDK app without the CDK CLI, then deploy its
 * templates to the local cloud (deployer.ts), or serve the CloudFormation API (api/).
 */
export {
  CLOUDFORMATION_XMLNS,
  type CloudFormationServiceOptions,
  cloudFormationService,
} from './api/service.ts';
export { type AssemblyStack, type CloudAssembly, readAssembly, selectStacks } from './assembly.ts';
export {
  LocalDeployer,
  type LocalDeployerOptions,
  type StackDeployResult,
  type StackInput,
} from './deployer.ts';
export {
  DependencyCycleError,
  DeployError,
  MissingExportError,
  ResourceOperationError,
  StackInUseError,
  SynthError,
  TemplateError,
  UnsupportedIntrinsicError,
  UnsupportedPropertyError,
  UnsupportedResourceError,
} from './errors.ts';
export { type ChangeCounts, DeployProgressEvent, type ProgressListener } from './progress.ts';
export {
  type BucketNotification,
  bucketNotifications,
  type DeployedResource,
  type EmailSubscription,
  emailSubscriptions,
  eventBridgeBuckets,
  resourcesOf,
} from './queries.ts';
export {
  AlreadyExistsError,
  ChangeSetNotFoundError,
  InsufficientCapabilitiesError,
  InvalidChangeSetStatusError,
  NoUpdatesError,
  StackNotFoundError,
  StackRequestError,
} from './request-errors.ts';
export type { StackStatus } from './status.ts';
export { type SynthOptions, synthesize } from './synth.ts';
