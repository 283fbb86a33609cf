/**
 * The local CloudFormation deployer: synthesise a CDK app without the CDK CLI, then deploy its
 * templates to the local cloud. See deployer.ts for the API.
 */
export { type AssemblyStack, type CloudAssembly, readAssembly, selectStacks } from './assembly.ts';
export {
  type BucketNotification,
  type DeployedResource,
  type EmailSubscription,
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
export { type SynthOptions, synthesize } from './synth.ts';
