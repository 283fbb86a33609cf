import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleCheck } from '../../checks/report.ts';
import { runCheck } from '../../checks/report.ts';
import { curriculum, findModule, repoRoot } from '../../core/curriculum.ts';
import { UsageError, WorkshopError } from '../../core/errors.ts';
import { type Target, targetConfig } from '../../core/target.ts';
import { assertAwsReady, assertLocalCloudRunning, honestTarget } from '../lib/preflight.ts';
import { drive } from './check-drive.ts';

export interface CheckOptions {
  module: string;
  target: Target;
  region?: string;
  name: string;
  /** Seconds, as typed (`--wait 90`). */
  wait: number | string;
  /** Send fresh data first and judge only that (`--drive`). */
  drive?: boolean;
  /** Where the check's lines go (the watch collects them). */
  out?: (line: string) => void;
}

/** The defaults of `--name` and `--wait` (cli/wildrydes.ts): left out of a command shown. */
export const DEFAULT_NAME = 'Shadowfax';
export const DEFAULT_WAIT = '90';

/**
 * The check as the learner typed it, with the options that change what it looks at, for the
 * `next:` line: `npm run check:module4 -- --name Bucephalus`.
 */
export function rerunCommand(
  script: string,
  opts: { target: Target; region?: string; name: string; wait: number | string; drive?: boolean },
): string {
  const args = [
    ...(opts.drive ? ['--drive'] : opts.name !== DEFAULT_NAME ? ['--name', quoteArg(opts.name)] : []),
    ...(opts.target === 'aws' ? ['--target', 'aws'] : []),
    ...(opts.region ? ['--region', quoteArg(opts.region)] : []),
    ...(String(opts.wait).trim() !== DEFAULT_WAIT ? ['--wait', String(opts.wait).trim()] : []),
  ];
  return `npm run ${script}${args.length ? ` -- ${args.join(' ')}` : ''}`;
}

/** An argument as a shell takes it: as is if plain, else in single quotes. */
const quoteArg = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** `wildrydes check <module>`: loads `checks/<key>.ts` and runs its steps. Returns the exit code. */
export async function check(opts: CheckOptions): Promise<number> {
  const module = findModule(opts.module.replace(/^module/, '')) ?? findModule(opts.module);
  if (!module) {
    throw new UsageError(
      `there is no module '${opts.module}': choose one of ${curriculum.map((m) => m.key).join(', ')}`,
    );
  }
  const wait = String(opts.wait).trim();
  if (!/^\d+(\.\d+)?$/.test(wait)) {
    throw new UsageError(`--wait takes a number of seconds, e.g. --wait 90 (got '${wait}')`);
  }
  if (!opts.name.trim()) throw new UsageError("--name needs your unicorn's name, e.g. --name Shadowfax");
  const file = join(repoRoot, 'checks', `${module.key}.ts`);
  if (!existsSync(file)) throw new WorkshopError(`the check for module ${module.id} is not built yet`);
  const { check: moduleCheck } = (await import(pathToFileURL(file).href)) as { check: ModuleCheck<unknown> };
  // A check probes what is deployed: without a cloud to ask, every step would fail for that reason.
  if (opts.target === 'aws') await assertAwsReady(opts.region);
  else await assertLocalCloudRunning();
  const target = await honestTarget(targetConfig(opts.target, { region: opts.region }), () => undefined);
  const out = opts.out ?? console.log;
  const driven = opts.drive ? await drive(module.key, target, opts) : undefined;
  if (driven) out(`--drive: ${driven.summary}`);
  return runCheck({
    module,
    target,
    steps: moduleCheck.steps,
    ctx: moduleCheck.context(target, {
      name: driven?.name ?? opts.name,
      waitSeconds: Number(wait),
      drive: driven?.drive,
    }),
    out,
    rerun: rerunCommand(module.check, opts),
  });
}
