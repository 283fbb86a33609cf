/** What the deployer remembers between deploys, optionally persisted as JSON. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DeployError } from './errors.ts';
import type { ResourceRecord } from './providers/types.ts';

/** One deployed stack. */
export interface StackRecord {
  stackName: string;
  /** Logical id → what was deployed. */
  resources: Record<string, ResourceRecord>;
  /** Output key → value. */
  outputs: Record<string, string>;
  /** Export name → value. */
  exports: Record<string, string>;
  /** Export names this stack imports (other stacks cannot be destroyed while it does). */
  imports: string[];
  assemblyDir: string;
  /** Asset object key → absolute path, kept so removed functions and deployments can be deleted. */
  assets: Record<string, string>;
  updatedAt: string;
}

/** Every deployed stack, in the order they were first deployed (dependencies first). */
export interface DeployerState {
  version: 1;
  stacks: StackRecord[];
}

export const emptyState = (): DeployerState => ({ version: 1, stacks: [] });

/** Reads a state file; a missing file is an empty state. */
export async function loadState(file: string): Promise<DeployerState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw err;
  }
  try {
    const state = JSON.parse(text) as DeployerState;
    if (state.version !== 1 || !Array.isArray(state.stacks)) throw new Error('unknown format');
    return state;
  } catch (err) {
    throw new DeployError(
      `the deployer state file ${file} is unreadable (${(err as Error).message}): delete it and deploy again`,
    );
  }
}

/** Writes the state atomically (a crash mid-write leaves the previous file). */
export async function saveState(file: string, state: DeployerState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, file);
}
