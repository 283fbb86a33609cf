import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** Where a function's log lines go besides its own memory. */
export interface FunctionLogOptions {
  /** Echo of each line, prefixed with `[function-name] ` (the terminal of `npm start`). */
  sink?: (line: string) => void;
  /** Lines are appended to `<logDir>/<function>.log`. */
  logDir?: string;
  /** Lines kept in memory (default 1000). */
  keep?: number;
}

/**
 * One function's log: the last lines in memory, an optional file, an optional echo. Lines are
 * numbered so an invocation can take exactly the lines written while it ran (`LogType: Tail`).
 */
export class FunctionLog {
  private readonly kept: string[] = [];
  private written = 0;
  private file?: WriteStream;

  constructor(
    readonly name: string,
    private readonly opts: FunctionLogOptions = {},
  ) {}

  /** Adds a line. `echo: false` keeps it out of the sink (Lambda's START/END/REPORT lines). */
  append(line: string, opts: { echo?: boolean } = {}): void {
    this.kept.push(line);
    if (this.kept.length > (this.opts.keep ?? 1000)) this.kept.shift();
    this.written++;
    if (opts.echo !== false) this.opts.sink?.(`[${this.name}] ${line}`);
    this.fileStream()?.write(`${line}\n`);
  }

  /** The lines kept in memory, oldest first. */
  lines(): string[] {
    return [...this.kept];
  }

  /** A position to read from later with `since`. */
  mark(): number {
    return this.written;
  }

  /** The lines appended since `mark` (as far as they are still kept). */
  since(mark: number): string[] {
    const count = Math.min(this.written - mark, this.kept.length);
    return count > 0 ? this.kept.slice(-count) : [];
  }

  /** Flushes and closes the log file. */
  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (file) await new Promise<void>((resolve) => file.end(resolve));
  }

  private fileStream(): WriteStream | undefined {
    if (!this.opts.logDir) return undefined;
    if (!this.file) {
      mkdirSync(this.opts.logDir, { recursive: true });
      this.file = createWriteStream(join(this.opts.logDir, `${this.name}.log`), { flags: 'a' });
      // A full disk must not take the local cloud down; the lines stay in memory.
      this.file.on('error', () => undefined);
    }
    return this.file;
  }
}

/** Splits a byte stream into lines; `flush` returns what is left after the last newline. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  flush(): string[] {
    const rest = this.rest;
    this.rest = '';
    return rest ? [rest] : [];
  }
}

/** The last `maxBytes` of a log as `LogType: Tail` returns it (base64 of whole UTF-8 lines' tail). */
export function logTail(lines: readonly string[], maxBytes = 4096): string {
  const text = Buffer.from(lines.map((l) => `${l}\n`).join(''));
  return text.subarray(Math.max(0, text.length - maxBytes)).toString('base64');
}
