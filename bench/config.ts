/** How big each benchmark is: the full run (`npm run bench`, a few minutes) or `--quick`. */
export interface BenchConfig {
  kinesis: { total: number; concurrency: number; rounds: number };
  dynamodb: { total: number; concurrency: number; rounds: number };
  handlerLatency: { samples: number; intervalMs: number };
  module4Latency: { samples: number; intervalMs: number };
  /** The tumbling window of module 3 in the pipeline figures (the workshop's default is 60 s). */
  windowSeconds: number;
  /** End-to-end runs at 1 record per unicorn per second, on streams of `shards` shards (1 by default). */
  endToEnd: { unicorns: number; seconds: number; shards?: number }[];
  /** How long a run may take to drain after its last window ended before it counts as behind. */
  drainSeconds: number;
  startupTimeoutSeconds: number;
  /** Saves of a handler timed from the file write to the first invocation of the new code. */
  swapSaves: number;
}

export const FULL: BenchConfig = {
  // More, shorter rounds: the median of six shrugs off a slow spell better than that of three.
  kinesis: { total: 10_000, concurrency: 4, rounds: 6 },
  dynamodb: { total: 2_500, concurrency: 4, rounds: 6 },
  handlerLatency: { samples: 200, intervalMs: 50 },
  module4Latency: { samples: 200, intervalMs: 50 },
  windowSeconds: 5,
  endToEnd: [
    { unicorns: 1_000, seconds: 30 },
    // Over one shard's write limit: the producer meets the wall AWS puts there (issue 13).
    { unicorns: 10_000, seconds: 10 },
    { unicorns: 10_000, seconds: 20, shards: 10 },
  ],
  drainSeconds: 30,
  startupTimeoutSeconds: 180,
  swapSaves: 20,
};

export const QUICK: BenchConfig = {
  kinesis: { total: 10_000, concurrency: 4, rounds: 2 },
  dynamodb: { total: 2_500, concurrency: 4, rounds: 2 },
  handlerLatency: { samples: 60, intervalMs: 50 },
  module4Latency: { samples: 60, intervalMs: 50 },
  windowSeconds: 5,
  endToEnd: [
    { unicorns: 1_000, seconds: 10 },
    { unicorns: 10_000, seconds: 10, shards: 10 },
  ],
  drainSeconds: 15,
  startupTimeoutSeconds: 180,
  swapSaves: 10,
};
