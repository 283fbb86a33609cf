import { curriculum, type WorkshopModule } from '../core/curriculum.ts';
import { describeAwsError } from '../core/errors.ts';
import { readProgress, recordProgress } from '../core/state.ts';
import type { TargetConfig } from '../core/target.ts';
import { localCloudStartedAt, restartNote } from './restart.ts';

/** A step passed (with an optional detail) or failed with what is wrong and what to look at. */
export type StepOutcome = { ok: true; detail?: string } | { ok: false; problem: string; hint?: string };

/** One line of a check: a title and a probe of the deployed system. */
export interface CheckStep<C> {
  title: string;
  run(ctx: C): Promise<StepOutcome>;
}

export const pass = (detail?: string): StepOutcome => ({ ok: true, detail });
export const fail = (problem: string, hint?: string): StepOutcome => ({ ok: false, problem, hint });

/** A failure a step can throw from deep inside its probe. */
export class CheckFailedError extends Error {
  constructor(
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(problem);
    this.name = 'CheckFailedError';
  }
}

export interface CheckRun<C> {
  module: WorkshopModule;
  target: TargetConfig;
  steps: CheckStep<C>[];
  ctx: C;
  out?: (line: string) => void;
  /** The check as the learner ran it, options included (`npm run check:module4 -- --name Bucephalus`). */
  rerun?: string;
}

/**
 * Runs a module's steps in order, rustlings-style: ✔ for each step that passes; at the first
 * failure ✖ with the problem, one hint, and the command to run next. Returns the exit code.
 */
export async function runCheck<C>({
  module,
  target,
  steps,
  ctx,
  out = console.log,
  rerun = `npm run ${module.check}`,
}: CheckRun<C>): Promise<number> {
  out(`Checking module ${module.id} — ${module.title} (on ${target.describe})`);
  for (const step of steps) {
    let outcome: StepOutcome;
    try {
      outcome = await step.run(ctx);
    } catch (err) {
      outcome = outcomeOfError(err, target);
    }
    if (outcome.ok) {
      out(`  ✔ ${step.title}${outcome.detail ? ` — ${outcome.detail}` : ''}`);
      continue;
    }
    out(`  ✖ ${step.title}`);
    out(`    ${outcome.problem}`);
    // Data sent before a restart of the local cloud is gone: say so before anything else.
    const endpoint = target.target === 'local' ? target.clientConfig.endpoint : undefined;
    const note =
      endpoint && restartNote(await localCloudStartedAt(endpoint), (await readProgress())[module.key]);
    if (note) out(`    note: ${note}`);
    out(`    hint: ${outcome.hint ?? module.hints[0] ?? 'read the module instructions again'}`);
    out(
      `    next: fix it, then run \`${rerun}\` again — or catch up with \`npm run catchup -- ${module.id}\``,
    );
    await recordProgress(module.key, false, step.title);
    return 1;
  }
  await recordProgress(module.key, true);
  const next = curriculum.find((m) => m.id === module.id + 1);
  out(
    `✔ Module ${module.id} is done.${next ? ` Next: module ${next.id} — ${next.title} (${next.folder}/README.md).` : ' That was the last module: well done!'}`,
  );
  return 0;
}

/** Errors thrown inside a step become a failed step with a one-line explanation, never a stack. */
function outcomeOfError(err: unknown, target: TargetConfig): StepOutcome {
  if (err instanceof CheckFailedError) return fail(err.problem, err.hint);
  const aws = describeAwsError(err, {
    endpoint: target.clientConfig.endpoint,
    region: target.clientConfig.region,
  });
  if (aws) return fail(aws.message);
  return fail(`unexpected error: ${(err as Error)?.message ?? String(err)}`);
}

/** Options a check accepts on the command line, beyond `--target` and `--region`. */
export interface CheckArgs {
  /** The attendee's unicorn, for checks that look for its records (`--name`, default Shadowfax). */
  name: string;
  /** How long a step may wait for data still on its way (a window still open), in seconds. */
  waitSeconds: number;
  /** Set by `--drive`: the check sent its own data and judges only that. */
  drive?: Drive;
}

/** What a check sent itself (`--drive`), so its steps look at exactly that data. */
export interface Drive {
  /** When the data was sent: alerts and items from before are not looked at. */
  since: Date;
  /** Module 1: the key prefix ("folder") of the notes it uploaded, e.g. `drive-k3x9a/`. */
  prefix?: string;
  /** Modules 2 to 5: the unicorns it sent a ride of (`name` is the first). */
  unicorns?: string[];
  /** The extra credit: the one of them that tires. */
  tired?: string;
  /** Module 4: aggregated records were sent straight to its input stream (no window to wait for). */
  aggregated?: boolean;
}

/**
 * What `checks/<module key>.ts` exports as `check`: how to build the step context for a target,
 * and the steps. `wildrydes check <module>` loads it by the module's key.
 */
export interface ModuleCheck<C> {
  context(target: TargetConfig, args: CheckArgs): C;
  steps: CheckStep<C>[];
}
