import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { targetConfig } from '../core/target.ts';
import { NpmStart } from '../testing/npm-start.ts';
import { copyProject } from '../testing/project-copy.ts';

/** The handler saved: module 4's starter, its whole bundle (SDK clients, contracts) as a learner's. */
const HANDLER = 'modules/04-stream-processing/starter/persist.ts';
const FUNCTION = 'wildrydes-persist';

/**
 * The learner's handler with one change per save: an event `{"benchVersion":true}` answers the
 * save's version, any other event goes to the learner's code, so the bundle stays the real one.
 */
export function versionedHandler(original: string, version: string): string {
  const renamed = original.replace('export async function handler(', 'async function learnerHandler(');
  if (renamed === original) throw new Error(`${HANDLER} no longer exports \`async function handler(\``);
  return `${renamed}
export const handler = async (event: unknown, context: unknown) =>
  (event as { benchVersion?: boolean } | null)?.benchVersion
    ? '${version}'
    : learnerHandler(event as never, context as never);
`;
}

/**
 * Seconds from each save of a handler (the file write) to the end of the first invocation that
 * ran the new code, with `npm start` running on a copy of the project; invoked without a pause.
 */
export interface SwapTimes {
  /** From the file write to the end of the first invocation that ran the new code. */
  toNewCode: number[];
  /** What `npm start` logged: from the save seen to the code swapped (before the new process starts). */
  logged: number[];
}

export async function benchHotSwap(opts: { saves: number; timeoutSeconds: number }): Promise<SwapTimes> {
  const copy = await copyProject();
  const running = await NpmStart.launch(copy.root, join(copy.root, '.wildrydes'));
  const lambda = new LambdaClient(
    targetConfig('local', {}, { WILDRYDES_ENDPOINT: running.endpoint }).clientConfig,
  );
  const deadline = (what: string) => {
    const at = performance.now() + opts.timeoutSeconds * 1000;
    return () => {
      if (performance.now() > at)
        throw new Error(`${what} took over ${opts.timeoutSeconds} s:\n${running.output}`);
    };
  };
  try {
    let seen = 0;
    await Promise.race([
      running.waitFor(/is running at/).then((w) => {
        seen = w.end;
      }),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('npm start was not ready in time')), opts.timeoutSeconds * 1000),
      ),
    ]);
    const file = join(copy.root, HANDLER);
    const original = await readFile(file, 'utf8');
    const seconds: number[] = [];
    const logged: number[] = [];
    for (let i = 0; i < opts.saves; i++) {
      const version = `save-${i}`;
      const text = versionedHandler(original, version);
      const check = deadline(`save ${i + 1} → new code live`);
      const started = performance.now();
      await writeFile(file, text);
      for (;;) {
        const res = await lambda.send(
          new InvokeCommand({ FunctionName: FUNCTION, Payload: JSON.stringify({ benchVersion: true }) }),
        );
        if (!res.FunctionError && Buffer.from(res.Payload ?? []).toString() === JSON.stringify(version))
          break;
        check();
      }
      seconds.push((performance.now() - started) / 1000);
      const live = await running.waitFor(/(?:^|\n)[\w-]+: new code live in (\d+\.\d) s\n/, seen, {
        timeoutMs: opts.timeoutSeconds * 1000,
      });
      seen = live.end;
      logged.push(Number(live.match[1]));
      // The next save is a new one, not a second write of this one.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return { toNewCode: seconds, logged };
  } finally {
    lambda.destroy();
    running.kill();
    await running.exited;
    await copy.remove();
  }
}
