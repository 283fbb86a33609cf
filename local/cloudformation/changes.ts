/**
 * What a change set shows: which resources a template would add, modify (and whether that
 * replaces them) or remove, worked out before anything is applied. Pure: values only known after
 * a resource is created or replaced count as unknown, and a property holding one changes
 * "dynamically" (CloudFormation's `Evaluation: Dynamic`).
 */
import { changedProperties } from './diff.ts';
import { type IntrinsicContext, resolve } from './intrinsics.ts';
import { type StackPlan, withoutNoValue } from './plan.ts';
import { type ProviderLookup, providerFor } from './providers/index.ts';
import type { ResourceProvider, ResourceRecord, ValidateContext } from './providers/types.ts';
import type { CfnTemplate } from './template.ts';

/** One property change of a modified resource. */
export interface ResourceChangeDetail {
  /** The property name. */
  name: string;
  requiresRecreation: 'Never' | 'Conditionally' | 'Always';
  evaluation: 'Static' | 'Dynamic';
  changeSource: 'DirectModification' | 'ResourceAttribute';
}

/** One resource change, as `DescribeChangeSet` lists it. */
export interface ResourceChangeSummary {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  /** The deployed resource's id (Modify and Remove). */
  physicalId?: string;
  type: string;
  /** Modify only. */
  replacement?: 'True' | 'False' | 'Conditional';
  details: ResourceChangeDetail[];
}

/** What the change computation reads. */
export interface ChangeInput {
  stackName: string;
  plan: StackPlan;
  template: CfnTemplate;
  deployed: Readonly<Record<string, ResourceRecord>>;
  /** Pseudo parameter values of the stack. */
  pseudo: Record<string, unknown>;
  /** The value of another stack's export, if it exists. */
  exportValue: (name: string) => string | undefined;
  assemblyDir: string;
  assets: Record<string, string>;
  /** The resource providers (the built-in ones by default). */
  providerOf?: ProviderLookup;
}

/** Stands for a value that is only known once a resource is created or replaced. */
const UNKNOWN = '\u0000unknown\u0000';

const containsUnknown = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes(UNKNOWN)
    : Array.isArray(value)
      ? value.some(containsUnknown)
      : typeof value === 'object' && value !== null && Object.values(value).some(containsUnknown);

/** The resource changes `input.plan` makes to the deployed resources: adds and modifies in deploy order, then removals. */
export function computeChanges(input: ChangeInput): ResourceChangeSummary[] {
  const providerOf = input.providerOf ?? providerFor;
  const resources = input.template.Resources ?? {};
  /** Logical ids whose `Ref` and attributes are not known yet (added or replaced). */
  const fresh = new Set<string>();
  const known = (id: string): ResourceRecord | undefined => (fresh.has(id) ? undefined : input.deployed[id]);
  const ctx: IntrinsicContext = {
    ref: (name) => {
      if (name in input.pseudo) return input.pseudo[name];
      if (name in input.plan.parameters) return input.plan.parameters[name];
      return known(name)?.ref ?? UNKNOWN;
    },
    getAtt: (id, attribute) => known(id)?.attributes[attribute] ?? UNKNOWN,
    importValue: (name) => input.exportValue(name) ?? UNKNOWN,
    condition: (name) => input.plan.conditions[name] === true,
    mappings: input.template.Mappings,
  };

  const changes: ResourceChangeSummary[] = [];
  for (const id of input.plan.order) {
    const resource = resources[id];
    const provider = resource && providerOf(resource.Type);
    if (!resource || !provider) continue;
    const previous = input.deployed[id];
    if (!previous) {
      fresh.add(id);
      changes.push({ action: 'Add', logicalId: id, type: resource.Type, details: [] });
      continue;
    }
    const modify = {
      action: 'Modify' as const,
      logicalId: id,
      physicalId: previous.physicalId,
      type: resource.Type,
    };
    if (previous.type !== resource.Type) {
      fresh.add(id);
      changes.push({ ...modify, replacement: 'True', details: [] });
      continue;
    }
    const properties = propertiesOf(input, id, provider, ctx);
    if (!properties) {
      fresh.add(id);
      changes.push({ ...modify, replacement: 'Conditional', details: [] });
      continue;
    }
    const details = changedProperties(previous.properties, properties).map((name) =>
      detailOf(name, containsUnknown(properties[name]), provider),
    );
    if (details.length === 0) continue;
    const replacement = details.some((d) => d.requiresRecreation === 'Always')
      ? 'True'
      : details.some((d) => d.requiresRecreation === 'Conditionally')
        ? 'Conditional'
        : 'False';
    if (replacement !== 'False') fresh.add(id);
    changes.push({ ...modify, replacement, details });
  }
  const wanted = new Set(input.plan.order);
  for (const [id, previous] of Object.entries(input.deployed).reverse()) {
    if (wanted.has(id)) continue;
    changes.push({
      action: 'Remove',
      logicalId: id,
      physicalId: previous.physicalId,
      type: previous.type,
      details: [],
    });
  }
  return changes;
}

/** The resolved properties the engine would compare, or undefined when they cannot be worked out yet. */
function propertiesOf(
  input: ChangeInput,
  id: string,
  provider: ResourceProvider,
  ctx: IntrinsicContext,
): Record<string, unknown> | undefined {
  const resource = input.template.Resources[id];
  if (!resource) return undefined;
  const at = { stack: input.stackName, logicalId: id };
  try {
    const resolved = withoutNoValue(resolve(resource.Properties ?? {}, ctx, { ...at, path: 'Properties' }));
    const validateCtx: ValidateContext = {
      stackName: input.stackName,
      logicalId: id,
      resource,
      assemblyDir: input.assemblyDir,
      assets: input.assets,
      customResourceProvider: input.plan.customResourceProviders.has(id),
      at,
    };
    return { ...resolved, ...provider.localProperties?.(resolved, validateCtx) };
  } catch {
    // A value built from an unknown one (e.g. `Fn::Select` over it) cannot be resolved before the deploy.
    return undefined;
  }
}

function detailOf(name: string, dynamic: boolean, provider: ResourceProvider): ResourceChangeDetail {
  const replaces = provider.replaceOn === '*' || !provider.update || provider.replaceOn.includes(name);
  const requiresRecreation = replaces
    ? dynamic
      ? 'Conditionally'
      : 'Always'
    : dynamic && provider.replaceWithDependencies
      ? 'Conditionally'
      : 'Never';
  return {
    name,
    requiresRecreation,
    evaluation: dynamic ? 'Dynamic' : 'Static',
    changeSource: dynamic ? 'ResourceAttribute' : 'DirectModification',
  };
}
