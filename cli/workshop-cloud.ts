import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { namesFor } from '../contracts/attendee.ts';
import { currentAttendee } from '../core/attendee.ts';
import { curriculum, repoRoot } from '../core/curriculum.ts';
import { readDeployment } from '../core/state.ts';
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '../local/cloud.ts';
import type { LocalDeployer } from '../local/cloudformation/deployer.ts';
import { synthesize } from '../local/cloudformation/synth.ts';
import type { LambdaService } from '../local/lambda/service.ts';
import { installServices } from '../local/services.ts';
import { buildErrorLine, buildSwapMap, bundleHandler } from './lib/hotswap.ts';
import { planSave, type SwapMap } from './lib/hotswap-plan.ts';
import { readSynthInputs, synthKey } from './lib/synth-key.ts';

export interface WorkshopCloudOptions extends LocalCloudOptions {
  /** Where deployment choices, logs, the outbox and synthesised templates live. */
  stateDir: string;
  /** Tumbling window of the streaming modules (CDK context `windowSeconds`). */
  windowSeconds?: number;
  /** Shards of each stream (CDK context `shards`, 1 by default). */
  shards?: number;
  /** Function logs and deploy progress. */
  log?: (line: string) => void;
  /** Every function log line to `log`, or one short line per invocation (default; the lines go to `logs/`). */
  echo?: 'lines' | 'invocations';
  /** Whose stacks `npm start` deploys (`--attendee`): this process's attendee by default. */
  attendee?: string;
}

/** Who a deploy is for, when an attendee asks (`--attendee` on a shared local cloud). */
export interface DeployFor {
  /** The attendee whose names the stacks take; none: the workshop's own names. */
  attendee?: string;
  /** Their modules on the solutions (else the state folder's choice for that attendee). */
  solutions?: number[];
}

export interface DeployResult {
  stacks: string[];
  seconds: number;
  /** The last synth was reused: its inputs had not changed. */
  reusedSynth?: boolean;
}

/** What a save led to: functions swapped (or not, with why), or a full deploy. */
export type SaveResult =
  | { kind: 'swap'; swaps: SwapOutcome[] }
  | { kind: 'deploy'; reason: string; result?: DeployResult; error?: Error };

export type SwapOutcome =
  | { functionName: string; live: true; seconds: number; codeSha256: string }
  | { functionName: string; live: false; error: string };

/** The local cloud with the workshop's own services and a deployer for the CDK app. */
export interface WorkshopCloud {
  cloud: LocalCloud;
  lambda: LambdaService;
  deployer: LocalDeployer;
  /** Synthesises the CDK app (starters, or solutions for caught-up modules) and deploys it. */
  deploy(stacks?: string[], forWhom?: DeployFor): Promise<DeployResult>;
  /**
   * Takes files saved together (absolute paths): hot-swaps the functions whose bundles read them
   * when nothing else can change, else deploys everything. `sinceMs` (performance.now()) is when
   * the save was seen: swap times count from it.
   */
  saved(
    files: string[],
    opts?: { sinceMs?: number; onDeploy?: (reason: string) => void },
  ): Promise<SaveResult>;
  destroy(stacks?: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

/** The CDK app every target deploys. */
export const WORKSHOP_APP = join(repoRoot, 'infra', 'app.ts');

export async function startWorkshopCloud(opts: WorkshopCloudOptions): Promise<WorkshopCloud> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const cloud = await startLocalCloud(opts);
  const { lambda, deployer } = installServices(cloud, {
    stateDir: opts.stateDir,
    log,
    echo: opts.echo ?? 'invocations',
    // Each stack's timed summary, and what an update changes; not every resource a start creates.
    onProgress: (e) => {
      if (e.kind === 'done' || (e.kind === 'resource' && e.resource?.action !== 'CREATE')) log(String(e));
    },
  });

  // One deploy at a time: a file saved during a deploy queues one more, not one per save.
  let running: Promise<unknown> = Promise.resolve();
  const serialize = <T>(work: () => Promise<T>): Promise<T> => {
    const next = running.then(work, work);
    running = next.catch(() => undefined);
    return next;
  };

  const ownAttendee = opts.attendee ?? currentAttendee();
  const swapDir = join(opts.stateDir, 'hotswap');
  await rm(swapDir, { recursive: true, force: true });
  let swaps = 0;
  /** Each function's swapped-in bundle: the one it replaces is removed, so saves do not pile up. */
  const liveSwaps = new Map<string, string>();
  const removeBundle = (dir: string) => rm(dir, { recursive: true, force: true }).catch(() => undefined);
  /** What the hot path may swap; undefined until a full deploy of every stack has succeeded. */
  let swapMap: Promise<SwapMap | undefined> = Promise.resolve(undefined);

  const fullDeploy = async (stacks?: string[], forWhom?: DeployFor): Promise<DeployResult> => {
    const started = performance.now();
    // Another attendee's stacks (a shared local cloud) leave this one's hot swap and synth alone.
    const attendee = forWhom ? forWhom.attendee : ownAttendee;
    const own = attendee === ownAttendee;
    // This attendee's synth in cdk.out (and its key in synth-key); another's beside it, suffixed.
    const suffix = own ? '' : `-${attendee ?? 'unprefixed'}`;
    const assemblyDir = join(opts.stateDir, `cdk.out${suffix}`);
    const keyFile = join(opts.stateDir, `synth-key${suffix}`);
    if (own) swapMap = Promise.resolve(undefined);
    const solutions = forWhom?.solutions ?? (await readDeployment(opts.stateDir, attendee ?? '')).solutions;
    const context = {
      solutions: solutions.join(','),
      windowSeconds: String(opts.windowSeconds ?? 60),
      shards: String(opts.shards ?? 1),
      ...(attendee ? { attendee } : {}),
    };
    // Read before the synth: a file saved meanwhile makes the next start synthesise again.
    const key = synthKey(await readSynthInputs(repoRoot, context));
    const reusedSynth =
      existsSync(join(assemblyDir, 'manifest.json')) &&
      (await readFile(keyFile, 'utf8').catch(() => '')) === key;
    if (reusedSynth) log('synth: reused, nothing it reads has changed since the last one');
    else {
      const synthStarted = performance.now();
      await rm(keyFile, { force: true });
      await synthesize({
        app: WORKSHOP_APP,
        outdir: assemblyDir,
        context,
        // CDK's built-in CloudFormation validation takes half of a synth (a WASM engine) and the
        // stack tests run it already; a saved handler should redeploy in seconds, not twenty.
        env: { CDK_VALIDATION: 'false' },
      });
      await writeFile(keyFile, key);
      log(`synth: ${((performance.now() - synthStarted) / 1000).toFixed(1)} s`);
    }
    const names = stacks ?? curriculum.map((m) => namesFor(attendee).stack(m.stack));
    await lambda.holdingWarmUps(() => deployer.deployAssembly(assemblyDir, names));
    // Only a deploy of every stack says what each function runs; the map is built in the background.
    if (!stacks && own) {
      swapMap = buildSwapMap({ assemblyDir, deployer, app: WORKSHOP_APP, root: repoRoot }).catch((err) => {
        log(`hot swap off until the next deploy: ${(err as Error).message}`);
        return undefined;
      });
    }
    return { stacks: names, seconds: (performance.now() - started) / 1000, reusedSynth };
  };

  const swap = async (target: SwapMap['targets'][number], sinceMs: number): Promise<SwapOutcome> => {
    const { functionName } = target;
    const dir = join(swapDir, `${functionName}-${++swaps}`);
    let inputs: Set<string>;
    try {
      inputs = await bundleHandler(target.entry, repoRoot, dir);
    } catch (err) {
      await removeBundle(dir);
      return { functionName, live: false, error: buildErrorLine(err, repoRoot) };
    }
    let codeSha256: string;
    try {
      ({ codeSha256 } = await lambda.updateFunctionCode(functionName, dir));
    } catch (err) {
      await removeBundle(dir);
      return { functionName, live: false, error: (err as Error).message };
    }
    deployer.noteCodeSwapped(functionName, dir);
    // The old code's processes have loaded it already (and are retiring): its files can go.
    const replaced = liveSwaps.get(functionName);
    liveSwaps.set(functionName, dir);
    if (replaced) await removeBundle(replaced);
    // The handler may import other files now: later saves of those reach it too.
    (target as { inputs: ReadonlySet<string> }).inputs = inputs;
    return { functionName, live: true, seconds: (performance.now() - sinceMs) / 1000, codeSha256 };
  };

  return {
    cloud,
    lambda,
    deployer,
    deploy: (stacks, forWhom) => serialize(() => fullDeploy(stacks, forWhom)),
    saved: (files, { sinceMs = performance.now(), onDeploy } = {}) =>
      serialize(async (): Promise<SaveResult> => {
        const plan = planSave(files, await swapMap);
        if (plan.kind === 'swap')
          return { kind: 'swap', swaps: await Promise.all(plan.targets.map((t) => swap(t, sinceMs))) };
        const reason = plan.reason.replaceAll(`${repoRoot}/`, '');
        onDeploy?.(reason);
        try {
          return { kind: 'deploy', reason, result: await fullDeploy() };
        } catch (err) {
          return { kind: 'deploy', reason, error: err as Error };
        }
      }),
    destroy: (stacks) =>
      serialize(async () => {
        swapMap = Promise.resolve(undefined);
        const names = stacks ?? deployer.deployedStacks();
        // Only those that were deployed: an attendee's cleanup names all of theirs.
        const removed: string[] = [];
        for (const name of [...names].reverse()) if (await deployer.destroy(name)) removed.unshift(name);
        return removed;
      }),
    async stop() {
      await running;
      await lambda.stop();
      await cloud.stop();
    },
  };
}
