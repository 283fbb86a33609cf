import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDeployment } from '../core/state.ts';
import { NpmStart } from '../testing/npm-start.ts';
import { copyProject, type ProjectCopy } from '../testing/project-copy.ts';
import { asStarter } from '../testing/starter-from-solution.ts';
import { WatchTerminal } from '../testing/watch-terminal.ts';

// `npm run watch` in a pseudo-terminal (script(1) from util-linux), next to `npm start` with the
// module 4 starter deployed, in a copy of the project: saving the solution over the starter turns
// the check green with no other command; a broken save shows the failing step and its hint; `q`
// quits with the terminal restored.

const STARTER = 'modules/04-stream-processing/starter/persist.ts';
const SOLUTION = 'solutions/04-stream-processing/persist.ts';

describe('npm run watch in a terminal', () => {
  let copy: ProjectCopy | undefined;
  let root = '';
  let stateDir = '';
  let workshop: NpmStart | undefined;
  let watch: WatchTerminal | undefined;
  /** The solution, with its imports as seen from the starter folder (one level deeper). */
  let solution = '';

  beforeAll(async () => {
    copy = await copyProject();
    root = copy.root;
    stateDir = await mkdtemp(join(tmpdir(), 'wildrydes-watch-'));
    // Modules 1 to 3 caught up and passed: module 4 is the current one, its starter deployed.
    await writeDeployment(stateDir, { solutions: [1, 2, 3] });
    const passed = { passed: true, at: new Date().toISOString() };
    await writeFile(
      join(stateDir, 'progress.json'),
      JSON.stringify({ module1: passed, module2: passed, module3: passed }),
    );
    solution = asStarter(await readFile(join(root, SOLUTION), 'utf8'), 'modules/04-stream-processing');
    workshop = await NpmStart.launch(root, stateDir, ['--window-seconds', '3']);
    await workshop.waitFor(/is running at/);
    watch = new WatchTerminal(root, {
      WILDRYDES_ENDPOINT: workshop.endpoint,
      WILDRYDES_STATE_DIR: stateDir,
    });
  }, 300_000);

  afterAll(async () => {
    watch?.kill();
    workshop?.kill();
    await rm(stateDir, { recursive: true, force: true });
    await copy?.remove();
  });

  it('checks the current module at once: the starter is red, with what to edit', async () => {
    // Act
    const screen = await watch?.waitFor(`Edit ${STARTER} and save`);

    // Assess
    expect(screen).toContain('Module 4 — Stream processing');
    expect(screen).toContain('Progress: [');
    expect(screen).toContain('3/5 modules');
    expect(screen).toContain('✖');
  }, 300_000);

  it('turns green when the solution is saved over the starter, with no other command', async () => {
    // Act
    const from = watch?.output.length ?? 0;
    await writeFile(join(root, STARTER), solution);
    const screen = await watch?.waitFor('✔ Green. Press n for module 5', from);

    // Assess
    expect(screen).toMatch(/New code live in \d+\.\d s\./);
    expect(screen).toMatch(/--drive: sent \d+ aggregated records of Tester-/);
    expect(screen).toContain('✔ every aggregated record is in the table once, with the same values');
    expect(screen).toContain('4/5 modules');
  }, 300_000);

  it('shows the failing step and its hint after a broken save', async () => {
    // Arrange: batches that are never written.
    const broken = solution.replace(
      'for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));',
      'void items;\n  void size;',
    );
    expect(broken).not.toBe(solution);

    // Act
    const from = watch?.output.length ?? 0;
    await writeFile(join(root, STARTER), broken);
    const screen = await watch?.waitFor(`Edit ${STARTER} and save`, from);

    // Assess
    expect(screen).toMatch(
      /✖ the table holds items of your unicorn|✖ every aggregated record is in the table/,
    );
    expect(screen).toContain('hint:');
    expect(screen).toMatch(/next: fix it, then run `npm run check:module4 -- --drive` again/);
  }, 300_000);

  it('quits on q, leaving the terminal in cooked mode', async () => {
    // Act
    const from = watch?.output.length ?? 0;
    watch?.press('q');
    const code = await watch?.exited;
    const after = watch?.output.slice(from) ?? '';
    const modes = after.slice(after.indexOf('Bye'));

    // Assess
    expect(code).toBe(0);
    expect(after).toContain('Bye: your progress is kept');
    expect(modes).toMatch(/(^|\s)icanon(\s|$)/);
    expect(modes).toMatch(/(^|\s)echo(\s|$)/);
  }, 60_000);
});
