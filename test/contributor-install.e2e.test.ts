import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../core/curriculum.ts';

// A plain `npm install` is the attendee's lean install (.npmrc: omit=dev). `npm test` after it
// must say in one line what to run, not fail on "vitest: not found" — and must run the tests once
// the contributor install is there. A project of its own, with this repository's pretest.

const run = promisify(execFile);
const PACKAGE = {
  name: 'lean-install',
  private: true,
  scripts: { pretest: 'node scripts/require-dev.mjs', test: 'node -e "console.log(\'the tests ran\')"' },
  devDependencies: { '@biomejs/biome': '*', vitest: '*' },
};

async function installed(project: string, name: string): Promise<void> {
  await mkdir(join(project, 'node_modules', name), { recursive: true });
  await writeFile(join(project, 'node_modules', name, 'package.json'), JSON.stringify({ name }));
}

describe('npm test after the lean install', () => {
  let project = '';

  beforeEach(async () => {
    project = await mkdtemp(join(tmpdir(), 'wildrydes-lean-'));
    await mkdir(join(project, 'scripts'));
    await copyFile(join(repoRoot, 'scripts/require-dev.mjs'), join(project, 'scripts/require-dev.mjs'));
    await writeFile(join(project, 'package.json'), JSON.stringify(PACKAGE));
  });

  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('says in one line to run the contributor install, and fails', async () => {
    // Arrange: the linter is there, vitest is not
    await installed(project, '@biomejs/biome');

    // Act
    const failure = await run('npm', ['test'], { cwd: project }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    // Assess
    expect(failure?.code).not.toBe(0);
    expect(failure?.stdout).not.toContain('the tests ran');
    const said = failure?.stderr.split('\n').filter((line) => line.includes('contributor tools'));
    expect(said).toEqual([
      'The contributor tools are missing (vitest): run `npm install --include=dev` once, then this again.',
    ]);
    expect(failure?.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('runs the tests once every dev dependency is installed', async () => {
    // Arrange
    await installed(project, '@biomejs/biome');
    await installed(project, 'vitest');

    // Act
    const { stdout } = await run('npm', ['test'], { cwd: project });

    // Assess
    expect(stdout).toContain('the tests ran');
  });
});
