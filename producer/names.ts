/** Famous horses, first in line for `--unicorns N`. */
export const UNICORN_NAMES = [
  'Shadowfax',
  'Rocinante',
  'Bucephalus',
  'Pegasus',
  'Sleipnir',
  'Epona',
  'Arion',
  'Brego',
  'Hidalgo',
  'Marengo',
  'Traveller',
  'Copenhagen',
  'Incitatus',
  'Tornado',
  'Artax',
  'Trigger',
] as const;

/**
 * `n` distinct unicorn names, always the same for the same `n`: the famous names in order, then
 * the list again with a suffix (`Shadowfax-2`, `Rocinante-2`, …, `Shadowfax-3`, …).
 */
export function unicornNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const base = UNICORN_NAMES[i % UNICORN_NAMES.length] ?? 'Unicorn';
    const round = Math.floor(i / UNICORN_NAMES.length);
    return round === 0 ? base : `${base}-${round + 1}`;
  });
}
