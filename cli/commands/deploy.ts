import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { namesFor } from '../../contracts/attendee.ts';
import { currentAttendee } from '../../core/attendee.ts';
import { curriculum, findModule, repoRoot, type WorkshopModule } from '../../core/curriculum.ts';
import { UsageError, WorkshopError } from '../../core/errors.ts';
import { controlHeaders } from '../../core/local-cloud.ts';
import { createProgress } from '../../core/progress-line.ts';
import { readDeployment, stateDir, writeDeployment } from '../../core/state.ts';
import { localEndpoint, NOT_RUNNING_FIX, type Target, targetConfig } from '../../core/target.ts';
import { awsShards } from '../lib/aws-shards.ts';
import { assertAwsReady, assertLocalCloudRunning, honestTarget } from '../lib/preflight.ts';

/** Resolves module arguments (`3`, `module3`, `extra`) to modules; none means all of them. */
export function modulesOf(args: (string | number)[]): WorkshopModule[] {
  if (args.length === 0) return curriculum;
  return args.map((arg) => {
    const module = findModule(String(arg).replace(/^module/, '')) ?? findModule(String(arg));
    if (!module) {
      throw new UsageError(
        `there is no module '${arg}': choose from ${curriculum.map((m) => m.id).join(', ')}`,
      );
    }
    return module;
  });
}

/** Modules 1..N, for catch-up. */
export function modulesUpTo(n: number): WorkshopModule[] {
  if (!Number.isInteger(n) || n < 1 || n > curriculum.length) {
    throw new UsageError(
      `catch up to a module from 1 to ${curriculum.length}, e.g. \`npm run catchup -- 3\``,
    );
  }
  return curriculum.filter((m) => m.id <= n);
}

/** The stack names of modules, for this command's attendee (`ada-WildRydesStreaming`). */
const stackNames = (modules: WorkshopModule[]) =>
  modules.map((m) => namesFor(currentAttendee()).stack(m.stack));

/** The `cdk` command line for the AWS target: the same app and context as the local cloud. */
export function cdkArgs(
  verb: 'deploy' | 'destroy',
  stacks: string[],
  context: { solutions: number[]; region?: string; attendee?: string; shards?: number },
): string[] {
  const args = [verb, ...(stacks.length ? stacks : ['--all']), '--app', 'npx tsx infra/app.ts'];
  args.push('-c', `solutions=${context.solutions.join(',')}`);
  if (context.shards !== undefined) args.push('-c', `shards=${context.shards}`);
  // `--all` then means this attendee's stacks: the app names them all `<attendee>-…`.
  if (context.attendee) args.push('-c', `attendee=${context.attendee}`);
  if (verb === 'deploy') args.push('--require-approval', 'never');
  if (verb === 'destroy') args.push('--force');
  return args;
}

async function runCdk(args: string[], region?: string): Promise<void> {
  await assertAwsReady(region);
  // The CDK CLI follows AWS_ENDPOINT_URL too: say where it will deploy.
  await honestTarget(targetConfig('aws', { region }));
  const env = { ...process.env, ...(region ? { AWS_REGION: region, CDK_DEFAULT_REGION: region } : {}) };
  const child = spawn(join(repoRoot, 'node_modules', '.bin', 'cdk'), args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env,
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new WorkshopError(`cdk ${args[0]} failed (exit ${code}): see its output above`);
}

/**
 * An attendee's deploy on a shared local cloud names them and their choices (the cloud reads
 * its own attendee's from its state folder otherwise); no attendee: the request is as before.
 */
async function forWhom(): Promise<{ attendee?: string; solutions?: number[] }> {
  const attendee = currentAttendee();
  return attendee ? { attendee, solutions: (await readDeployment(stateDir())).solutions } : {};
}

/** Asks the running `npm start` to deploy or destroy stacks. */
async function askLocalCloud(action: 'deploy' | 'destroy', stacks?: string[]): Promise<{ stacks: string[] }> {
  const endpoint = localEndpoint();
  const progress = createProgress();
  const started = Date.now();
  const tick = setInterval(
    () => progress.update(`${action}ing… ${Math.round((Date.now() - started) / 1000)} s`),
    500,
  );
  try {
    const res = await fetch(`${endpoint}/_wildrydes/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...controlHeaders() },
      body: JSON.stringify({ ...(stacks ? { stacks } : {}), ...(await forWhom()) }),
    }).catch(() => {
      throw new UsageError(`the local cloud is not running at ${endpoint}: ${NOT_RUNNING_FIX}`);
    });
    const body = (await res.json()) as { stacks?: string[]; error?: string };
    if (!res.ok) throw new WorkshopError(`${action} failed: ${body.error ?? res.statusText}`);
    return { stacks: body.stacks ?? [] };
  } finally {
    clearInterval(tick);
    progress.done();
  }
}

export interface DeployOptions {
  modules: (string | number)[];
  target: Target;
  region?: string;
  /** Shards of each stream (`--target aws` only; see `awsShards`). */
  shards?: number;
}

/** `npm run deploy -- [N…]`: deploys modules (all by default), keeping each one's starter/solution choice. */
export async function deploy(opts: DeployOptions): Promise<number> {
  const stacks = stackNames(modulesOf(opts.modules));
  const deployment = await readDeployment(stateDir());
  const { solutions } = deployment;
  const shards = awsShards(opts, deployment.shards);
  if (opts.target === 'aws') {
    await runCdk(cdkArgs('deploy', stacks, { solutions, attendee: currentAttendee(), shards }), opts.region);
    // Deployed with them: later deploys keep them.
    if (opts.shards !== undefined) await writeDeployment(stateDir(), { ...deployment, shards });
  } else {
    const result = await askLocalCloud('deploy', stacks);
    console.log(`✔ deployed ${result.stacks.join(', ')}`);
  }
  return 0;
}

/** `npm run catchup -- N`: modules 1..N switch to the solution handlers and are deployed. */
export async function catchup(opts: {
  module: number | string;
  target: Target;
  region?: string;
  shards?: number;
}): Promise<number> {
  const raw = String(opts.module).trim();
  // Digits only: `0x1`, `1e0` or ` 1.0` are not module numbers, whatever Number() makes of them.
  const modules = modulesUpTo(/^\d+$/.test(raw) ? Number(raw) : Number.NaN);
  // Before the choice is saved: a catch-up that cannot deploy changes nothing.
  const deployment = await readDeployment(stateDir());
  const shards = awsShards(opts, deployment.shards);
  if (opts.target === 'aws') await assertAwsReady(opts.region);
  else await assertLocalCloudRunning();
  const solutions = [...new Set([...deployment.solutions, ...modules.map((m) => m.id)])].sort(
    (a, b) => a - b,
  );
  await writeDeployment(stateDir(), {
    ...deployment,
    solutions,
    ...(shards === undefined ? {} : { shards }),
  });
  if (opts.target === 'aws') {
    await runCdk(
      cdkArgs('deploy', stackNames(modules), { solutions, attendee: currentAttendee(), shards }),
      opts.region,
    );
  } else {
    await askLocalCloud('deploy');
  }
  console.log(
    `✔ modules ${modules.map((m) => m.id).join(', ')} now run the solutions. Check one: \`npm run ${modules.at(-1)?.check}\``,
  );
  return 0;
}

/** `npm run destroy -- [N…]` and `npm run cleanup`: removes stacks (all by default). */
export async function destroy(opts: DeployOptions): Promise<number> {
  const attendee = currentAttendee();
  const stacks = opts.modules.length ? stackNames(modulesOf(opts.modules)) : [];
  if (opts.target === 'aws') {
    const { solutions } = await readDeployment(stateDir());
    await runCdk(cdkArgs('destroy', stacks, { solutions, attendee }), opts.region);
  } else {
    // An attendee's cleanup on a shared local cloud removes their stacks only, not everyone's.
    const mine = stacks.length || !attendee ? stacks : stackNames(curriculum);
    const result = await askLocalCloud('destroy', mine.length ? mine : undefined);
    console.log(result.stacks.length ? `✔ removed ${result.stacks.join(', ')}` : 'nothing was deployed');
  }
  return 0;
}
