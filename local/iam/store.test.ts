import { describe, expect, it } from 'vitest';
import { IamError } from './errors.ts';
import { IamStore } from './store.ts';

const NOW = new Date('2026-01-02T03:04:05Z');
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'kinesis:GetRecords', Resource: '*' }],
});
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

const storeWithRole = (RoleName = 'Fn') => {
  const store = new IamStore({ now: () => NOW });
  const role = store.createRole({ RoleName, AssumeRolePolicyDocument: TRUST });
  return { store, role };
};

/** The IamError `act` throws. */
function errorOf(act: () => unknown): IamError {
  try {
    act();
  } catch (err) {
    if (err instanceof IamError) return err;
    throw err;
  }
  throw new Error('expected an IamError');
}

describe('IamStore roles', () => {
  it('creates a role with AWS ids: ARN with its path, an AROA id, defaults', () => {
    // Prepare
    const store = new IamStore({ now: () => NOW });

    // Act
    const role = store.createRole({ RoleName: 'Fn', Path: '/service/', AssumeRolePolicyDocument: TRUST });

    // Assess
    expect(role).toEqual({
      Path: '/service/',
      RoleName: 'Fn',
      RoleId: expect.stringMatching(/^AROA[0-9A-F]{17}$/),
      Arn: 'arn:aws:iam::000000000000:role/service/Fn',
      CreateDate: NOW,
      AssumeRolePolicyDocument: TRUST,
      MaxSessionDuration: 3600,
      Tags: [],
    });
    expect(store.getRole('fn')).toEqual(role);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'an existing name, in other case',
      { RoleName: 'FN' },
      'EntityAlreadyExists',
      'Role with name FN already exists.',
    ],
    [
      'a name of 65 characters',
      { RoleName: 'r'.repeat(65) },
      'ValidationError',
      'length less than or equal to 64',
    ],
    ['a name with a space', { RoleName: 'a b' }, 'ValidationError', 'regular expression pattern'],
    ['a path without a trailing /', { RoleName: 'P', Path: '/a' }, 'ValidationError', "at 'path'"],
    [
      'a trust policy that is not JSON',
      { RoleName: 'J', AssumeRolePolicyDocument: '{' },
      'MalformedPolicyDocument',
      'invalid Json',
    ],
    [
      'a trust policy without principal',
      { RoleName: 'N', AssumeRolePolicyDocument: POLICY },
      'MalformedPolicyDocument',
      'Has prohibited field Resource',
    ],
    [
      'a session of 13 hours',
      { RoleName: 'S', MaxSessionDuration: 46800 },
      'ValidationError',
      'less than or equal to 43200',
    ],
    [
      'a trust policy over 2048 characters',
      {
        RoleName: 'Big',
        AssumeRolePolicyDocument: JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'x'.repeat(2100) }, Action: 'sts:AssumeRole' }],
        }),
      },
      'LimitExceeded',
      'ACLSizePerRole: 2048',
    ],
  ])('refuses %s', (_, input, code, message) => {
    // Prepare
    const { store } = storeWithRole();

    // Act
    const error = errorOf(() =>
      store.createRole({ RoleName: 'X', AssumeRolePolicyDocument: TRUST, ...input } as never),
    );

    // Assess
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('answers NoSuchEntity (404) for a role it does not hold', () => {
    // Prepare
    const store = new IamStore();

    // Act
    const error = errorOf(() => store.getRole('Nope'));

    // Assess
    expect(error).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The role with name Nope cannot be found.',
    });
  });

  it.each([
    [
      'an inline policy',
      (s: IamStore) => s.putRolePolicy('Fn', 'Inline', POLICY),
      'must delete policies first',
    ],
    [
      'an attached policy',
      (s: IamStore) => s.attachRolePolicy('Fn', BASIC),
      'must detach all policies first',
    ],
  ])('refuses to delete a role with %s (DeleteConflict, 409)', (_, prepare, message) => {
    // Prepare
    const { store } = storeWithRole();
    prepare(store);

    // Act
    const error = errorOf(() => store.deleteRole('Fn'));

    // Assess
    expect(error).toMatchObject({ code: 'DeleteConflict', status: 409 });
    expect(error.message).toContain(message);
  });

  it('deletes a role once its policies are gone', () => {
    // Prepare
    const { store } = storeWithRole();
    store.putRolePolicy('Fn', 'Inline', POLICY);
    store.attachRolePolicy('Fn', BASIC);
    store.deleteRolePolicy('Fn', 'Inline');
    store.detachRolePolicy('Fn', BASIC);

    // Act
    store.deleteRole('Fn');

    // Assess
    expect(store.listRoles().items).toEqual([]);
    expect(store.getPolicy(BASIC).AttachmentCount).toBe(0);
  });

  it('updates the trust policy, the description, the session length and tags', () => {
    // Prepare
    const { store } = storeWithRole();
    const trust = TRUST.replace('lambda', 'states');

    // Act
    store.updateAssumeRolePolicy('Fn', trust);
    store.updateRole('Fn', { Description: 'runs', MaxSessionDuration: 7200 });
    store.tagRole('Fn', [
      { Key: 'team', Value: 'a' },
      { Key: 'env', Value: 'dev' },
    ]);
    store.tagRole('Fn', [{ Key: 'team', Value: 'b' }]);
    store.untagRole('Fn', ['env']);

    // Assess
    expect(store.getRole('Fn')).toMatchObject({
      AssumeRolePolicyDocument: trust,
      Description: 'runs',
      MaxSessionDuration: 7200,
      Tags: [{ Key: 'team', Value: 'b' }],
    });
  });

  it('pages roles by name with a marker', () => {
    // Prepare
    const store = new IamStore();
    for (const RoleName of ['c', 'A', 'b']) store.createRole({ RoleName, AssumeRolePolicyDocument: TRUST });

    // Act
    const first = store.listRoles({ maxItems: 2 });
    const second = store.listRoles({ maxItems: 2, marker: first.marker });

    // Assess
    expect(first.items.map((r) => r.RoleName)).toEqual(['A', 'b']);
    expect(first.isTruncated).toBe(true);
    expect(second.items.map((r) => r.RoleName)).toEqual(['c']);
    expect(second.isTruncated).toBe(false);
    expect(second.marker).toBeUndefined();
  });

  it('hands out copies: changing one does not change the store', () => {
    // Prepare
    const { store, role } = storeWithRole();

    // Act
    role.Tags.push({ Key: 'k', Value: 'v' });

    // Assess
    expect(store.getRole('Fn').Tags).toEqual([]);
  });
});

describe('IamStore inline policies', () => {
  it('puts, replaces, lists and reads inline policies', () => {
    // Prepare
    const { store } = storeWithRole();
    const replaced = POLICY.replace('GetRecords', 'PutRecord');

    // Act
    store.putRolePolicy('Fn', 'B', POLICY);
    store.putRolePolicy('Fn', 'A', POLICY);
    store.putRolePolicy('Fn', 'B', replaced);

    // Assess
    expect(store.listRolePolicies('Fn').items).toEqual(['A', 'B']);
    expect(store.getRolePolicy('Fn', 'B')).toBe(replaced);
  });

  it.each<[string, string, string]>([
    [
      'a principal',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }),
      'should not specify a principal',
    ],
    [
      'no resource',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*' }] }),
      'must contain resources',
    ],
    [
      'no action',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Resource: '*' }] }),
      'must contain actions',
    ],
    [
      'an unknown effect',
      JSON.stringify({ Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }] }),
      'Syntax errors',
    ],
    ['no statement', JSON.stringify({ Version: '2012-10-17' }), 'Syntax errors'],
    ['an unknown version', JSON.stringify({ Version: '2020-01-01', Statement: [] }), 'legacy parsing'],
  ])('refuses a permissions policy with %s (MalformedPolicyDocument)', (_, document, message) => {
    // Prepare
    const { store } = storeWithRole();

    // Act
    const error = errorOf(() => store.putRolePolicy('Fn', 'P', document));

    // Assess
    expect(error).toMatchObject({ code: 'MalformedPolicyDocument', status: 400 });
    expect(error.message).toContain(message);
  });

  it('refuses inline policies over 10,240 characters together, white space not counted', () => {
    // Prepare
    const { store } = storeWithRole();
    const big = (n: number) =>
      JSON.stringify(
        { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:${'x'.repeat(n)}` }] },
        null,
        8,
      );
    store.putRolePolicy('Fn', 'One', big(6000));

    // Act
    const error = errorOf(() => store.putRolePolicy('Fn', 'Two', big(5000)));

    // Assess
    expect(error.code).toBe('LimitExceeded');
    expect(() => store.putRolePolicy('Fn', 'Two', big(4000))).not.toThrow();
  });

  it('answers NoSuchEntity for an inline policy it does not hold', () => {
    // Prepare
    const { store } = storeWithRole();

    // Act
    const error = errorOf(() => store.getRolePolicy('Fn', 'Nope'));

    // Assess
    expect(error).toMatchObject({
      code: 'NoSuchEntity',
      message: 'The role policy with name Nope cannot be found.',
    });
  });
});

describe('IamStore managed policies', () => {
  it.each([
    'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    'arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole',
    'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
    'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
    'arn:aws:iam::aws:policy/AdministratorAccess',
  ])('knows the AWS managed policy %s, attachable', (arn) => {
    // Prepare
    const { store } = storeWithRole();

    // Act
    store.attachRolePolicy('Fn', arn);

    // Assess
    expect(store.listAttachedRolePolicies('Fn').items).toEqual([
      { PolicyName: arn.split('/').at(-1), PolicyArn: arn },
    ]);
    expect(store.getPolicy(arn)).toMatchObject({
      AttachmentCount: 1,
      DefaultVersionId: 'v1',
      IsAttachable: true,
    });
    expect(JSON.parse(store.getPolicyVersion(arn, 'v1').Document).Statement.length).toBeGreaterThan(0);
  });

  it('creates a policy, versions it and deletes it once detached and down to one version', () => {
    // Prepare
    const { store } = storeWithRole();
    const policy = store.createPolicy({ PolicyName: 'Read', Path: '/app/', PolicyDocument: POLICY });
    store.attachRolePolicy('Fn', policy.Arn);

    // Act
    const v2 = store.createPolicyVersion(policy.Arn, POLICY.replace('GetRecords', 'ListShards'), true);
    const attached = errorOf(() => store.deletePolicy(policy.Arn));
    store.detachRolePolicy('Fn', policy.Arn);
    const versions = errorOf(() => store.deletePolicy(policy.Arn));
    store.deletePolicyVersion(policy.Arn, 'v1');
    store.deletePolicy(policy.Arn);

    // Assess
    expect(policy).toMatchObject({
      Arn: 'arn:aws:iam::000000000000:policy/app/Read',
      PolicyId: expect.stringMatching(/^ANPA[0-9A-F]{17}$/),
      DefaultVersionId: 'v1',
    });
    expect(v2).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    expect(attached).toMatchObject({
      code: 'DeleteConflict',
      message: 'Cannot delete a policy attached to entities.',
    });
    expect(versions.code).toBe('DeleteConflict');
    expect(errorOf(() => store.getPolicy(policy.Arn)).code).toBe('NoSuchEntity');
  });

  it('keeps at most five versions (LimitExceeded)', () => {
    // Prepare
    const store = new IamStore();
    const { Arn } = store.createPolicy({ PolicyName: 'P', PolicyDocument: POLICY });
    for (let i = 0; i < 4; i++) store.createPolicyVersion(Arn, POLICY);

    // Act
    const error = errorOf(() => store.createPolicyVersion(Arn, POLICY));

    // Assess
    expect(error).toMatchObject({ code: 'LimitExceeded', status: 409 });
  });

  it.each<[string, (s: IamStore, arn: string) => unknown, string]>([
    [
      'a duplicate name',
      (s) => s.createPolicy({ PolicyName: 'p', PolicyDocument: POLICY }),
      'EntityAlreadyExists',
    ],
    [
      'attaching an unknown policy',
      (s) => s.attachRolePolicy('Fn', 'arn:aws:iam::aws:policy/Nope'),
      'NoSuchEntity',
    ],
    ['detaching a policy not attached', (s, arn) => s.detachRolePolicy('Fn', arn), 'NoSuchEntity'],
    ['deleting the default version', (s, arn) => s.deletePolicyVersion(arn, 'v1'), 'DeleteConflict'],
    ['an unknown version', (s, arn) => s.getPolicyVersion(arn, 'v9'), 'NoSuchEntity'],
    ['deleting an AWS managed policy', (s) => s.deletePolicy(BASIC), 'AccessDenied'],
  ])('refuses %s', (_, act, code) => {
    // Prepare
    const { store } = storeWithRole();
    const { Arn } = store.createPolicy({ PolicyName: 'P', PolicyDocument: POLICY });

    // Act
    const error = errorOf(() => act(store, Arn));

    // Assess
    expect(error.code).toBe(code);
  });

  it('refuses an eleventh attached policy (LimitExceeded), but attaching one again is a no-op', () => {
    // Prepare
    const { store } = storeWithRole();
    const arns = Array.from(
      { length: 11 },
      (_, i) => store.createPolicy({ PolicyName: `P${i}`, PolicyDocument: POLICY }).Arn,
    );
    for (const arn of arns.slice(0, 10)) store.attachRolePolicy('Fn', arn);

    // Act
    store.attachRolePolicy('Fn', arns[0] ?? '');
    const error = errorOf(() => store.attachRolePolicy('Fn', arns[10] ?? ''));

    // Assess
    expect(error.code).toBe('LimitExceeded');
    expect(store.getPolicy(arns[0] ?? '').AttachmentCount).toBe(1);
  });

  it.each([
    [{ scope: 'Local' as const }, ['Mine']],
    [
      { scope: 'AWS' as const, pathPrefix: '/service-role/' },
      [
        'AWSLambdaBasicExecutionRole',
        'AWSLambdaDynamoDBExecutionRole',
        'AWSLambdaKinesisExecutionRole',
        'AWSLambdaRole',
        'AWSLambdaSQSQueueExecutionRole',
      ],
    ],
    [{ onlyAttached: true }, ['AWSLambdaBasicExecutionRole']],
  ])('lists policies by scope, path and attachment: %j', (opts, expected) => {
    // Prepare
    const { store } = storeWithRole();
    store.createPolicy({ PolicyName: 'Mine', PolicyDocument: POLICY });
    store.attachRolePolicy('Fn', BASIC);

    // Act
    const names = store.listPolicies({ ...opts, maxItems: 1000 }).items.map((p) => p.PolicyName);

    // Assess
    expect(names).toEqual(expected);
  });

  it('counts a permissions boundary as a use of its policy', () => {
    // Prepare
    const store = new IamStore();
    const { Arn } = store.createPolicy({ PolicyName: 'Boundary', PolicyDocument: POLICY });
    store.createRole({ RoleName: 'R', AssumeRolePolicyDocument: TRUST, PermissionsBoundary: Arn });

    // Act
    const inUse = errorOf(() => store.deletePolicy(Arn));
    store.setPermissionsBoundary('R', undefined);

    // Assess
    expect(inUse.code).toBe('DeleteConflict');
    expect(store.getPolicy(Arn).PermissionsBoundaryUsageCount).toBe(0);
    expect(store.getRole('R').PermissionsBoundary).toBeUndefined();
  });
});
