// Type declarations for the in-process emulators, which ship none.
declare module 'kinesalite' {
  import type { Server } from 'node:http';
  export default function kinesalite(options?: {
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
    path?: string;
  }): Server;
}

declare module 'dynalite' {
  import type { Server } from 'node:http';
  export default function dynalite(options?: {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    path?: string;
  }): Server;
}

// kinesalite reads its streams through lazy (the lean storage's tests do the same).
declare module 'lazy' {
  import type { EventEmitter } from 'node:events';

  interface Lazy extends EventEmitter {
    take(n: number): Lazy;
    join(f: (items: unknown[]) => void): Lazy;
  }
  export default function lazy(stream: EventEmitter): Lazy;
}
