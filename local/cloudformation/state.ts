/** What the deployer remembers between deploys, optionally persisted as JSON. */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';
import type { ResourceChangeSummary } from './changes.ts';
import { DeployError } from './errors.ts';
import type { StackEvent } from './events.ts';
import type { ResourceRecord } from './providers/types.ts';
import type { StackStatus } from './status.ts';
import type { CfnTemplate } from './template.ts';

/** A stack tag, as the API spells it. */
export interface StackTag {
  Key: string;
  Value: string;
}

/** Stack settings that are not in the template. */
export interface StackSettings {
  /** Acknowledged capabilities (`CAPABILITY_IAM`…). */
  capabilities: string[];
  tags: StackTag[];
  notificationArns: string[];
  /** Recorded, not assumed. */
  roleArn?: string;
  /** A failed operation stops in `CREATE_FAILED`/`UPDATE_FAILED` instead of rolling back. */
  disableRollback: boolean;
  terminationProtection: boolean;
  timeoutInMinutes?: number;
}

/** What a deploy applies: the template, its parameter values and the stack's settings. */
export interface StackTarget {
  template: CfnTemplate;
  /** The template text as submitted (`GetTemplate` returns it as is); empty when unknown. */
  templateBody: string;
  /** Parameter values as given or defaulted (lists comma-joined). */
  parameters: Record<string, string>;
  /** Values read for `AWS::SSM::Parameter::Value<…>` parameters, by parameter name. */
  resolvedParameters: Record<string, string>;
  settings: StackSettings;
  /** The cloud assembly directory the template came from (asset paths are relative to it). */
  assemblyDir: string;
  /** Asset object key → absolute path. */
  assets: Record<string, string>;
}

/** One output as `DescribeStacks` shows it. */
export interface StackOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

/** A change set's own status. */
export type ChangeSetStatus = 'CREATE_PENDING' | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'FAILED';

/** Whether a change set can be executed, is running, or ran. */
export type ChangeSetExecutionStatus =
  | 'UNAVAILABLE'
  | 'AVAILABLE'
  | 'EXECUTE_IN_PROGRESS'
  | 'EXECUTE_COMPLETE'
  | 'EXECUTE_FAILED'
  | 'OBSOLETE';

/** A change set of a stack. */
export interface ChangeSetRecord {
  changeSetId: string;
  changeSetName: string;
  type: 'CREATE' | 'UPDATE';
  description?: string;
  status: ChangeSetStatus;
  executionStatus: ChangeSetExecutionStatus;
  statusReason?: string;
  createdAt: string;
  changes: ResourceChangeSummary[];
  /** What executing it deploys. */
  target: StackTarget;
}

/** One stack, live or deleted. */
export interface StackRecord {
  stackName: string;
  /** `arn:aws:cloudformation:us-east-1:000000000000:stack/NAME/UUID`. */
  stackId: string;
  status: StackStatus;
  statusReason?: string;
  /** The last template, parameters and settings deployed successfully (rollbacks return to it). */
  target: StackTarget;
  /** Logical id → what was deployed. */
  resources: Record<string, ResourceRecord>;
  /** Output key → value. */
  outputs: Record<string, string>;
  /** The outputs with their descriptions and export names, in template order. */
  outputDetails: StackOutput[];
  /** Export name → value. */
  exports: Record<string, string>;
  /** Export names this stack imports (other stacks cannot be destroyed while it does). */
  imports: string[];
  assemblyDir: string;
  /** Asset object key → absolute path, kept so removed functions and deployments can be deleted. */
  assets: Record<string, string>;
  createdAt: string;
  /** When the last update started (absent until the first update). */
  updatedAt?: string;
  deletedAt?: string;
  /** Oldest first. */
  events: StackEvent[];
  changeSets: ChangeSetRecord[];
  /** The change set last executed. */
  lastChangeSetId?: string;
}

/** Every stack: the live ones in the order they were first deployed (dependencies first), and the deleted. */
export interface DeployerState {
  version: 2;
  stacks: StackRecord[];
  deleted: StackRecord[];
}

export const emptyState = (): DeployerState => ({ version: 2, stacks: [], deleted: [] });

/** A new stack id: CloudFormation's ARN with a fresh UUID. */
export const newStackId = (stackName: string): string =>
  `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/${stackName}/${randomUUID()}`;

/** Settings of a stack nobody configured (the workshop's own deploys). */
export const defaultSettings = (): StackSettings => ({
  capabilities: [],
  tags: [],
  notificationArns: [],
  disableRollback: false,
  terminationProtection: false,
});

/** A target with nothing in it: a stack under review, or one read from an older state file. */
export const emptyTarget = (assemblyDir = process.cwd()): StackTarget => ({
  template: { Resources: {} },
  templateBody: '{"Resources":{}}',
  parameters: {},
  resolvedParameters: {},
  settings: defaultSettings(),
  assemblyDir,
  assets: {},
});

/** A stack record that has nothing deployed yet. */
export function newStackRecord(stackName: string, status: StackStatus, target: StackTarget): StackRecord {
  return {
    stackName,
    stackId: newStackId(stackName),
    status,
    target,
    resources: {},
    outputs: {},
    outputDetails: [],
    exports: {},
    imports: [],
    assemblyDir: target.assemblyDir,
    assets: target.assets,
    createdAt: new Date().toISOString(),
    events: [],
    changeSets: [],
  };
}

/** A version 1 stack (resources, outputs, exports only): deployed, with an unknown template. */
type V1Stack = Pick<
  StackRecord,
  'stackName' | 'resources' | 'outputs' | 'exports' | 'imports' | 'assemblyDir' | 'assets'
> & {
  updatedAt?: string;
};

function migrateV1(stack: V1Stack): StackRecord {
  // No template was kept: an empty body marks it unknown (a failed update cannot return to it).
  const target = { ...emptyTarget(stack.assemblyDir), templateBody: '' };
  const record = newStackRecord(stack.stackName, 'CREATE_COMPLETE', target);
  return {
    ...record,
    resources: stack.resources,
    outputs: stack.outputs,
    outputDetails: Object.entries(stack.outputs).map(([key, value]) => ({ key, value })),
    exports: stack.exports,
    imports: stack.imports,
    assets: stack.assets,
    createdAt: stack.updatedAt || record.createdAt,
  };
}

/** Reads a state file; a missing file is an empty state, a version 1 file is migrated. */
export async function loadState(file: string): Promise<DeployerState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw err;
  }
  try {
    const state = JSON.parse(text) as { version?: number; stacks?: unknown; deleted?: unknown };
    if (!Array.isArray(state.stacks)) throw new Error('unknown format');
    if (state.version === 1)
      return { version: 2, stacks: (state.stacks as V1Stack[]).map(migrateV1), deleted: [] };
    if (state.version !== 2 || !Array.isArray(state.deleted)) throw new Error('unknown format');
    return state as DeployerState;
  } catch (err) {
    throw new DeployError(
      `the deployer state file ${file} is unreadable (${(err as Error).message}): delete it and deploy again`,
    );
  }
}

/** Writes the state atomically (a crash mid-write leaves the previous file). */
export async function saveState(file: string, state: DeployerState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, file);
}
