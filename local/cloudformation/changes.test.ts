// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation Fn::Sub strings, not JS templates
import { describe, expect, it } from 'vitest';
import { stackSettingsChanged } from './change-sets.ts';
import { computeChanges } from './changes.ts';
import { planStack, pseudoParameters } from './plan.ts';
import type { ProviderLookup } from './providers/index.ts';
import type { ResourceProvider, ResourceRecord } from './providers/types.ts';
import { emptyTarget, type StackTarget } from './state.ts';
import type { CfnTemplate } from './template.ts';

const provider = (replaceOn: string[], opts: { update?: boolean; replaceWithDependencies?: boolean } = {}) =>
  ({
    attributes: ['Arn'],
    replaceOn,
    replaceWithDependencies: opts.replaceWithDependencies,
    create: async () => ({ physicalId: 'x', ref: 'x' }),
    update: opts.update === false ? undefined : async () => ({ physicalId: 'x', ref: 'x' }),
    delete: async () => {},
  }) satisfies ResourceProvider;

const PROVIDERS: Record<string, ResourceProvider> = {
  'Test::Thing': provider(['Name']),
  'Test::Immutable': provider([], { update: false }),
  'Test::Follower': provider([], { replaceWithDependencies: true }),
};
const providerOf: ProviderLookup = (type) => PROVIDERS[type];

const deployed = (type: string, properties: Record<string, unknown>, id = 'x'): ResourceRecord => ({
  type,
  physicalId: `${id}-physical`,
  ref: `${id}-ref`,
  attributes: { Arn: `arn:${id}` },
  properties,
  dependsOn: [],
});

function changesFor(template: CfnTemplate, resources: Record<string, ResourceRecord>) {
  const plan = planStack({
    stackName: 'Demo',
    template,
    exportAvailable: () => true,
    assemblyDir: '/tmp',
    assets: {},
    providerOf,
  });
  return computeChanges({
    stackName: 'Demo',
    plan,
    template,
    deployed: resources,
    pseudo: pseudoParameters('Demo'),
    exportValue: (name) => (name === 'Shared' ? 'shared-value' : undefined),
    assemblyDir: '/tmp',
    assets: {},
    providerOf,
  });
}

describe('computeChanges', () => {
  it('adds every resource of a new stack, in deploy order', () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        B: { Type: 'Test::Thing', Properties: { Peer: { Ref: 'A' } } },
        A: { Type: 'Test::Thing' },
      },
    };
    // Act
    const changes = changesFor(template, {});
    // Assess
    expect(changes).toEqual([
      { action: 'Add', logicalId: 'A', type: 'Test::Thing', details: [] },
      { action: 'Add', logicalId: 'B', type: 'Test::Thing', details: [] },
    ]);
  });

  it.each([
    ['an unchanged resource', { Size: 1 }, { Size: 1 }, undefined],
    ['an in-place change', { Size: 1 }, { Size: 2 }, { replacement: 'False', recreation: 'Never' }],
    ['a replacing change', { Name: 'a' }, { Name: 'b' }, { replacement: 'True', recreation: 'Always' }],
  ])('modifies on %s', (_name, before, after, expected) => {
    // Prepare
    const template: CfnTemplate = { Resources: { A: { Type: 'Test::Thing', Properties: after } } };
    // Act
    const changes = changesFor(template, { A: deployed('Test::Thing', before, 'a') });
    // Assess
    if (!expected) {
      expect(changes).toEqual([]);
      return;
    }
    expect(changes).toEqual([
      {
        action: 'Modify',
        logicalId: 'A',
        physicalId: 'a-physical',
        type: 'Test::Thing',
        replacement: expected.replacement,
        details: [
          {
            name: Object.keys(after)[0],
            requiresRecreation: expected.recreation,
            evaluation: 'Static',
            changeSource: 'DirectModification',
          },
        ],
      },
    ]);
  });

  it('replaces a resource its provider cannot update in place', () => {
    // Prepare
    const template: CfnTemplate = { Resources: { A: { Type: 'Test::Immutable', Properties: { Size: 2 } } } };
    // Act
    const [change] = changesFor(template, { A: deployed('Test::Immutable', { Size: 1 }) });
    // Assess
    expect(change).toMatchObject({ action: 'Modify', replacement: 'True' });
  });

  it('changes a reference to a replaced resource dynamically, and conditionally replaces what follows it', () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        A: { Type: 'Test::Thing', Properties: { Name: 'new' } },
        B: { Type: 'Test::Thing', Properties: { Target: { 'Fn::GetAtt': ['A', 'Arn'] } } },
        C: { Type: 'Test::Follower', Properties: { Target: { Ref: 'A' } } },
      },
    };
    const resources = {
      A: deployed('Test::Thing', { Name: 'old' }, 'a'),
      B: deployed('Test::Thing', { Target: 'arn:a' }, 'b'),
      C: deployed('Test::Follower', { Target: 'a-ref' }, 'c'),
    };
    // Act
    const changes = changesFor(template, resources);
    // Assess
    expect(changes.map((c) => [c.logicalId, c.replacement, c.details.map((d) => d.evaluation)])).toEqual([
      ['A', 'True', ['Static']],
      ['B', 'False', ['Dynamic']],
      ['C', 'Conditional', ['Dynamic']],
    ]);
    expect(changes[1]?.details[0]).toMatchObject({
      changeSource: 'ResourceAttribute',
      requiresRecreation: 'Never',
    });
  });

  it('keeps references to resources updated in place known', () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        A: { Type: 'Test::Thing', Properties: { Size: 2 } },
        B: { Type: 'Test::Thing', Properties: { Target: { 'Fn::GetAtt': ['A', 'Arn'] } } },
      },
    };
    // Act
    const changes = changesFor(template, {
      A: deployed('Test::Thing', { Size: 1 }, 'a'),
      B: deployed('Test::Thing', { Target: 'arn:a' }, 'b'),
    });
    // Assess
    expect(changes.map((c) => c.logicalId)).toEqual(['A']);
  });

  it('removes what left the template, and what a false condition leaves out', () => {
    // Prepare
    const template: CfnTemplate = {
      Parameters: { Env: { Type: 'String', Default: 'dev' } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      Resources: {
        A: { Type: 'Test::Thing' },
        Prod: { Type: 'Test::Thing', Condition: 'IsProd' },
      },
    };
    // Act
    const changes = changesFor(template, {
      A: deployed('Test::Thing', {}, 'a'),
      Prod: deployed('Test::Thing', {}, 'prod'),
      Gone: deployed('Test::Immutable', {}, 'gone'),
    });
    // Assess
    expect(changes).toEqual([
      {
        action: 'Remove',
        logicalId: 'Gone',
        physicalId: 'gone-physical',
        type: 'Test::Immutable',
        details: [],
      },
      { action: 'Remove', logicalId: 'Prod', physicalId: 'prod-physical', type: 'Test::Thing', details: [] },
    ]);
  });

  it('resolves parameters, pseudo parameters, Fn::If and imports before comparing', () => {
    // Prepare
    const template: CfnTemplate = {
      Parameters: { Size: { Type: 'Number', Default: 3 } },
      Conditions: { Big: { 'Fn::Equals': [{ Ref: 'Size' }, 3] } },
      Resources: {
        A: {
          Type: 'Test::Thing',
          Properties: {
            Size: { 'Fn::If': ['Big', { Ref: 'Size' }, 1] },
            Where: { 'Fn::Sub': '${AWS::Region}-${AWS::StackName}' },
            Shared: { 'Fn::ImportValue': 'Shared' },
          },
        },
      },
    };
    // Act
    const changes = changesFor(template, {
      A: deployed('Test::Thing', { Size: '3', Where: 'us-east-1-Demo', Shared: 'shared-value' }),
    });
    // Assess
    expect(changes).toEqual([]);
  });
});

describe('stackSettingsChanged', () => {
  const target = (patch: Partial<StackTarget> = {}, template: Partial<CfnTemplate> = {}): StackTarget => ({
    ...emptyTarget('/tmp'),
    ...patch,
    template: { Resources: {}, ...template },
  });
  it.each([
    ['nothing', target(), false],
    ['an output', target({}, { Outputs: { X: { Value: 1 } } }), true],
    ['a parameter value', target({ parameters: { P: 'b' } }), true],
    ['a tag', target({ settings: { ...emptyTarget().settings, tags: [{ Key: 'k', Value: 'v' }] } }), true],
    ['the description', target({}, { Description: 'new' }), true],
  ])('notices %s', (_name, next, expected) => {
    // Prepare
    const previous = target({ parameters: next.parameters.P ? { P: 'a' } : {} });
    // Act / Assess
    expect(stackSettingsChanged(previous, next)).toBe(expected);
  });
});
