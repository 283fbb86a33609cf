import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { FIXTURE_APP, tempDir } from '../../testing/cloudformation.ts';
import { type CloudAssembly, selectStacks } from './assembly.ts';
import { DeployError, SynthError } from './errors.ts';
import { explainFailure, synthesize } from './synth.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('synthesize and readAssembly on the fixture app', () => {
  let dir = '';
  let cleanup = async () => {};
  let assembly: CloudAssembly;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('synth'));
    assembly = await synthesize({ app: FIXTURE_APP, outdir: join(dir, 'cdk.out') });
  }, 120_000);
  afterAll(() => cleanup());

  it('lists the stacks in dependency order with their templates', () => {
    // Act
    const stacks = assembly.stacks.map((s) => [s.stackName, s.dependencies, existsSync(s.templateFile)]);
    // Assess
    expect(stacks).toEqual([
      ['FixtureStreams', [], true],
      ['FixtureConsumers', ['FixtureStreams'], true],
    ]);
    expect(assembly.stacks[0]?.template.Resources.Telemetry1B1C5A07?.Type).toBe('AWS::Kinesis::Stream');
  });

  it('maps each asset object key to its directory in the assembly', () => {
    // Prepare
    const consumer = assembly.stacks[0]?.template.Resources.Consumer8D6BE417;
    const key = String((consumer?.Properties?.Code as { S3Key?: string } | undefined)?.S3Key);
    // Act
    const path = assembly.stacks[0]?.assets[key] ?? '';
    // Assess
    expect(path).toBe(join(assembly.dir, String(consumer?.Metadata?.['aws:asset:path'])));
    expect(existsSync(join(path, 'index.mjs'))).toBe(true);
  });

  it.each([
    [['FixtureConsumers'], ['FixtureStreams', 'FixtureConsumers']],
    [['FixtureStreams'], ['FixtureStreams']],
    [undefined, ['FixtureStreams', 'FixtureConsumers']],
  ])('selects %j with the stacks it depends on', (names, expected) => {
    // Act / Assess
    expect(selectStacks(assembly, names).map((s) => s.stackName)).toEqual(expected);
  });

  it('names the stacks there are when asked for one that is not', () => {
    // Act
    const act = () => selectStacks(assembly, ['Nope']);
    // Assess
    expect(act).toThrow(DeployError);
    expect(act).toThrow("has no stack 'Nope' (it has: FixtureStreams, FixtureConsumers)");
  });
});

describe('synthesize failures', () => {
  let dir = '';
  let cleanup = async () => {};
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('synth-fail'));
  });
  afterAll(() => cleanup());

  it('names the stack and the handler file when a handler does not compile', async () => {
    // Prepare: NodejsFunction wants entries under the project root; node_modules/.cache is ignored by git.
    const handlerDir = join(
      REPO_ROOT,
      'node_modules',
      '.cache',
      'wildrydes-deploy-tests',
      String(process.pid),
    );
    await mkdir(handlerDir, { recursive: true });
    const handler = join(handlerDir, 'broken-handler.ts');
    await writeFile(handler, 'export const handler = async ( => {\n');
    onTestFinished(() => rm(handlerDir, { recursive: true, force: true }));
    // Act
    const act = synthesize({
      app: FIXTURE_APP,
      outdir: join(dir, 'out1'),
      context: { handlerEntry: handler },
    });
    // Assess
    await expect(act).rejects.toThrow(SynthError);
    await expect(act).rejects.toThrow(
      /a Lambda handler does not compile in stack FixtureStreams: .* at .*broken-handler\.ts:1:\d+/,
    );
  }, 60_000);

  it('names the stack when CDK refuses a construct (a missing handler file)', async () => {
    // Act
    const act = synthesize({
      app: FIXTURE_APP,
      outdir: join(dir, 'out4'),
      context: { handlerEntry: join(dir, 'outside-the-project.ts') },
    });
    // Assess
    await expect(act).rejects.toThrow(
      /CannotFindEntryFile: Cannot find entry file at .*outside-the-project\.ts in stack FixtureStreams \(at .*test-app\.ts:\d+\)/,
    );
  }, 60_000);

  it('names the stack file and the error when a stack throws', async () => {
    // Act
    const act = synthesize({
      app: FIXTURE_APP,
      outdir: join(dir, 'out2'),
      context: { failIn: 'FixtureConsumers' },
    });
    // Assess
    await expect(act).rejects.toThrow(
      /Error: the fixture was asked to fail in FixtureConsumers \(at .*fixtures\/test-app\.ts:\d+ in new FixtureConsumersStack\)/,
    );
  }, 60_000);

  it('names the file and line of a syntax error in the app', async () => {
    // Prepare
    const app = join(dir, 'bad-app.ts');
    await writeFile(app, 'const x: number = 1;\nconst y = x +;\n');
    // Act
    const act = synthesize({ app, outdir: join(dir, 'out3') });
    // Assess
    await expect(act).rejects.toThrow(/bad-app\.ts:2:\d+: /);
  }, 60_000);

  it('fails clearly for an app that does not exist', async () => {
    // Act / Assess
    await expect(synthesize({ app: join(dir, 'none.ts'), outdir: dir })).rejects.toThrow(/does not exist/);
  });
});

describe('explainFailure', () => {
  it.each([
    [
      'esbuild output',
      'Bundling asset S/Fn/Code/Stage...\n✘ [ERROR] Expected ")" but found "=>"\n\n    handlers/a.ts:1:32:\n      1 │ x\nError: Failed to bundle asset S/Fn/Code/Stage, bundle output is located at /tmp/x: Error: esbuild exited with status 1',
      'a Lambda handler does not compile in stack S: Expected ")" but found "=>" at handlers/a.ts:1:32 (asset S/Fn/Code/Stage)',
    ],
    [
      'a tsx transform error',
      'Error [TransformError]: Transform failed with 1 error:\n/repo/infra/app.ts:3:9: ERROR: Unexpected "}"',
      '/repo/infra/app.ts:3:9: Unexpected "}"',
    ],
    [
      'a thrown error with frames',
      "ValidationError: context 'windowSeconds' must be a whole number\n    at readContext (/repo/node_modules/x/y.js:1:1)\n    at <anonymous> (/repo/infra/app.ts:20:13)",
      "ValidationError: context 'windowSeconds' must be a whole number (at /repo/infra/app.ts:20 in <anonymous>)",
    ],
    ['nothing useful', '\n', 'the app exited with an error and printed nothing'],
  ])('%s', (_name, output, expected) => {
    // Act / Assess
    expect(explainFailure(output, '/elsewhere')).toBe(expected);
  });
});
