import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ports.ts';

/**
 * `npm start` (`cli/wildrydes.ts start`) of the project at `root` in a child process, on free
 * ports, its state in `stateDir`, without AWS_ENDPOINT_URL; what it prints, and waits on lines.
 */
export class NpmStart {
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  private constructor(
    readonly endpoint: string,
    root: string,
    stateDir: string,
    args: string[],
    port: number,
  ) {
    const env: NodeJS.ProcessEnv = { ...process.env, WILDRYDES_STATE_DIR: stateDir, WILDRYDES_FAULTS: '' };
    delete env.AWS_ENDPOINT_URL;
    delete env.WILDRYDES_ENDPOINT;
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'cli', 'wildrydes.ts'), 'start', '--port', String(port), ...args],
      { cwd: root, env },
    );
    for (const stream of [this.child.stdout, this.child.stderr])
      stream?.on('data', (c) => (this.output += c));
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  /** Starts it; `args` after `start --port N` (a free site port is added). */
  static async launch(root: string, stateDir: string, args: string[] = []): Promise<NpmStart> {
    const [port, sitePort] = [await freePort(), await freePort()];
    return new NpmStart(
      `http://127.0.0.1:${port}`,
      root,
      stateDir,
      ['--site-port', String(sitePort), ...args],
      port,
    );
  }

  /**
   * Waits until the output after character `from` matches `pattern`; returns the match and
   * where the output ended when it was seen (the next wait's `from`).
   */
  async waitFor(
    pattern: RegExp,
    from = 0,
    opts: { timeoutMs?: number; pollMs?: number } = {},
  ): Promise<{ match: RegExpExecArray; end: number }> {
    const giveUp = performance.now() + (opts.timeoutMs ?? Number.POSITIVE_INFINITY);
    for (;;) {
      const match = pattern.exec(this.output.slice(from));
      if (match) return { match, end: from + match.index + match[0].length };
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`npm start exited before printing ${pattern}:\n${this.output}`);
      }
      if (performance.now() > giveUp) {
        throw new Error(
          `npm start did not print ${pattern} in ${opts.timeoutMs} ms:\n${this.output.slice(from)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 20));
    }
  }

  /** Ctrl-C; resolves to the exit code. */
  stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
