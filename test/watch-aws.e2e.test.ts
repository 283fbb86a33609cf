import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findModule } from '../core/curriculum.ts';
import { type AwsTarget, startAwsTarget } from '../testing/aws-target.ts';
import { copyProject, type ProjectCopy } from '../testing/project-copy.ts';
import { asStarter } from '../testing/starter-from-solution.ts';
import { WatchTerminal } from '../testing/watch-terminal.ts';

// `npm run watch -- --target aws` in a pseudo-terminal, against the local cloud's AWS control plane
// after a real `cdk bootstrap`, in a copy of the project with module 1's starter deployed by
// `npm run deploy -- 1 --target aws`: a save goes live through `cdk deploy --hotswap`, with no
// `npm start` watching the files, and the check turns green.

const MODULE = findModule('module1');

describe('npm run watch on the AWS target', () => {
  let target: AwsTarget | undefined;
  let copy: ProjectCopy | undefined;
  let watch: WatchTerminal | undefined;

  beforeAll(async () => {
    copy = await copyProject();
    target = await startAwsTarget('watch-aws', copy.root);
    await target.npmOk('deploy', '--', '1', '--target', 'aws');
    watch = new WatchTerminal(copy.root, target.env, ['--target', 'aws']);
  }, 600_000);

  afterAll(async () => {
    watch?.kill();
    await copy?.remove();
    await target?.stop();
  });

  it('checks module 1 at once: the starter is red, with what to edit', async () => {
    // Act
    const screen = await watch?.waitFor(`Edit ${MODULE?.folder}/starter/`);

    // Assess
    expect(screen).toContain('Module 1');
    expect(screen).toContain('✖');
  }, 300_000);

  it('deploys a save with cdk deploy --hotswap and turns green', async () => {
    // Arrange
    if (!copy || !MODULE) throw new Error('no project copy');
    const root = copy.root;
    const solutions = await Promise.all(
      MODULE.handlers.map(async (h) =>
        asStarter(await readFile(join(root, MODULE.solutions, h), 'utf8'), MODULE.folder),
      ),
    );
    const from = watch?.output.length ?? 0;

    // Act
    await Promise.all(
      MODULE.handlers.map((h, i) => writeFile(join(root, MODULE.folder, 'starter', h), solutions[i] ?? '')),
    );
    const screen = await watch?.waitFor('✔ Green. Press n for module 2', from, 300_000);

    // Assess
    expect(screen).toMatch(/New code live in \d+\.\d s\./);
    expect(screen).toContain('1/5 modules');
  }, 400_000);

  it('quits on q', async () => {
    // Act
    watch?.press('q');
    const code = await watch?.exited;

    // Assess
    expect(code).toBe(0);
  }, 60_000);
});
