import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../checks/module2.ts';
import { repoRoot } from '../core/curriculum.ts';
import { readProgress } from '../core/state.ts';
import { freePort } from '../testing/ports.ts';
import { produce } from '../testing/streaming-pipeline.ts';
import { runModuleCheck } from '../testing/streams.ts';

// `npm start` stopped with Ctrl-C and started again on the same state directory, as an attendee
// does: nothing is corrupted, and a check whose data went with the restart says so.

const CLI = join(repoRoot, 'cli', 'wildrydes.ts');
const RIDE = ['--name', 'Shadowfax', '--count', '10', '--rate', '20'];

/** `npm start` in a child process, and what it printed. */
class WorkshopProcess {
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(port: number, stateDir: string) {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'start', '--port', String(port), '--no-watch', '--window-seconds', '2'],
      { cwd: repoRoot, env: { ...process.env, WILDRYDES_STATE_DIR: stateDir, WILDRYDES_FAULTS: '' } },
    );
    for (const stream of [this.child.stdout, this.child.stderr])
      stream?.on('data', (c) => (this.output += c));
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  /** Resolves once the banner says the cloud is running; rejects if the process ends first. */
  async ready(): Promise<void> {
    const running = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!this.output.includes('is running at')) return;
        clearInterval(poll);
        resolve();
      }, 100);
      void this.exited.then(() => clearInterval(poll));
    });
    const ended = this.exited.then((code) => {
      throw new Error(`npm start exited with ${code} before it was ready:\n${this.output}`);
    });
    await Promise.race([running, ended]);
  }

  /** Ctrl-C; resolves to the exit code. */
  stop(): Promise<number | null> {
    this.child.kill('SIGINT');
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

describe('stopping and restarting npm start', () => {
  let stateDir = '';
  let endpoint = '';
  let port = 0;
  let running: WorkshopProcess | undefined;
  const check2 = (waitSeconds: number) => runModuleCheck('module2', check, endpoint, { waitSeconds });

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'wildrydes-restart-'));
    process.env.WILDRYDES_STATE_DIR = stateDir;
    port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    running = new WorkshopProcess(port, stateDir);
    await running.ready();
  }, 180_000);

  afterAll(async () => {
    running?.kill();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('takes telemetry on the first run: check module2 passes', async () => {
    // Act
    await produce(endpoint, RIDE);
    const { code, output } = await check2(10);

    // Assess
    expect(output).not.toContain('✖');
    expect(code).toBe(0);
  }, 60_000);

  it('stops on Ctrl-C, saying the data goes with it', async () => {
    // Act
    const code = await running?.stop();

    // Assess
    expect(code).toBe(0);
    expect(running?.output).toContain('Stopping the local cloud (its data lives in memory and goes with it)');
  }, 30_000);

  it('starts again on the same state directory and deploys every stack again', async () => {
    // Act
    running = new WorkshopProcess(port, stateDir);
    await running.ready();

    // Assess
    expect(running.output).toContain('✔ deployed 5 stacks');
    expect(running.output).not.toContain('✖');
    expect(await readdir(stateDir)).toEqual(expect.arrayContaining(['progress.json', 'logs', 'cdk.out']));
    expect((await readProgress()).module2?.passed).toBe(true);
  }, 180_000);

  it('says plainly that the telemetry went with the restart', async () => {
    // Act
    const { code, output } = await check2(2);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain(`✔ the stream 'wildrydes' exists and is active`);
    expect(output).toContain('note: the local cloud restarted at');
    expect(output).toContain('everything sent before the restart is gone');
  }, 60_000);

  it('passes again once the telemetry is sent again', async () => {
    // Act
    await produce(endpoint, RIDE);
    const { code } = await check2(10);
    const stopped = await running?.stop();

    // Assess
    expect(code).toBe(0);
    expect((await readProgress()).module2?.passed).toBe(true);
    expect(stopped).toBe(0);
  }, 60_000);
});
