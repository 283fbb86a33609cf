/** Dependency ordering for resources within a stack and for stacks within an assembly. */
import { DependencyCycleError } from './errors.ts';

/**
 * Orders `nodes` so that each comes after everything it depends on. Ties keep the input order,
 * so the same template always deploys in the same order. Dependencies on names outside `nodes`
 * are ignored (parameters, pseudo parameters, other stacks' exports).
 * @throws DependencyCycleError naming one cycle
 */
export function dependencyOrder(
  nodes: readonly string[],
  dependenciesOf: (node: string) => Iterable<string>,
  what = 'resources',
): string[] {
  const known = new Set(nodes);
  const deps = new Map<string, Set<string>>();
  for (const node of nodes) {
    deps.set(node, new Set([...dependenciesOf(node)].filter((d) => known.has(d) && d !== node)));
  }
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < nodes.length) {
    const ready = nodes.filter((n) => !done.has(n) && [...(deps.get(n) ?? [])].every((d) => done.has(d)));
    if (ready.length === 0) {
      throw new DependencyCycleError(
        findCycle(
          nodes.filter((n) => !done.has(n)),
          deps,
        ),
        what,
      );
    }
    for (const node of ready) {
      done.add(node);
      order.push(node);
    }
  }
  return order;
}

/** One cycle among `pending` (each of which still waits on another), as a closed path. */
function findCycle(pending: string[], deps: Map<string, Set<string>>): string[] {
  const waiting = new Set(pending);
  const start = pending[0] ?? '';
  const path: string[] = [];
  const seen = new Map<string, number>();
  let node: string | undefined = start;
  while (node !== undefined && !seen.has(node)) {
    seen.set(node, path.length);
    path.push(node);
    node = [...(deps.get(node) ?? [])].find((d) => waiting.has(d));
  }
  if (node === undefined) return path;
  return [...path.slice(seen.get(node)), node];
}

/** The reverse of a creation order: what to delete first. */
export const deletionOrder = (creationOrder: readonly string[]): string[] => [...creationOrder].reverse();
