import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../contracts/names.ts';
import { repoRoot } from '../core/curriculum.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import { writeDeployment } from '../core/state.ts';
import { NpmStart } from '../testing/npm-start.ts';

// `npm run check:<module> -- --drive` against `npm start` with the solutions deployed: each check
// sends its own fresh data and passes on that alone, with no producer or upload run by hand.

const CLI = join(repoRoot, 'cli', 'wildrydes.ts');

/** `wildrydes check <args>` as the learner runs it; its exit code and output. */
async function runCheck(
  args: string[],
  endpoint: string,
  stateDir: string,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'check', ...args], {
    cwd: repoRoot,
    env: { ...process.env, WILDRYDES_ENDPOINT: endpoint, WILDRYDES_STATE_DIR: stateDir },
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (c) => (output += c));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

const checkDriven = (moduleKey: string, endpoint: string, stateDir: string) =>
  runCheck([moduleKey, '--drive', '--wait', '60'], endpoint, stateDir);
const checkPlain = (moduleKey: string, endpoint: string, stateDir: string) =>
  runCheck([moduleKey, '--wait', '2'], endpoint, stateDir);

describe('checks that drive themselves (--drive)', () => {
  let stateDir = '';
  let workshop: NpmStart | undefined;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'wildrydes-drive-'));
    // The solutions of every module, as after `npm run catchup -- 5`.
    await writeDeployment(stateDir, { solutions: [1, 2, 3, 4, 5] });
    workshop = await NpmStart.launch(repoRoot, stateDir, ['--no-watch', '--window-seconds', '3']);
    await workshop.waitFor(/is running at/);
  }, 240_000);

  afterAll(async () => {
    workshop?.kill();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('module 1 uploads the samples under a fresh prefix and judges those notes', async () => {
    // Act
    const { code, output } = await checkDriven('module1', workshop?.endpoint ?? '', stateDir);

    // Assess
    expect(output).toMatch(/--drive: uploaded the sample notes to drive-[a-z0-9]{8}\//);
    expect(output).toContain('✔ Interview notes are uploaded to the input bucket — 6 notes');
    expect(output).not.toContain('✖');
    expect(code).toBe(0);
  }, 180_000);

  it('module 4 sends aggregated records of a fresh unicorn to its input stream and finds each in the table', async () => {
    // Act
    const { code, output } = await checkDriven('module4', workshop?.endpoint ?? '', stateDir);

    // Assess
    expect(output).toMatch(
      /--drive: sent \d+ aggregated records of Tester-[a-z0-9]{8} \(a 180-s ride in 10-s windows\) to 'wildrydes-aggregated'/,
    );
    expect(output).toContain('✔ every aggregated record is in the table once, with the same values');
    expect(output).not.toContain('✖');
    expect(code).toBe(0);
  }, 180_000);

  it('the extra credit sends a tiring and a healthy unicorn: one is alerted, the other not', async () => {
    // Act
    const { code, output } = await checkDriven('extra', workshop?.endpoint ?? '', stateDir);

    // Assess
    const tired = /ride of (Tiring-[a-z0-9]{8}) \(tires\) and (Healthy-[a-z0-9]{8})/.exec(output);
    expect(tired).not.toBeNull();
    expect(output).toContain(`✔ each tiring unicorn was alerted — ${tired?.[1]}`);
    expect(output).toContain(`✔ no healthy unicorn was alerted — ${tired?.[2]}`);
    expect(code).toBe(0);
  }, 180_000);

  it('module 4 judges only its own ride, whatever an earlier broken attempt left in the table', async () => {
    // Arrange: a malformed item of the learner's own unicorn, as a buggy handler would write.
    const endpoint = workshop?.endpoint ?? '';
    const table = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    );
    await table.send(
      new PutCommand({
        TableName: names.table,
        Item: { Name: 'Shadowfax', StatusTime: '2026-12-02 10:00:00.000', Distance: 'far' },
      }),
    );

    // Act
    const plain = await checkPlain('module4', endpoint, stateDir);
    const first = await checkDriven('module4', endpoint, stateDir);
    const second = await checkDriven('module4', endpoint, stateDir);
    const unicorn = (output: string) => /aggregated records of (Tester-[a-z0-9]{8})/.exec(output)?.[1];

    // Assess
    expect(plain.code).toBe(1);
    expect(unicorn(first.output)).toBeDefined();
    expect(unicorn(second.output)).not.toBe(unicorn(first.output));
    expect(second.output).not.toContain('✖');
    expect(second.code).toBe(0);
  }, 240_000);
});
