#!/usr/bin/env -S npx tsx
/**
 * The workshop's CDK app: one stack per module, wired together. `cdk deploy` uses it for AWS;
 * the local cloud deploys the templates it synthesises. Context: see infra/context.ts.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { namesFor } from '../contracts/attendee.ts';
import { findModule } from '../core/curriculum.ts';
import { FileProcessingStack } from '../modules/01-file-processing/stack.ts';
import { StreamingStack } from '../modules/02-streaming-data/stack.ts';
import { AggregationStack } from '../modules/03-stream-aggregation/stack.ts';
import { ProcessingStack } from '../modules/04-stream-processing/stack.ts';
import { AlertingStack } from '../modules/05-alerting/stack.ts';
import { readContext, variantOf } from './context.ts';

const app = new App();
const ctx = readContext((key) => app.node.tryGetContext(key));
// With an attendee (`-c attendee=ada`), every stack and every name in it starts with `ada-`.
const stackName = (id: number) =>
  namesFor(ctx.attendee).stack(findModule(id)?.stack ?? `WildRydesModule${id}`);
const { attendee } = ctx;

new FileProcessingStack(app, stackName(1), { variant: variantOf(ctx, 1), alarmEmail: ctx.email, attendee });
const streaming = new StreamingStack(app, stackName(2), { shards: ctx.shards, attendee });
const aggregation = new AggregationStack(app, stackName(3), {
  variant: variantOf(ctx, 3),
  source: streaming.stream,
  windowSeconds: ctx.windowSeconds,
  shards: ctx.shards,
  attendee,
});
new ProcessingStack(app, stackName(4), {
  variant: variantOf(ctx, 4),
  source: aggregation.aggregatedStream,
  attendee,
});
new AlertingStack(app, stackName(5), {
  variant: variantOf(ctx, 5),
  source: streaming.stream,
  windowSeconds: ctx.windowSeconds,
  alertEmail: ctx.email,
  attendee,
});

// Every stack follows the AWS Solutions rules; each suppression in a stack carries its reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
