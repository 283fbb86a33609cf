/**
 * Errors of the local deployer. Each message is one line that names what failed (the stack, the
 * logical id, the resource type or intrinsic) so the CLI can print it as it is.
 */

/** Base class: any expected failure of a synth, deploy or destroy. */
export class DeployError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
  }
}

/** Where in a template something was found: the stack and the logical id (or section). */
export interface TemplateLocation {
  stack?: string;
  logicalId?: string;
  /** Property path inside the resource or output, e.g. `Properties.Environment.Variables.TABLE`. */
  path?: string;
}

export const describeLocation = (at: TemplateLocation): string => {
  const parts: string[] = [];
  if (at.logicalId) parts.push(`resource ${at.logicalId}`);
  if (at.stack) parts.push(`stack ${at.stack}`);
  const where = parts.join(' of ');
  return at.path ? `${where} (at ${at.path})` : where;
};

/** A resource type the local cloud cannot create. Raised before anything is created. */
export class UnsupportedResourceError extends DeployError {
  constructor(
    readonly resourceType: string,
    readonly at: TemplateLocation,
  ) {
    super(
      `the local cloud does not support resource type ${resourceType} (${describeLocation(at)}); ` +
        'deploy this stack to AWS, or use the resource types the workshop stacks use',
    );
    this.name = 'UnsupportedResourceError';
  }
}

/** An intrinsic function (`Fn::…`) the local deployer cannot resolve. Raised before anything is created. */
export class UnsupportedIntrinsicError extends DeployError {
  constructor(
    readonly intrinsic: string,
    readonly at: TemplateLocation,
  ) {
    super(`the local cloud does not support the intrinsic function ${intrinsic} (${describeLocation(at)})`);
    this.name = 'UnsupportedIntrinsicError';
  }
}

/** A property value the local cloud cannot honour (e.g. a scheduled rule, inline Lambda code). */
export class UnsupportedPropertyError extends DeployError {
  constructor(what: string, at: TemplateLocation) {
    super(`the local cloud does not support ${what} (${describeLocation(at)})`);
    this.name = 'UnsupportedPropertyError';
  }
}

/** A template that is wrong in itself: a dangling `Ref`, a malformed intrinsic, a missing parameter. */
export class TemplateError extends DeployError {
  constructor(message: string, at: TemplateLocation = {}) {
    const where = describeLocation(at);
    super(where ? `${message} (${where})` : message);
    this.name = 'TemplateError';
  }
}

/** Resources or stacks that depend on each other in a circle. */
export class DependencyCycleError extends DeployError {
  constructor(
    readonly cycle: string[],
    what = 'resources',
  ) {
    super(`these ${what} depend on each other in a cycle: ${cycle.join(' → ')}`);
    this.name = 'DependencyCycleError';
  }
}

/** `Fn::ImportValue` of an export that no deployed stack provides. */
export class MissingExportError extends DeployError {
  constructor(exportName: string, at: TemplateLocation) {
    super(
      `no deployed stack exports '${exportName}' (imported by ${describeLocation(at)}): deploy the stack that exports it first`,
    );
    this.name = 'MissingExportError';
  }
}

/** `destroy` of a stack whose exports another deployed stack still imports. */
export class StackInUseError extends DeployError {
  constructor(
    readonly stackName: string,
    readonly importers: string[],
  ) {
    super(
      `cannot destroy stack ${stackName}: ${importers.join(', ')} still import${importers.length === 1 ? 's' : ''} its exports; destroy ${importers.length === 1 ? 'that stack' : 'those stacks'} first`,
    );
    this.name = 'StackInUseError';
  }
}

/** Synthesis of the CDK app failed: a compile error in a stack, a handler esbuild cannot bundle… */
export class SynthError extends DeployError {
  constructor(
    message: string,
    readonly details = '',
  ) {
    super(message);
    this.name = 'SynthError';
  }
}

/** A service call failed while creating, updating or deleting one resource. */
export class ResourceOperationError extends DeployError {
  constructor(
    readonly action: string,
    readonly resourceType: string,
    readonly at: TemplateLocation,
    cause: unknown,
  ) {
    const reason = (cause as { message?: string })?.message ?? String(cause);
    super(`${action} ${resourceType} failed for ${describeLocation(at)}: ${reason.split('\n')[0]}`, {
      cause,
    });
    this.name = 'ResourceOperationError';
  }
}
