import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findModule } from '../core/curriculum.ts';
import { NpmStart } from '../testing/npm-start.ts';
import { copyProject } from '../testing/project-copy.ts';
import { asStarter } from '../testing/starter-from-solution.ts';
import { WatchTerminal } from '../testing/watch-terminal.ts';
import { type Row, verdict } from './table.ts';

/** Issue 12's targets for save → green check through `npm run watch`, in seconds. */
export const GREEN_TARGETS: Record<string, number> = { module1: 5, module3: 20, module4: 5 };

/**
 * Seconds from saving a module's solution over its starter to `npm run watch` showing the check
 * green (new code live, then `check --drive`: fresh data sent and judged), for modules 1, 3 and 4,
 * with `npm start` (10-s windows, the default) and the watch in a pseudo-terminal on a copy of
 * the project, every module starting from its starter.
 */
export async function benchSaveToGreen(opts: { timeoutSeconds: number }): Promise<Record<string, number>> {
  const copy = await copyProject();
  const stateDir = join(copy.root, '.wildrydes');
  const running = await NpmStart.launch(copy.root, stateDir);
  let watch: WatchTerminal | undefined;
  const timeoutMs = opts.timeoutSeconds * 1000;
  try {
    await running.waitFor(/is running at/, 0, { timeoutMs });
    watch = new WatchTerminal(copy.root, {
      WILDRYDES_ENDPOINT: running.endpoint,
      WILDRYDES_STATE_DIR: stateDir,
    });
    const seconds: Record<string, number> = {};
    for (const key of ['module1', 'module2', 'module3', 'module4']) {
      const module = findModule(key);
      if (!module) throw new Error(`curriculum.json has no ${key}`);
      const next = `Press n for module ${module.id + 1}`;
      if (module.handlers.length > 0) {
        // The starter's check, red, first: the save is timed from a settled screen.
        await watch.waitFor(`Edit ${module.folder}/starter/`, watch.output.length, timeoutMs);
        const solutions = await Promise.all(
          module.handlers.map(async (h) =>
            asStarter(await readFile(join(copy.root, module.solutions, h), 'utf8'), module.folder),
          ),
        );
        const from = watch.output.length;
        const started = performance.now();
        await Promise.all(
          module.handlers.map((h, i) =>
            writeFile(join(copy.root, module.folder, 'starter', h), solutions[i] ?? ''),
          ),
        );
        await watch.waitFor(next, from, timeoutMs);
        seconds[key] = (performance.now() - started) / 1000;
      } else {
        await watch.waitFor(next, watch.output.length, timeoutMs);
      }
      watch.press('n');
    }
    return seconds;
  } finally {
    watch?.press('q');
    watch?.kill();
    running.kill();
    await running.exited;
    await copy.remove();
  }
}

/** One row per module: seconds from the save to the green check, against the target. */
export function greenRows(seconds: Record<string, number>): Row[] {
  return Object.entries(GREEN_TARGETS).map(([key, target]) => {
    const s = seconds[key];
    return {
      figure: `save → green check, ${key} (npm run watch: live, then check --drive)`,
      value: s === undefined ? 'not measured' : `${s.toFixed(1)} s`,
      target: `≤ ${target} s`,
      met: s === undefined ? '' : verdict(s <= target),
    };
  });
}
