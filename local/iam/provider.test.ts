import { describe, expect, it } from 'vitest';
import { recordedProviders } from '../cloudformation/providers/recorded.ts';
import type { ProviderContext, ResourceProvider, ResourceRecord } from '../cloudformation/providers/types.ts';
import { iamProviders } from './provider.ts';
import { IamStore } from './store.ts';

const ctx = (logicalId = 'Thing1234'): ProviderContext => ({
  stackName: 'Demo',
  logicalId,
  assemblyDir: '/out',
  assets: {},
  customResourceProvider: false,
  at: { stack: 'Demo', logicalId },
  clients: {} as ProviderContext['clients'],
  lambda: {} as ProviderContext['lambda'],
  events: {} as ProviderContext['events'],
});

const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const doc = (action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
});
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const KINESIS = 'arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole';

const recordOf = (
  type: string,
  result: Awaited<ReturnType<ResourceProvider['create']>>,
  properties: Record<string, unknown>,
): ResourceRecord => ({
  type,
  physicalId: result.physicalId,
  ref: result.ref,
  attributes: result.attributes ?? {},
  properties,
  dependsOn: [],
});

const setup = () => {
  const store = new IamStore();
  const providers = iamProviders(store);
  const provider = (type: string) => {
    const p = providers[type];
    if (!p) throw new Error(`no provider for ${type}`);
    return p;
  };
  return {
    store,
    role: provider('AWS::IAM::Role'),
    policy: provider('AWS::IAM::Policy'),
    managed: provider('AWS::IAM::ManagedPolicy'),
  };
};

describe('IAM providers give the Ref and GetAtt values of the recorded ones', () => {
  it.each<[string, string, Record<string, unknown>, string[]]>([
    [
      'AWS::IAM::Role',
      'named, with a path',
      { RoleName: 'Fn', Path: '/app/', AssumeRolePolicyDocument: TRUST },
      ['Arn', 'RoleId'],
    ],
    ['AWS::IAM::Role', 'unnamed', { AssumeRolePolicyDocument: TRUST }, ['Arn', 'RoleId']],
    ['AWS::IAM::Policy', 'named', { PolicyName: 'Default', PolicyDocument: doc('s3:GetObject') }, ['Id']],
    [
      'AWS::IAM::ManagedPolicy',
      'named, with a path',
      { ManagedPolicyName: 'Read', Path: '/app/', PolicyDocument: doc('s3:GetObject') },
      ['PolicyArn', 'PolicyId'],
    ],
    [
      'AWS::IAM::ManagedPolicy',
      'unnamed',
      { PolicyDocument: doc('s3:GetObject') },
      ['PolicyArn', 'PolicyId'],
    ],
  ])('%s, %s', async (type, _, props, attributes) => {
    // Prepare
    const provider = iamProviders(new IamStore())[type];
    const recorded = recordedProviders[type];

    // Act
    const real = await provider?.create(props, ctx());
    const expected = await recorded?.create(props, ctx());

    // Assess
    expect(real?.physicalId).toBe(expected?.physicalId);
    expect(real?.ref).toBe(expected?.ref);
    for (const name of attributes) expect(real?.attributes?.[name]).toBe(expected?.attributes?.[name]);
    expect(provider?.nameOf?.(props, ctx())).toBe(recorded?.nameOf?.(props, ctx()));
  });
});

describe('AWS::IAM::Role', () => {
  const props = {
    RoleName: 'Fn',
    AssumeRolePolicyDocument: TRUST,
    Description: 'runs',
    MaxSessionDuration: 7200,
    ManagedPolicyArns: [BASIC],
    Policies: [{ PolicyName: 'Own', PolicyDocument: doc('s3:GetObject') }],
    Tags: [{ Key: 'team', Value: 'a' }],
  };

  it('creates the role with its settings, inline policies, managed policies and tags', async () => {
    // Prepare
    const { store, role } = setup();

    // Act
    await role.create(props, ctx());

    // Assess
    expect(store.getRole('Fn')).toMatchObject({
      Description: 'runs',
      MaxSessionDuration: 7200,
      Tags: [{ Key: 'team', Value: 'a' }],
    });
    expect(JSON.parse(store.getRole('Fn').AssumeRolePolicyDocument)).toEqual(TRUST);
    expect(store.listRolePolicies('Fn').items).toEqual(['Own']);
    expect(store.listAttachedRolePolicies('Fn').items.map((p) => p.PolicyArn)).toEqual([BASIC]);
  });

  it('updates in place, removing only what its own previous properties set', async () => {
    // Prepare
    const { store, role, policy } = setup();
    const created = await role.create(props, ctx());
    await policy.create(
      { PolicyName: 'Default', PolicyDocument: doc('sqs:*'), Roles: ['Fn'] },
      ctx('Policy'),
    );
    const next = {
      RoleName: 'Fn',
      AssumeRolePolicyDocument: TRUST,
      ManagedPolicyArns: [KINESIS],
      Policies: [],
      Tags: [{ Key: 'env', Value: 'dev' }],
    };

    // Act
    const updated = await role.update?.(next, recordOf('AWS::IAM::Role', created, props), [], ctx());

    // Assess
    expect(updated).toEqual(created);
    expect(store.listRolePolicies('Fn').items).toEqual(['Default']);
    expect(store.listAttachedRolePolicies('Fn').items.map((p) => p.PolicyArn)).toEqual([KINESIS]);
    expect(store.getRole('Fn')).toMatchObject({
      Description: '',
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'env', Value: 'dev' }],
    });
  });

  it('adopts a role of the same name that is already in the store', async () => {
    // Prepare
    const { store, role } = setup();
    store.createRole({ RoleName: 'Fn', AssumeRolePolicyDocument: JSON.stringify(TRUST) });

    // Act
    const created = await role.create(props, ctx());

    // Assess
    expect(created.ref).toBe('Fn');
    expect(store.getRole('Fn').Description).toBe('runs');
  });

  it('deletes the role with whatever it still holds, and a second delete is a no-op', async () => {
    // Prepare
    const { store, role } = setup();
    const created = await role.create(props, ctx());
    const record = recordOf('AWS::IAM::Role', created, props);

    // Act
    await role.delete(record, ctx());
    await role.delete(record, ctx());

    // Assess
    expect(store.listRoles().items).toEqual([]);
    expect(store.getPolicy(BASIC).AttachmentCount).toBe(0);
  });
});

describe('AWS::IAM::Policy', () => {
  it('puts the inline policy on each role, moves it when renamed or re-targeted, and removes it on delete', async () => {
    // Prepare
    const { store, role, policy } = setup();
    for (const RoleName of ['A', 'B'])
      await role.create({ RoleName, AssumeRolePolicyDocument: TRUST }, ctx(RoleName));
    const first = { PolicyName: 'P1', PolicyDocument: doc('s3:*'), Roles: ['A', 'B'] };
    const second = {
      PolicyName: 'P2',
      PolicyDocument: doc('sqs:*'),
      Roles: ['arn:aws:iam::000000000000:role/B'],
    };

    // Act
    const created = await policy.create(first, ctx());
    const afterCreate = ['A', 'B'].map((r) => store.listRolePolicies(r).items);
    const updated = await policy.update?.(second, recordOf('AWS::IAM::Policy', created, first), [], ctx());
    const afterUpdate = ['A', 'B'].map((r) => store.listRolePolicies(r).items);
    await policy.delete(recordOf('AWS::IAM::Policy', updated ?? created, second), ctx());

    // Assess
    expect(created.ref).toBe('Demo-P1');
    expect(afterCreate).toEqual([['P1'], ['P1']]);
    expect(updated?.ref).toBe('Demo-P2');
    expect(afterUpdate).toEqual([[], ['P2']]);
    expect(['A', 'B'].map((r) => store.listRolePolicies(r).items)).toEqual([[], []]);
  });

  it('fails, as CloudFormation does, for a role that does not exist', async () => {
    // Prepare
    const { policy } = setup();

    // Act
    const call = policy.create({ PolicyName: 'P', PolicyDocument: doc('s3:*'), Roles: ['Ghost'] }, ctx());

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'NoSuchEntity' });
  });
});

describe('AWS::IAM::ManagedPolicy', () => {
  it('creates and attaches it, versions its document on update, and deletes it', async () => {
    // Prepare
    const { store, role, managed } = setup();
    for (const RoleName of ['A', 'B'])
      await role.create({ RoleName, AssumeRolePolicyDocument: TRUST }, ctx(RoleName));
    const first = { ManagedPolicyName: 'Shared', PolicyDocument: doc('s3:*'), Roles: ['A'] };
    const second = { ...first, PolicyDocument: doc('sqs:*'), Roles: ['B'] };

    // Act
    const created = await managed.create(first, ctx());
    const record = recordOf('AWS::IAM::ManagedPolicy', created, first);
    const updated = await managed.update?.(second, record, ['PolicyDocument', 'Roles'], ctx());
    const attachedAfterUpdate = ['A', 'B'].map((r) => store.listAttachedRolePolicies(r).items.length);
    await managed.delete(recordOf('AWS::IAM::ManagedPolicy', updated ?? created, second), ctx());

    // Assess
    expect(created.attributes).toMatchObject({
      PolicyArn: 'arn:aws:iam::000000000000:policy/Shared',
      DefaultVersionId: 'v1',
      AttachmentCount: '1',
      IsAttachable: 'true',
    });
    expect(updated?.attributes).toMatchObject({ DefaultVersionId: 'v2', AttachmentCount: '1' });
    expect(attachedAfterUpdate).toEqual([0, 1]);
    expect(store.listPolicies({ scope: 'Local' }).items).toEqual([]);
  });

  it('keeps creating versions past five, dropping the oldest', async () => {
    // Prepare
    const { store, managed } = setup();
    const props = (n: number) => ({ ManagedPolicyName: 'Busy', PolicyDocument: doc(`s3:Action${n}`) });
    const created = await managed.create(props(0), ctx());
    let record = recordOf('AWS::IAM::ManagedPolicy', created, props(0));

    // Act
    for (let n = 1; n <= 6; n++) {
      const result = await managed.update?.(props(n), record, ['PolicyDocument'], ctx());
      record = recordOf('AWS::IAM::ManagedPolicy', result ?? created, props(n));
    }

    // Assess
    const versions = store.listPolicyVersions(created.physicalId);
    expect(versions.map((v) => v.VersionId)).toEqual(['v3', 'v4', 'v5', 'v6', 'v7']);
    expect(record.attributes.DefaultVersionId).toBe('v7');
  });
});
