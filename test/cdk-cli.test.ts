import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../core/curriculum.ts';

const run = promisify(execFile);

// `npm run deploy -- N --target aws` runs the project's own `cdk` CLI on assemblies that
// aws-cdk-lib writes. A CLI older than the library's assembly schema refuses every deploy
// ("This CDK CLI is not compatible with the CDK library"), which only shows on a real account.
describe('the cdk CLI of the AWS target', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('reads the cloud assemblies that aws-cdk-lib writes', async () => {
    // Prepare: an assembly from the installed aws-cdk-lib (its schema version is the library's)
    const outdir = await mkdtemp(join(tmpdir(), 'wildrydes-cdk-'));
    dirs.push(outdir);
    const app = new App({ outdir });
    new Stack(app, 'SchemaProbe');
    process.env.CDK_VALIDATION = 'false'; // an empty stack is all this needs, warnings and all
    app.synth();
    delete process.env.CDK_VALIDATION;

    // Act
    const { stdout } = await run(
      join(repoRoot, 'node_modules', '.bin', 'cdk'),
      ['ls', '--app', outdir, '--no-notices', '--no-version-reporting'],
      { cwd: outdir, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } },
    );

    // Assess
    expect(stdout.trim()).toBe('SchemaProbe');
  });
});
