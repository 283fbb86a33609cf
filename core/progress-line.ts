/** A live status line on a TTY; plain lines at most every `intervalMs` otherwise. */
export interface Progress {
  update(text: string): void;
  /** Ends the live line and prints a final one. */
  done(text?: string): void;
}

export function createProgress(
  opts: { quiet?: boolean; out?: NodeJS.WriteStream; intervalMs?: number } = {},
): Progress {
  const out = opts.out ?? process.stderr;
  const interval = opts.intervalMs ?? 5_000;
  let last = 0;
  let live = false;
  return {
    update(text) {
      if (opts.quiet) return;
      if (out.isTTY) {
        out.write(`\r\x1b[K${text}`);
        live = true;
      } else if (Date.now() - last >= interval) {
        last = Date.now();
        out.write(`${text}\n`);
      }
    },
    done(text) {
      if (live) out.write('\r\x1b[K');
      live = false;
      if (text && !opts.quiet) out.write(`${text}\n`);
    },
  };
}
