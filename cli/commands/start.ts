import { join } from 'node:path';
import { watch } from 'chokidar';
import { repoRoot } from '../../core/curriculum.ts';
import { recordEndpoint } from '../../core/endpoint-file.ts';
import { UsageError } from '../../core/errors.ts';
import { stateDir } from '../../core/state.ts';
import {
  describeFaultPlan,
  FAULTS_ENV,
  type FaultPlan,
  FaultSpecError,
  parseFaultSpec,
} from '../../local/faults/index.ts';
import { GatewayStartError } from '../../local/gateway/server.ts';
import { serveWorkshopSite, validateSitePort } from '../../site/serve.mts';
import { bannerText } from '../lib/banner.ts';
import { validateStartOptions } from '../lib/start-options.ts';
import { type SaveResult, startWorkshopCloud, type WorkshopCloud } from '../workshop-cloud.ts';
import { registerControls } from './controls.ts';

export interface StartOptions {
  port: number;
  host: string;
  allowRemote: boolean;
  watch: boolean;
  windowSeconds: number;
  /** Shards of each stream (issue 13): CDK context `shards`. */
  shards?: number;
  /** Fault injection (`kinesis=0.1,crash=0.05,seed=7`); else WILDRYDES_FAULTS; off when neither. */
  faults?: string;
  /** Port of the workshop site (site/build), served next to the cloud. */
  sitePort: number;
}

/** `npm start`: the local cloud, the workshop deployed on it, and redeploys on every save. */
export async function start(opts: StartOptions): Promise<number> {
  validateStartOptions(opts);
  validateSitePort(opts.sitePort);
  const faults = faultPlan(opts.faults ?? process.env[FAULTS_ENV]);
  console.log('Starting the local cloud…');
  if (faults) console.log(`Fault injection is on: ${describeFaultPlan(faults)}`);
  let workshop: WorkshopCloud;
  try {
    workshop = await startWorkshopCloud({
      ...opts,
      faults,
      stateDir: stateDir(),
      log: (line) => console.log(line),
    });
  } catch (err) {
    if (err instanceof GatewayStartError) throw new UsageError(err.message);
    throw err;
  }
  registerControls(workshop);
  // Commands in another terminal find this cloud without AWS_ENDPOINT_URL, whatever its port.
  const forgetEndpoint = await recordEndpoint(workshop.cloud.endpoint);
  // Issue #16: the live dashboard is served beside the site (built or not), reading this cloud.
  const site = await serveWorkshopSite(opts.sitePort, (line) => console.log(line), {
    endpoint: workshop.cloud.endpoint,
  });
  // Watching from before the first deploy: a save meanwhile is taken after it, not lost; the
  // banner waits for the watcher's first scan, so a save right after it is seen.
  const watcher = opts.watch ? watchHandlers(workshop) : undefined;
  const watching = watcher && new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  await deployAll(workshop, 'Deploying the workshop stacks');
  await watching;
  console.log(bannerText(workshop.cloud, site?.built ? site.url : undefined));
  if (site?.dashboardUrl) console.log(`  The live dashboard: ${site.dashboardUrl}\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('\nStopping the local cloud (its data lives in memory and goes with it)…');
  await watcher?.close();
  await site?.close();
  forgetEndpoint();
  await workshop.stop();
  return 0;
}

/** The fault plan of `--faults` or WILDRYDES_FAULTS; bad input is a one-line usage error. */
function faultPlan(spec: string | undefined): FaultPlan | undefined {
  try {
    return parseFaultSpec(spec);
  } catch (err) {
    if (err instanceof FaultSpecError) throw new UsageError(`${err.message} (--faults or ${FAULTS_ENV})`);
    throw err;
  }
}

async function deployAll(workshop: WorkshopCloud, what: string): Promise<void> {
  console.log(`${what}…`);
  try {
    const { stacks, seconds, reusedSynth } = await workshop.deploy();
    const reused = reusedSynth ? ' (the last synth reused: nothing changed since)' : '';
    console.log(`✔ deployed ${stacks.length} stacks in ${seconds.toFixed(1)} s${reused}`);
  } catch (err) {
    // A starter that does not compile yet must not stop the cloud: save a fix and it redeploys.
    console.log(`✖ deploy failed: ${(err as Error).message}`);
  }
}

/**
 * Takes each save: a handler is hot-swapped into its function(s); a stack, shared code the
 * stacks read, or anything else redeploys everything. Saves close together are taken as one.
 */
function watchHandlers(workshop: WorkshopCloud) {
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  let firstSeen = 0;
  const watcher = watch(['modules', 'solutions', 'infra', 'contracts'], {
    cwd: repoRoot,
    ignoreInitial: true,
    ignored: (path, stats) => Boolean(stats?.isFile() && !path.endsWith('.ts')) || path.endsWith('.test.ts'),
  });
  watcher.on('all', (_event, path) => {
    if (pending.size === 0) firstSeen = performance.now();
    pending.add(join(repoRoot, path));
    clearTimeout(timer);
    // An editor's save can be several writes: take them once they have settled.
    timer = setTimeout(() => {
      const files = [...pending];
      pending = new Set();
      const onDeploy = (reason: string) => console.log(`${reason}: redeploying…`);
      void workshop.saved(files, { sinceMs: firstSeen, onDeploy }).then(printSave, (err: Error) => {
        console.log(`✖ ${err.message}`);
      });
    }, 50);
  });
  return watcher;
}

/** One timed line per swapped function; a deploy as at start. */
function printSave(result: SaveResult): void {
  if (result.kind === 'swap') {
    for (const s of result.swaps) {
      console.log(
        s.live
          ? `${s.functionName}: new code live in ${s.seconds.toFixed(1)} s`
          : `✖ ${s.functionName}: not swapped, it still runs its previous code: ${s.error}`,
      );
    }
    return;
  }
  if (result.error) console.log(`✖ deploy failed: ${result.error.message}`);
  else if (result.result)
    console.log(`✔ deployed ${result.result.stacks.length} stacks in ${result.result.seconds.toFixed(1)} s`);
}
