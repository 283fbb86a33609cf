import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the attendee has chosen to deploy locally; survives a restart of `npm start`. */
export interface Deployment {
  /** Module ids deployed with the solution handlers (`npm run catchup -- N`). */
  solutions: number[];
}

const file = (stateDir: string) => join(stateDir, 'deployment.json');

export async function readDeployment(stateDir: string): Promise<Deployment> {
  try {
    const parsed = JSON.parse(await readFile(file(stateDir), 'utf8')) as Partial<Deployment>;
    return { solutions: Array.isArray(parsed.solutions) ? parsed.solutions.filter(Number.isInteger) : [] };
  } catch {
    return { solutions: [] };
  }
}

export async function writeDeployment(stateDir: string, deployment: Deployment): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(file(stateDir), `${JSON.stringify(deployment, null, 2)}\n`);
}
