import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleCheck } from '../../checks/report.ts';
import { runCheck } from '../../checks/report.ts';
import { curriculum, findModule, repoRoot } from '../../core/curriculum.ts';
import { UsageError, WorkshopError } from '../../core/errors.ts';
import { type Target, targetConfig } from '../../core/target.ts';
import { assertAwsReady, assertLocalCloudRunning, honestTarget } from '../lib/preflight.ts';

export interface CheckOptions {
  module: string;
  target: Target;
  region?: string;
  name: string;
  /** Seconds, as typed (`--wait 90`). */
  wait: number | string;
}

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
  return runCheck({
    module,
    target,
    steps: moduleCheck.steps,
    ctx: moduleCheck.context(target, { name: opts.name, waitSeconds: Number(wait) }),
  });
}
