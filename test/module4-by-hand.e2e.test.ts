/**
 * Module 4's optional "by hand" section, run as written on the page: its `sh` blocks, in order,
 * with the real `aws` CLI against a local cloud where modules 2 and 3 work. The by-hand function
 * then persists the aggregates, and `check:module4` passes on what it wrote.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../core/curriculum.ts';
import { awsCliTitle, findAwsCli } from '../testing/aws-cli.ts';
import { clientConfig } from '../testing/local-cloud.ts';
import { produce, useDeployedPipeline } from '../testing/streaming-pipeline.ts';

const exec = promisify(execFile);
const PAGE = join(repoRoot, 'modules', '04-stream-processing', 'README.md');
const SECTION = '## By hand, as in the console (optional)';

/** The `sh` blocks of one section of a page, in order. */
function shellBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`no section '${heading}'`);
  const end = markdown.indexOf('\n## ', start + heading.length);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

const cli = findAwsCli();

describe('module 4 by hand, with the aws CLI', () => {
  const pipeline = useDeployedPipeline(
    { aggregation: 'solution', processing: 'starter', alerting: 'starter' },
    { stacks: ['WildRydesStreaming', 'WildRydesAggregation', 'WildRydesProcessing'], produceOnStart: false },
  );
  afterAll(() => rmSync(join(repoRoot, 'persist-by-hand.zip'), { force: true }));

  it.skipIf(!cli)(
    awsCliTitle("runs the page's commands as written, and check:module4 passes on what they built", cli),
    async () => {
      // Prepare: the page's commands, pointed at this test's cloud instead of port 4566
      const blocks = shellBlocks(readFileSync(PAGE, 'utf8'), SECTION);
      expect(blocks).toHaveLength(2);
      const endpoint = pipeline.cloud().endpoint;
      const script = blocks.join('\n').replaceAll('http://127.0.0.1:4566', endpoint);
      const { AWS_ENDPOINT_URL: _, AWS_PROFILE: __, ...env } = process.env;

      // Act
      await exec('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: repoRoot,
        env: { ...env, PATH: `${join(cli ?? '', '..')}:${env.PATH ?? ''}`, AWS_PAGER: '' },
        timeout: 120_000,
      });
      await produce(endpoint);

      // Assess
      const lambda = new LambdaClient(clientConfig(pipeline.cloud()));
      const { EventSourceMappings } = await lambda.send(
        new ListEventSourceMappingsCommand({ FunctionName: 'wildrydes-persist-by-hand' }),
      );
      expect(EventSourceMappings?.map((m) => m.State)).toEqual(['Enabled']);
      const { code, output } = await pipeline.check('module4', { name: 'Rocinante', waitSeconds: 30 });
      expect(output).toMatch(/every aggregated record is in the table once/);
      expect(code, output).toBe(0);
    },
    240_000,
  );
});
