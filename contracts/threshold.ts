/** A unicorn whose magic points fall below this needs attention (contracts/README.md). */
export const MAGIC_THRESHOLD = 50;
