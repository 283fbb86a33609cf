/**
 * What changed between the resolved properties a resource was deployed with and the ones the
 * template now asks for. Pure: the providers decide whether a change is applied in place.
 */

/** Structural equality of JSON values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const key of keys) {
    if (!deepEqual(ao[key], bo[key])) return false;
  }
  return true;
}

/** Top-level property names whose values differ (added, removed or changed), sorted. */
export function changedProperties(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !deepEqual(before[key], after[key])).sort();
}

/** What to do with one resource on a re-deploy. */
export type ResourceChange =
  | { action: 'create' }
  | { action: 'unchanged' }
  | { action: 'update'; changed: string[] }
  | { action: 'replace'; changed: string[] };

/** The deployed state of a resource, as far as the diff needs it. */
export interface DeployedProperties {
  type: string;
  properties: Record<string, unknown>;
}

/**
 * Compares a deployed resource with its new definition. A change of any property in
 * `replaceOn` (or of the resource type) means replacement; `'*'` means every change does.
 * `force` re-applies unchanged properties (a resource this one refers to was replaced).
 */
export function diffResource(
  deployed: DeployedProperties | undefined,
  next: DeployedProperties,
  replaceOn: readonly string[] | '*',
  force = false,
): ResourceChange {
  if (!deployed) return { action: 'create' };
  if (deployed.type !== next.type) return { action: 'replace', changed: ['Type'] };
  const changed = changedProperties(deployed.properties, next.properties);
  if (changed.length === 0) return force ? { action: 'update', changed } : { action: 'unchanged' };
  const replace = replaceOn === '*' || changed.some((key) => replaceOn.includes(key));
  return replace ? { action: 'replace', changed } : { action: 'update', changed };
}

/** Logical ids deployed before but gone from the template (or whose condition is now false). */
export const removedResources = (deployed: Iterable<string>, wanted: ReadonlySet<string>): string[] =>
  [...deployed].filter((id) => !wanted.has(id));
