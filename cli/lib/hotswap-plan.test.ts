import { describe, expect, it } from 'vitest';
import { planSave, type SwapMap } from './hotswap-plan.ts';

const persist = {
  functionName: 'wildrydes-persist',
  entry: '/p/modules/04/starter/persist.ts',
  inputs: new Set(['/p/modules/04/starter/persist.ts', '/p/contracts/records.ts']),
};
const aggregate = {
  functionName: 'wildrydes-aggregate',
  entry: '/p/modules/03/starter/aggregate.ts',
  inputs: new Set(['/p/modules/03/starter/aggregate.ts', '/p/contracts/records.ts']),
};
const map: SwapMap = {
  targets: [persist, aggregate],
  appInputs: new Set(['/p/infra/app.ts', '/p/modules/04/stack.ts', '/p/contracts/names.ts']),
};

describe('planSave', () => {
  it('swaps only the function whose bundle reads the saved handler', () => {
    // Act
    const plan = planSave(['/p/modules/04/starter/persist.ts'], map);

    // Assess
    expect(plan).toEqual({ kind: 'swap', targets: [persist] });
  });

  it('swaps every function whose bundle reads a saved shared file', () => {
    // Act
    const plan = planSave(['/p/contracts/records.ts'], map);

    // Assess
    expect(plan.kind === 'swap' && plan.targets.map((t) => t.functionName)).toEqual([
      'wildrydes-persist',
      'wildrydes-aggregate',
    ]);
  });

  it('deploys everything when a stack, or code a stack reads, is saved, even with a handler', () => {
    // Act
    const stack = planSave(['/p/modules/04/starter/persist.ts', '/p/modules/04/stack.ts'], map);
    const shared = planSave(['/p/contracts/names.ts'], map);

    // Assess
    expect(stack).toEqual({ kind: 'deploy', reason: '/p/modules/04/stack.ts is read by the CDK app' });
    expect(shared.kind).toBe('deploy');
  });

  it('deploys everything for a file no deployed function reads (a new file, an unused starter)', () => {
    // Act
    const plan = planSave(['/p/modules/05/starter/alert.ts'], map);

    // Assess
    expect(plan).toEqual({
      kind: 'deploy',
      reason: '/p/modules/05/starter/alert.ts is in no deployed function',
    });
  });

  it('deploys everything while the last deploy has not completed', () => {
    // Act
    const plan = planSave(['/p/modules/04/starter/persist.ts'], undefined);

    // Assess
    expect(plan).toEqual({ kind: 'deploy', reason: 'the last deploy did not complete' });
  });
});
