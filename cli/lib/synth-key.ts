/**
 * The key of a synth's inputs: `npm start` reuses the last cloud assembly when it is unchanged.
 * Everything the CDK app or a handler bundle can read is in it — stacks, constructs, handlers,
 * shared code, cdk.json and its context, the locked package versions, the context passed — so a
 * change to any of them synthesises again; a change elsewhere (a README, a test) does not.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders whose TypeScript and JSON the app and the handlers read. */
export const SYNTH_INPUT_DIRS = ['infra', 'modules', 'solutions', 'contracts', 'core'] as const;
/** Files at the project's root that change what a synth produces. */
export const SYNTH_INPUT_FILES = [
  'curriculum.json',
  'cdk.json',
  'cdk.context.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
] as const;

/** What a synth depends on: each input file's content hash, and the context and tools it runs with. */
export interface SynthInputs {
  /** Path relative to the project → SHA-256 of its content. */
  files: Record<string, string>;
  context: Record<string, string>;
  /** The Node.js version (bundles and the app run on it). */
  node: string;
}

/** One hex key for the inputs; the order in which files were found does not matter. */
export function synthKey(inputs: SynthInputs): string {
  const hash = createHash('sha256');
  const sorted = (record: Record<string, string>) =>
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]);
  hash.update(
    JSON.stringify({ files: sorted(inputs.files), context: sorted(inputs.context), node: inputs.node }),
  );
  return hash.digest('hex');
}

/** Whether a file in one of the input folders can change a synth: code and data, not tests or prose. */
export const isSynthInput = (name: string) =>
  (name.endsWith('.ts') || name.endsWith('.json')) && !name.endsWith('.test.ts');

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Reads the content hashes of every synth input under `root`. */
export async function readSynthInputs(root: string, context: Record<string, string>): Promise<SynthInputs> {
  const files: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
    await Promise.all(
      entries.map(async (e) => {
        const path = join(rel, e.name);
        if (e.isDirectory()) {
          if (e.name !== 'node_modules' && !e.name.startsWith('.')) await walk(path);
        } else if (isSynthInput(e.name)) {
          files[path] = sha256(await readFile(join(root, path)));
        }
      }),
    );
  };
  await Promise.all(SYNTH_INPUT_DIRS.map(walk));
  await Promise.all(
    SYNTH_INPUT_FILES.map(async (name) => {
      const data = await readFile(join(root, name)).catch(() => undefined);
      if (data) files[name] = sha256(data);
    }),
  );
  return { files, context, node: process.version };
}
