import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { curriculum, findModule, repoRoot, type WorkshopModule } from '../../core/curriculum.ts';
import { UsageError, WorkshopError } from '../../core/errors.ts';
import { controlHeaders } from '../../core/local-cloud.ts';
import { createProgress } from '../../core/progress-line.ts';
import { readDeployment, stateDir, writeDeployment } from '../../core/state.ts';
import { localEndpoint, type Target, targetConfig } from '../../core/target.ts';
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

/** The `cdk` command line for the AWS target: the same app and context as the local cloud. */
export function cdkArgs(
  verb: 'deploy' | 'destroy',
  stacks: string[],
  context: { solutions: number[]; region?: string },
): string[] {
  const args = [verb, ...(stacks.length ? stacks : ['--all']), '--app', 'npx tsx infra/app.ts'];
  args.push('-c', `solutions=${context.solutions.join(',')}`);
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
      body: JSON.stringify(stacks ? { stacks } : {}),
    }).catch(() => {
      throw new UsageError(
        `the local cloud is not running at ${endpoint}: start it with \`npm start\` in another terminal`,
      );
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
}

/** `npm run deploy -- [N…]`: deploys modules (all by default), keeping each one's starter/solution choice. */
export async function deploy(opts: DeployOptions): Promise<number> {
  const stacks = modulesOf(opts.modules).map((m) => m.stack);
  const { solutions } = await readDeployment(stateDir());
  if (opts.target === 'aws') {
    await runCdk(cdkArgs('deploy', stacks, { solutions }), opts.region);
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
}): Promise<number> {
  const raw = String(opts.module).trim();
  // Digits only: `0x1`, `1e0` or ` 1.0` are not module numbers, whatever Number() makes of them.
  const modules = modulesUpTo(/^\d+$/.test(raw) ? Number(raw) : Number.NaN);
  // Before the choice is saved: a catch-up that cannot deploy changes nothing.
  if (opts.target === 'aws') await assertAwsReady(opts.region);
  else await assertLocalCloudRunning();
  const deployment = await readDeployment(stateDir());
  const solutions = [...new Set([...deployment.solutions, ...modules.map((m) => m.id)])].sort(
    (a, b) => a - b,
  );
  await writeDeployment(stateDir(), { solutions });
  if (opts.target === 'aws') {
    await runCdk(
      cdkArgs(
        'deploy',
        modules.map((m) => m.stack),
        { solutions },
      ),
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
  const stacks = opts.modules.length ? modulesOf(opts.modules).map((m) => m.stack) : [];
  if (opts.target === 'aws') {
    const { solutions } = await readDeployment(stateDir());
    await runCdk(cdkArgs('destroy', stacks, { solutions }), opts.region);
  } else {
    const result = await askLocalCloud('destroy', stacks.length ? stacks : undefined);
    console.log(result.stacks.length ? `✔ removed ${result.stacks.join(', ')}` : 'nothing was deployed');
  }
  return 0;
}
