import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../core/curriculum.ts';
import { freePort } from '../testing/ports.ts';

/** The line `npm start` prints once the cloud is up and the workshop stacks are deployed. */
const READY = 'The Wild Rydes local cloud is running';
/** Printed once the cloud listens, before the CDK app is synthesised. */
const CLOUD_UP = 'Deploying the workshop stacks';
/** Printed once the CDK app is synthesised, or its last synth reused. */
const SYNTH_DONE = 'synth: ';

/** How long `npm start` took, and where the time went. */
export interface StartupTimes {
  /** Seconds from the spawn until the ready banner. */
  readySeconds: number;
  /** Seconds until the cloud was up (tsx, the SDK and the emulators loaded). */
  cloudUpSeconds?: number;
  /** Seconds until the CDK app was synthesised (bundling and cdk-nag included). */
  synthDoneSeconds?: number;
  /** Seconds from Ctrl-C (SIGINT) until the process exited. */
  stopSeconds: number;
}

/**
 * Times `npm start` as an attendee runs it (npm included; file watching off, its state in a
 * temporary directory, a free port): until the ready banner, then Ctrl-C until it has exited.
 */
export async function benchStartup(opts: {
  timeoutSeconds: number;
  stateDir?: string;
}): Promise<StartupTimes> {
  // A given state folder is kept (a second start on it is a warm one); a fresh one is removed.
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), 'wildrydes-bench-start-')));
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent', '--', '--port', String(port), '--no-watch'], {
    cwd: repoRoot,
    env: { ...process.env, WILDRYDES_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a terminal's foreground job: npm passes Ctrl-C on to the whole group.
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals) => child.pid !== undefined && process.kill(-child.pid, signal);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let output = '';
  const seen = new Map<string, number>();
  try {
    const readySeconds = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start was not ready after ${opts.timeoutSeconds} s:\n${output}`)),
        opts.timeoutSeconds * 1000,
      );
      const onData = (chunk: string) => {
        output += chunk;
        for (const marker of [CLOUD_UP, SYNTH_DONE])
          if (!seen.has(marker) && output.includes(marker)) seen.set(marker, performance.now() - started);
        if (output.includes(READY)) {
          clearTimeout(timer);
          resolve((performance.now() - started) / 1000);
        }
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      void exited.then((code) =>
        reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)),
      );
    });
    const stopping = performance.now();
    signalGroup('SIGINT');
    await exited;
    const at = (marker: string) => {
      const ms = seen.get(marker);
      return ms === undefined ? undefined : ms / 1000;
    };
    return {
      readySeconds,
      cloudUpSeconds: at(CLOUD_UP),
      synthDoneSeconds: at(SYNTH_DONE),
      stopSeconds: (performance.now() - stopping) / 1000,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup('SIGKILL');
      await exited;
    }
    if (!opts.stateDir) await rm(stateDir, { recursive: true, force: true });
  }
}
