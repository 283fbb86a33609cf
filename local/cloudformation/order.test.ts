import { describe, expect, it } from 'vitest';
import { DependencyCycleError } from './errors.ts';
import { deletionOrder, dependencyOrder } from './order.ts';

const graph = (edges: Record<string, string[]>) => (node: string) => edges[node] ?? [];

describe('dependencyOrder', () => {
  it.each([
    ['no dependencies keep the input order', ['a', 'b', 'c'], {}, ['a', 'b', 'c']],
    ['a dependency comes first', ['fn', 'role'], { fn: ['role'] }, ['role', 'fn']],
    [
      'a chain',
      ['esm', 'fn', 'stream', 'role'],
      { esm: ['fn', 'stream'], fn: ['role'] },
      ['stream', 'role', 'fn', 'esm'],
    ],
    ['unknown dependencies are ignored', ['a'], { a: ['AWS::Region', 'Param'] }, ['a']],
    ['a self-reference is ignored', ['a'], { a: ['a'] }, ['a']],
  ])('%s', (_name, nodes, edges, expected) => {
    // Act
    const order = dependencyOrder(nodes, graph(edges));
    // Assess
    expect(order).toEqual(expected);
  });

  it.each([
    [['a', 'b'], { a: ['b'], b: ['a'] }, 'a → b → a'],
    [['x', 'a', 'b', 'c'], { a: ['b'], b: ['c'], c: ['a'], x: ['a'] }, 'a → b → c → a'],
  ])('names the cycle in %j', (nodes, edges, cycle) => {
    // Act
    const act = () => dependencyOrder(nodes, graph(edges), 'resources of stack S');
    // Assess
    expect(act).toThrow(DependencyCycleError);
    expect(act).toThrow(`these resources of stack S depend on each other in a cycle: ${cycle}`);
  });

  it('deletes in reverse creation order', () => {
    // Act / Assess
    expect(deletionOrder(['role', 'fn', 'esm'])).toEqual(['esm', 'fn', 'role']);
  });
});
