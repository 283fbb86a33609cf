/** A unicorn whose magic points fall below this needs attention (DESIGN.md, "Data"). */
export const MAGIC_THRESHOLD = 50;
