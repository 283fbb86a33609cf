/**
 * `npm run watch`: the learner's second terminal, as rustlings' watch mode. It knows the current
 * module (the first whose check has not passed, as `npm run status` says), waits for a save of
 * one of its handlers, waits until the function runs the new code (its `CodeSha256` or
 * `LastModified` changes, as Lambda reports them), runs the module's check with `--drive`, and
 * shows the result, hints on `h`, the next module on `n`; `q` quits. The logic is in
 * cli/lib/watch-model.ts; this file does the I/O.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type FSWatcher, watch as watchFiles } from 'chokidar';
import { namesFor } from '../../contracts/attendee.ts';
import { currentAttendee } from '../../core/attendee.ts';
import { curriculum, repoRoot, type WorkshopModule } from '../../core/curriculum.ts';
import { formatError } from '../../core/errors.ts';
import { readDeployment, readProgress, stateDir } from '../../core/state.ts';
import { type Target, targetConfig } from '../../core/target.ts';
import { reportToRoom } from '../../room/report.ts';
import { assertAwsReady, assertLocalCloudRunning } from '../lib/preflight.ts';
import {
  type Effect,
  functionOf,
  initialState,
  render,
  savedHandler,
  start,
  step,
  type WatchEvent,
  type WatchState,
} from '../lib/watch-model.ts';
import { check } from './check.ts';
import { cdkArgs } from './deploy.ts';

export interface WatchOptions {
  target: Target;
  region?: string;
}

/** How long a save may take to go live: a hot swap takes a second; a CDK hotswap on AWS, a minute or more. */
const LIVE_TIMEOUT_S = { local: 120, aws: 300 } as const;
const POLL_MS = 150;
/** Saves this close together are one save (an editor's "save all", a git checkout). */
const BURST_MS = 200;

type CodeVersion = { sha?: string; modified?: string };
const sameVersion = (a: CodeVersion | undefined, b: CodeVersion | undefined) =>
  a?.sha === b?.sha && a?.modified === b?.modified;

export async function watch(opts: WatchOptions): Promise<number> {
  if (opts.target === 'aws') await assertAwsReady(opts.region);
  else await assertLocalCloudRunning();
  const target = targetConfig(opts.target, { region: opts.region });
  const lambda = new LambdaClient(target.clientConfig);
  const attendee = currentAttendee();
  const names = namesFor(attendee);
  const progress = await readProgress();
  const passed = new Set(curriculum.filter((m) => progress[m.key]?.passed).map((m) => m.key));
  let state: WatchState = { ...initialState(curriculum, passed), phase: { kind: 'checking' } };

  const tty = process.stdout.isTTY === true;
  const draw = () => {
    const screen = render(state).join('\n');
    process.stdout.write(tty ? `\x1b[2J\x1b[H${screen}\n` : `${screen}\n\n`);
  };

  /** The code each of the module's functions runs now, by function name. */
  const versions = async (module: WorkshopModule) => {
    const found = new Map<string, CodeVersion>();
    for (const handler of module.handlers) {
      const fn = functionOf(handler, names);
      try {
        const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
        found.set(fn, { sha: c.CodeSha256, modified: c.LastModified });
      } catch {
        // Not deployed (yet): a deploy that creates it counts as new code.
      }
    }
    return found;
  };
  let baseline = new Map<string, CodeVersion>();

  /** Handlers saved together (a burst of saves) are waited for together. */
  let burst = new Set<string>();
  let burstTimer: NodeJS.Timeout | undefined;
  let savedAt = 0;
  const onSave = (path: string) => {
    if (burst.size === 0) savedAt = performance.now();
    burst.add(path);
    clearTimeout(burstTimer);
    burstTimer = setTimeout(() => {
      const [first] = burst;
      if (first) dispatch({ kind: 'saved', file: first });
    }, BURST_MS);
  };

  /** Resolves once every function saved in the burst runs other code than before the save. */
  const awaitLive = async (module: WorkshopModule, file: string): Promise<WatchEvent> => {
    const started = savedAt || performance.now();
    const files = burst.size > 0 ? [...burst] : [file];
    burst = new Set();
    const waiting = new Set(files.map((f) => functionOf(savedHandler(module, f) ?? f, names)));
    if (opts.target === 'aws') {
      const deployed = await cdkHotswap(module, attendee, opts.region);
      if (deployed) return { kind: 'not-live', problem: deployed };
    }
    const deadline = Date.now() + LIVE_TIMEOUT_S[opts.target] * 1000;
    while (Date.now() < deadline) {
      const current = await versions(module);
      for (const fn of waiting) {
        const now = current.get(fn);
        if (now && !sameVersion(now, baseline.get(fn))) {
          baseline.set(fn, now);
          waiting.delete(fn);
        }
      }
      if (waiting.size === 0) return { kind: 'live', seconds: (performance.now() - started) / 1000 };
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const fn = [...waiting].join(', ');
    return {
      kind: 'not-live',
      problem:
        opts.target === 'aws'
          ? `${fn} still runs the old code ${LIVE_TIMEOUT_S.aws} s after the deploy: see ${watchLog()}`
          : `${fn} still runs the old code ${LIVE_TIMEOUT_S.local} s after the save: is \`npm start\` running, and does the handler compile? Its terminal says. Save again to retry.`,
    };
  };

  const runModuleCheck = async (module: WorkshopModule): Promise<WatchEvent> => {
    const lines: string[] = [];
    try {
      const code = await check({
        module: module.key,
        target: opts.target,
        region: opts.region,
        name: 'Shadowfax',
        wait: '90',
        drive: true,
        out: (line) => {
          lines.push(line);
          if (!state.quitting) {
            state = { ...state, result: { passed: false, lines: [...lines] } };
            draw();
          }
        },
      });
      // The board, if the learner joined a room, hears of each check as from `npm run check:*`.
      await reportToRoom({ command: 'check', module: module.key });
      return { kind: 'checked', passed: code === 0, lines };
    } catch (err) {
      return { kind: 'checked', passed: false, lines: [...lines, `✖ ${formatError(err).line}`] };
    }
  };

  let watcher: FSWatcher | undefined;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const dispatch = (event: WatchEvent) => {
    const next = step(state, event);
    state = next.state;
    if (!state.quitting) draw();
    for (const effect of next.effects) void perform(effect);
  };

  const perform = async (effect: Effect): Promise<void> => {
    switch (effect.kind) {
      case 'watch-module': {
        await watcher?.close();
        baseline = await versions(effect.module);
        const files = effect.module.handlers.map((h) => `${effect.module.folder}/starter/${h}`);
        if (files.length === 0) return;
        watcher = watchFiles(files, { cwd: repoRoot, ignoreInitial: true });
        watcher.on('all', (_event, path) => onSave(path));
        await new Promise<void>((resolve) => watcher?.once('ready', () => resolve()));
        return;
      }
      case 'await-live':
        return dispatch(await awaitLive(effect.module, effect.file));
      case 'run-check':
        return dispatch(await runModuleCheck(effect.module));
      case 'quit':
        return finish(0);
    }
  };

  const stdin = process.stdin;
  const onKey = (data: Buffer) => {
    for (const key of data.toString('utf8')) dispatch({ kind: 'key', key });
  };
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', onKey);
  stdin.resume();
  const onSignal = () => dispatch({ kind: 'key', key: 'q' });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  draw();
  const [watchEffect, ...rest] = start(state);
  if (watchEffect) await perform(watchEffect);
  for (const effect of rest) void perform(effect);

  const code = await finished;
  // Leave the terminal as we found it: cooked mode, the cursor on a fresh line.
  stdin.off('data', onKey);
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await watcher?.close();
  lambda.destroy();
  process.stdout.write('\nBye: your progress is kept (`npm run status`).\n');
  // A check still running holds sockets and timers: quitting must not wait for it.
  setImmediate(() => process.exit(code));
  return code;
}

const watchLog = () => join(stateDir(), 'logs', 'watch-cdk.log');

/**
 * On AWS nothing redeploys on save: deploy the module's stack with `cdk deploy --hotswap`, which
 * updates the function's code in place (UpdateFunctionCode) instead of a CloudFormation update,
 * still after a synth of the whole app and an asset upload. Its output goes to a log file.
 * Returns a problem, or undefined once the deploy is done.
 */
async function cdkHotswap(
  module: WorkshopModule,
  attendee: string | undefined,
  region?: string,
): Promise<string | undefined> {
  const { solutions } = await readDeployment(stateDir());
  const stack = namesFor(attendee).stack(module.stack);
  const args = [...cdkArgs('deploy', [stack], { solutions, attendee }), '--hotswap'];
  await mkdir(join(stateDir(), 'logs'), { recursive: true });
  const log = createWriteStream(watchLog(), { flags: 'a' });
  const env = { ...process.env, ...(region ? { AWS_REGION: region, CDK_DEFAULT_REGION: region } : {}) };
  const child = spawn(join(repoRoot, 'node_modules', '.bin', 'cdk'), args, { cwd: repoRoot, env });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  log.end();
  return code === 0 ? undefined : `cdk deploy --hotswap failed (exit ${code}): see ${watchLog()}`;
}
