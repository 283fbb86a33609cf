import { join, relative } from 'node:path';
import { Duration, RemovalPolicy, type StackProps } from 'aws-cdk-lib';
import {
  Architecture,
  type CfnFunction,
  type IFunction,
  LoggingFormat,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { findModule, repoRoot } from '../../core/curriculum.ts';
import { ENTRY_METADATA, HANDLER_BUNDLE } from './handler-bundle.ts';

/** Which handler code a module's stack deploys: the attendee's starter or the solution. */
export type HandlerVariant = 'starter' | 'solution';

/** Props every module stack takes. */
export interface WorkshopStackProps extends StackProps {
  variant: HandlerVariant;
}

/**
 * Path of a module's handler file: `modules/<folder>/starter/<file>` for the attendee,
 * `solutions/<folder>/<file>` after catch-up. Both have the same file names and exports.
 */
export function handlerEntry(moduleId: number, file: string, variant: HandlerVariant): string {
  const module = findModule(moduleId);
  if (!module) throw new Error(`curriculum.json has no module ${moduleId}`);
  return variant === 'solution'
    ? join(repoRoot, module.solutions, file)
    : join(repoRoot, module.folder, 'starter', file);
}

export interface WorkshopFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'runtime'> {
  moduleId: number;
  /** Handler file name, e.g. `aggregate.ts`. */
  file: string;
  variant: HandlerVariant;
}

/**
 * A workshop Lambda function with the house settings: Node.js bundled as ESM by esbuild, a log
 * group that is deleted with the stack (nothing left that bills), JSON logs, explicit timeout.
 */
export function workshopFunction(scope: Construct, id: string, props: WorkshopFunctionProps): IFunction {
  const { moduleId, file, variant, ...rest } = props;
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    retention: RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const entry = handlerEntry(moduleId, file, variant);
  const fn = new NodejsFunction(scope, id, {
    entry,
    handler: 'handler',
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: 256,
    timeout: Duration.seconds(30),
    loggingFormat: LoggingFormat.JSON,
    logGroup,
    ...rest,
    bundling: {
      format: OutputFormat.ESM,
      target: HANDLER_BUNDLE.target,
      sourceMap: true,
      banner: HANDLER_BUNDLE.banner,
      ...rest.bundling,
    },
  });
  (fn.node.defaultChild as CfnFunction).addMetadata(ENTRY_METADATA, relative(repoRoot, entry));
  return fn;
}
