import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** What a terminal would show, without the escape sequences. */
const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
export const plain = (text: string) => text.replace(ESCAPES, '').replace(/\r/g, '');

/**
 * `npm run watch` of the project at `root` in a pseudo-terminal (script(1) from util-linux), as a
 * learner's second terminal: what it shows, and keys sent to it. When the watch ends, `stty -a`
 * prints the terminal's modes after it, so a test can see they were restored.
 */
export class WatchTerminal {
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  /** @param args the watch's own options, e.g. `['--target', 'aws']` (plain words: no quoting). */
  constructor(root: string, env: NodeJS.ProcessEnv, args: string[] = []) {
    const command = `node --import tsx cli/wildrydes.ts watch ${args.join(' ')}; code=$?; stty -a; exit $code`;
    this.child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: root,
      env: { ...process.env, ...env, TERM: 'xterm' },
    });
    for (const stream of [this.child.stdout, this.child.stderr])
      stream.on('data', (c) => (this.output += plain(String(c))));
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  /** The screen output from `from` on, once `pattern` appears in it. */
  async waitFor(pattern: RegExp | string, from = 0, timeoutMs = 240_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.output.slice(from);
      if (typeof pattern === 'string' ? seen.includes(pattern) : pattern.test(seen)) return seen;
      if (Date.now() > deadline || this.child.exitCode !== null)
        throw new Error(`no ${String(pattern)} on the screen; it shows:\n${seen.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  press(key: string): void {
    this.child.stdin.write(key);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
