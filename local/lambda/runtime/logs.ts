import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** Where a function's log lines go besides its own memory. */
export interface FunctionLogOptions {
  /** Echo of each line, prefixed with `[function-name] ` (the terminal of `npm start`). */
  sink?: (line: string) => void;
  /**
   * What reaches `sink`: every line the function writes (default), or one short line per
   * invocation (`invocations`: its time, records and outcome), the lines staying in the file.
   */
  echo?: 'lines' | 'invocations';
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
    if (opts.echo !== false && this.opts.echo !== 'invocations') this.opts.sink?.(`[${this.name}] ${line}`);
    this.fileStream()?.write(`${line}\n`);
  }

  /** One invocation's outcome: echoed as one short line when `echo` is `invocations`. */
  invoked(summary: InvocationSummary): void {
    if (this.opts.echo === 'invocations') this.opts.sink?.(`[${this.name}] ${summaryLine(summary)}`);
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

/** What one invocation did, for its short line. */
export interface InvocationSummary {
  ms: number;
  /** Records in the event (a Kinesis or SQS batch), if it has any. */
  records?: number;
  /** `errorType: errorMessage` when the invocation failed. */
  error?: string;
  /** Lines it logged at the ERROR level (JSON log format) or to stderr as an error. */
  errorLines: number;
}

/** `12 records, 35 ms`, `✖ Error: boom (35 ms)`; a hint at the log file when errors were logged. */
export function summaryLine(s: InvocationSummary): string {
  const ms = `${Math.round(s.ms)} ms`;
  const records = s.records === undefined ? '' : `${s.records} record${s.records === 1 ? '' : 's'}, `;
  const logged =
    s.errorLines > 0 ? `, ${s.errorLines} error line${s.errorLines === 1 ? '' : 's'} logged` : '';
  const error = s.error && s.error.length > 160 ? `${s.error.slice(0, 157)}…` : s.error;
  return error ? `✖ ${records}${error} (${ms}${logged})` : `${records}${ms}${logged}`;
}

/** Whether a function's log line reports an error (Lambda's JSON log format, or a plain `ERROR`). */
export const isErrorLine = (line: string) =>
  line.includes('"level":"ERROR"') || line.includes('\tERROR\t') || line.startsWith('ERROR');

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
