import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, PurgeQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, type Module1Context } from '../checks/module1.ts';
import type { StepOutcome } from '../checks/report.ts';
import { upload } from '../cli/commands/upload.ts';
import { fileProcessingNames } from '../contracts/file-processing.ts';
import { findModule, repoRoot } from '../core/curriculum.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/local-cloud.ts';
import { createProgress } from '../core/progress-line.ts';
import { targetConfig } from '../core/target.ts';
import { FUNCTION_TIMEOUT, MAX_RECEIVES, useDeployedFileProcessing } from '../testing/file-pipeline.ts';
import { clientConfig, eventually } from '../testing/local-cloud.ts';

const names = fileProcessingNames(LOCAL_ACCOUNT, LOCAL_REGION);
const samples = join(repoRoot, 'modules/01-file-processing/samples');

/** Module 1 deployed on a local cloud with the Lambda runtime and the deployer, as `npm start` does. */
describe('module 1 end to end on the local cloud', () => {
  const pipeline = useDeployedFileProcessing();
  const cloud = pipeline.cloud;
  let s3: S3Client;
  let sqs: SQSClient;
  let ctx: Module1Context;

  const runSteps = async (): Promise<StepOutcome> => {
    for (const step of check.steps) {
      let outcome: StepOutcome;
      try {
        outcome = await step.run(ctx);
      } catch (err) {
        const e = err as { problem?: string; hint?: string };
        outcome = { ok: false, problem: e.problem ?? String(err), hint: e.hint };
      }
      if (!outcome.ok) return outcome;
    }
    return { ok: true };
  };

  beforeAll(() => {
    s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
    sqs = new SQSClient(clientConfig(cloud()));
    ctx = check.context(targetConfig('local'), { name: 'Shadowfax', waitSeconds: 60 });
    ctx.pollMs = 250;
    ctx.progress = createProgress({ quiet: true });
  });

  it('converts and scores every sample: the check passes', async () => {
    // Act
    await upload({ files: [samples], target: 'local' }, () => undefined);
    const outcome = await runSteps();

    // Assess
    expect(outcome).toEqual({ ok: true });
  }, 120_000);

  it('sends a poison file to both DLQs after the configured receives, while a good file next to it converts', async () => {
    // Prepare
    const poison = new Uint8Array([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]); // "# café" in Latin-1
    const dlq = async (name: string) =>
      (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';

    // Act
    await s3.send(new PutObjectCommand({ Bucket: names.inputBucket, Key: 'poison.md', Body: poison }));
    await s3.send(
      new PutObjectCommand({ Bucket: names.inputBucket, Key: 'neighbour.md', Body: '# A lovely ride' }),
    );

    // Assess
    await eventually(
      async () => {
        const page = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: await dlq(names.conversionDlq), VisibilityTimeout: 0 }),
        );
        return page.Messages?.length ? page.Messages : undefined;
      },
      (MAX_RECEIVES + 2) * 6 * FUNCTION_TIMEOUT.toSeconds() * 1000,
      'the poison file in the conversion DLQ',
    );
    await eventually(
      async () => {
        const page = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: await dlq(names.sentimentDlq), VisibilityTimeout: 0 }),
        );
        return page.Messages?.length ? page.Messages : undefined;
      },
      30_000,
      'the poison file in the sentiment DLQ',
    );
    const outcome = await runSteps();
    expect(outcome).toMatchObject({ ok: false, problem: expect.stringContaining('poison.md') });
    expect(outcome.ok || outcome.problem).toMatch(/not valid UTF-8/);
    const neighbour = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: await dlq(names.conversionDlq),
        VisibilityTimeout: 0,
        MaxNumberOfMessages: 10,
      }),
    );
    expect((neighbour.Messages ?? []).some((m) => m.Body?.includes('neighbour.md'))).toBe(false);

    // Clean up for the next test
    await s3.send(new DeleteObjectCommand({ Bucket: names.inputBucket, Key: 'poison.md' }));
    for (const name of [names.conversionDlq, names.sentimentDlq]) {
      await sqs.send(new PurgeQueueCommand({ QueueUrl: await dlq(name) }));
    }
  }, 180_000);

  it("fails with the starter's hint when the starters are deployed", async () => {
    // Prepare
    await pipeline.deploy('starter');
    ctx.waitSeconds = 30;

    // Act
    await upload({ files: [samples], target: 'local' }, () => undefined);
    const outcome = await runSteps();

    // Assess
    expect(outcome).toMatchObject({ ok: false, problem: expect.stringContaining('has no text') });
    expect(outcome.ok || outcome.hint).toBe(findModule(1)?.hints[0]);
  }, 180_000);
});
