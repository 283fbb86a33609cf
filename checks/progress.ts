import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../cli/curriculum.ts';

/** Module key → result of its latest check; read by `npm run status`. */
export type Progress = Record<string, { passed: boolean; at: string }>;

/** Where progress is kept (git-ignored); WILDRYDES_STATE_DIR moves it (tests). */
export const stateDir = () => process.env.WILDRYDES_STATE_DIR ?? join(repoRoot, '.wildrydes');
const progressFile = () => join(stateDir(), 'progress.json');

export async function readProgress(): Promise<Progress> {
  try {
    return JSON.parse(await readFile(progressFile(), 'utf8')) as Progress;
  } catch {
    return {};
  }
}

export async function recordProgress(moduleKey: string, passed: boolean): Promise<void> {
  const progress = await readProgress();
  progress[moduleKey] = { passed, at: new Date().toISOString() };
  await mkdir(stateDir(), { recursive: true });
  await writeFile(progressFile(), `${JSON.stringify(progress, null, 2)}\n`);
}
