import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** `npm start` of the project at `root` in a child process, and what it printed. */
export class WorkshopProcess {
  output = '';
  readonly exited: Promise<number | null>;
  readonly endpoint: string;
  private readonly child: ChildProcess;

  constructor(opts: { root: string; port: number; stateDir: string; args?: string[] }) {
    this.endpoint = `http://127.0.0.1:${opts.port}`;
    this.child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(opts.root, 'cli', 'wildrydes.ts'),
        'start',
        '--port',
        String(opts.port),
      ].concat(opts.args ?? []),
      {
        cwd: opts.root,
        env: { ...process.env, WILDRYDES_STATE_DIR: opts.stateDir, WILDRYDES_FAULTS: '' },
      },
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
