/** A unicorn whose magic points fall below this needs attention (the "Data" section of the README). */
export const MAGIC_THRESHOLD = 50;
