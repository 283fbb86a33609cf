import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentAttendee } from './attendee.ts';
import { repoRoot } from './curriculum.ts';

/** Module key → result of its latest check (and its first failing step); read by `npm run status`. */
export type Progress = Record<string, { passed: boolean; at: string; failedStep?: string }>;

/** Where progress is kept (git-ignored); WILDRYDES_STATE_DIR moves it (tests). */
export const stateDir = () => process.env.WILDRYDES_STATE_DIR ?? join(repoRoot, '.wildrydes');
/** `progress.json`, or `progress-ada.json` for attendee ada: attendees sharing a checkout keep their own. */
const ofAttendee = (name: string, attendee = currentAttendee()) => (attendee ? `${name}-${attendee}` : name);
const progressFile = () => join(stateDir(), `${ofAttendee('progress')}.json`);

export async function readProgress(): Promise<Progress> {
  try {
    const progress = JSON.parse(await readFile(progressFile(), 'utf8')) as unknown;
    // A file edited by hand may hold `null` or a list: start over rather than crash on it.
    return typeof progress === 'object' && progress !== null && !Array.isArray(progress)
      ? (progress as Progress)
      : {};
  } catch {
    return {};
  }
}

export async function recordProgress(moduleKey: string, passed: boolean, failedStep?: string): Promise<void> {
  const progress = await readProgress();
  progress[moduleKey] = { passed, at: new Date().toISOString(), ...(failedStep ? { failedStep } : {}) };
  await mkdir(stateDir(), { recursive: true });
  await writeFile(progressFile(), `${JSON.stringify(progress, null, 2)}\n`);
}

/** What the attendee has chosen to deploy locally; survives a restart of `npm start`. */
export interface Deployment {
  /** Module ids deployed with the solution handlers (`npm run catchup -- N`). */
  solutions: number[];
  /** Shards of each stream on AWS (`--shards` of a deploy or catch-up `--target aws`), passed again each time. */
  shards?: number;
}

const file = (stateDir: string, attendee?: string) =>
  join(stateDir, `${ofAttendee('deployment', attendee)}.json`);

/** The choices of this process's attendee (see core/attendee.ts), or of `attendee`. */
export async function readDeployment(stateDir: string, attendee?: string): Promise<Deployment> {
  try {
    const parsed = JSON.parse(await readFile(file(stateDir, attendee), 'utf8')) as Partial<Deployment>;
    const solutions = Array.isArray(parsed.solutions) ? parsed.solutions.filter(Number.isInteger) : [];
    return Number.isInteger(parsed.shards) ? { solutions, shards: parsed.shards } : { solutions };
  } catch {
    return { solutions: [] };
  }
}

export async function writeDeployment(stateDir: string, deployment: Deployment): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(file(stateDir), `${JSON.stringify(deployment, null, 2)}\n`);
}
