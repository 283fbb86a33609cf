import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteConflictException,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  IAMServiceException,
  LimitExceededException,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsCliJson, awsCliTitle, findAwsCli, runAwsCli } from '../../testing/aws-cli.ts';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { installIam } from './index.ts';
import { IamStore } from './store.ts';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: 'arn:aws:dynamodb:*:*:table/A&B <x>' },
  ],
});
const KINESIS_ROLE = 'arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole';

describe('local IAM through the real SDK client', () => {
  const cloud = useLocalCloud();
  const store = new IamStore();
  let iam: IAMClient;

  beforeAll(() => {
    installIam(cloud(), store);
    // The SDK retries LimitExceeded as throttling, against AWS too: one attempt keeps the test quick.
    iam = new IAMClient({ ...clientConfig(cloud()), maxAttempts: 1 });
  });

  it('creates a role and gets it back, its trust policy as AWS encodes it', async () => {
    // Act
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: 'Processor',
        Path: '/wildrydes/',
        AssumeRolePolicyDocument: TRUST,
        Description: 'Processes rides',
        Tags: [{ Key: 'team', Value: 'unicorns' }],
      }),
    );
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'Processor' }));

    // Assess
    expect(created.Role?.Arn).toBe('arn:aws:iam::000000000000:role/wildrydes/Processor');
    expect(Role).toMatchObject({
      RoleName: 'Processor',
      Path: '/wildrydes/',
      RoleId: created.Role?.RoleId,
      Arn: 'arn:aws:iam::000000000000:role/wildrydes/Processor',
      Description: 'Processes rides',
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'team', Value: 'unicorns' }],
    });
    expect(Role?.RoleId).toMatch(/^AROA/);
    expect(Role?.CreateDate).toBeInstanceOf(Date);
    expect(Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(TRUST));
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toEqual(JSON.parse(TRUST));
  });

  it('lists roles, and their tags and trust policies change', async () => {
    // Prepare
    await iam.send(new CreateRoleCommand({ RoleName: 'Lister', AssumeRolePolicyDocument: TRUST }));
    const trust = TRUST.replace('lambda', 'states');

    // Act
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Lister', PolicyDocument: trust }));
    await iam.send(new TagRoleCommand({ RoleName: 'Lister', Tags: [{ Key: 'k', Value: 'v' }] }));
    const { Roles, IsTruncated } = await iam.send(new ListRolesCommand({}));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'Lister' }));

    // Assess
    expect(Roles?.map((r) => r.RoleName)).toContain('Lister');
    expect(IsTruncated).toBe(false);
    expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')).toBe(trust);
    expect(Role?.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
  });

  it('puts, lists, reads and deletes an inline policy, its document escaped in XML and URL-encoded', async () => {
    // Prepare
    await iam.send(new CreateRoleCommand({ RoleName: 'Inline', AssumeRolePolicyDocument: TRUST }));

    // Act
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'Write', PolicyDocument: POLICY }),
    );
    const listed = await iam.send(new ListRolePoliciesCommand({ RoleName: 'Inline' }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'Write' }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'Write' }));
    const after = await iam.send(new ListRolePoliciesCommand({ RoleName: 'Inline' }));

    // Assess
    expect(listed.PolicyNames).toEqual(['Write']);
    expect(got).toMatchObject({ RoleName: 'Inline', PolicyName: 'Write' });
    expect(decodeURIComponent(got.PolicyDocument ?? '')).toBe(POLICY);
    expect(after.PolicyNames).toEqual([]);
  });

  it('attaches AWS managed and own policies, and refuses to delete the role until they are detached', async () => {
    // Prepare
    await iam.send(new CreateRoleCommand({ RoleName: 'Attached', AssumeRolePolicyDocument: TRUST }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'Own', PolicyDocument: POLICY }));
    const ownArn = Policy?.Arn ?? '';

    // Act
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Attached', PolicyArn: KINESIS_ROLE }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Attached', PolicyArn: ownArn }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'Attached' }));
    const refused = iam.send(new DeleteRoleCommand({ RoleName: 'Attached' }));
    await expect(refused).rejects.toBeInstanceOf(DeleteConflictException);
    for (const PolicyArn of [KINESIS_ROLE, ownArn]) {
      await iam.send(new DetachRolePolicyCommand({ RoleName: 'Attached', PolicyArn }));
    }
    await iam.send(new DeleteRoleCommand({ RoleName: 'Attached' }));

    // Assess
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'AWSLambdaKinesisExecutionRole', PolicyArn: KINESIS_ROLE },
      { PolicyName: 'Own', PolicyArn: ownArn },
    ]);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'Attached' }))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    );
  });

  it('versions a managed policy and reads each version', async () => {
    // Prepare
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'Versioned',
        Path: '/app/',
        PolicyDocument: POLICY,
        Description: 'd',
      }),
    );
    const PolicyArn = Policy?.Arn ?? '';
    const v2Document = POLICY.replace('PutItem', 'GetItem');

    // Act
    const { PolicyVersion } = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: v2Document, SetAsDefault: true }),
    );
    const got = await iam.send(new GetPolicyCommand({ PolicyArn }));
    const v1 = await iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: 'v1' }));
    const v2 = await iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: 'v2' }));

    // Assess
    expect(Policy).toMatchObject({
      Arn: 'arn:aws:iam::000000000000:policy/app/Versioned',
      AttachmentCount: 0,
      IsAttachable: true,
    });
    expect(PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    expect(got.Policy).toMatchObject({ DefaultVersionId: 'v2', Description: 'd' });
    expect(decodeURIComponent(v1.PolicyVersion?.Document ?? '')).toBe(POLICY);
    expect(v1.PolicyVersion?.IsDefaultVersion).toBe(false);
    expect(decodeURIComponent(v2.PolicyVersion?.Document ?? '')).toBe(v2Document);
  });

  it('lists AWS managed policies by scope and path, and deletes its own', async () => {
    // Prepare
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'Doomed', PolicyDocument: POLICY }),
    );

    // Act
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/service-role/' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: Policy?.Arn }));
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));

    // Assess
    expect(aws.Policies?.map((p) => p.Arn)).toContain(KINESIS_ROLE);
    expect(local.Policies?.map((p) => p.PolicyName)).not.toContain('Doomed');
  });

  it.each([
    ['an unknown role', new GetRoleCommand({ RoleName: 'Ghost' }), NoSuchEntityException, 404],
    [
      'an existing role name',
      new CreateRoleCommand({ RoleName: 'Processor', AssumeRolePolicyDocument: TRUST }),
      EntityAlreadyExistsException,
      409,
    ],
    [
      'a policy that is not JSON',
      new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: '{"Statement": [' }),
      MalformedPolicyDocumentException,
      400,
    ],
    [
      'a sixth policy version',
      new CreatePolicyVersionCommand({
        PolicyArn: 'arn:aws:iam::000000000000:policy/Full',
        PolicyDocument: POLICY,
      }),
      LimitExceededException,
      409,
    ],
    [
      'an unknown managed policy',
      new AttachRolePolicyCommand({ RoleName: 'Processor', PolicyArn: 'arn:aws:iam::aws:policy/Nope' }),
      NoSuchEntityException,
      404,
    ],
  ])('refuses %s with the documented exception and status', async (_, command, exception, status) => {
    // Prepare
    if (!store.listPolicies({ scope: 'Local' }).items.some((p) => p.PolicyName === 'Full')) {
      const { Arn } = store.createPolicy({ PolicyName: 'Full', PolicyDocument: POLICY });
      for (let i = 0; i < 4; i++) store.createPolicyVersion(Arn, POLICY);
    }

    // Act
    const call = iam.send(command as never);

    // Assess
    await expect(call).rejects.toBeInstanceOf(exception);
    await expect(call).rejects.toMatchObject({ $metadata: { httpStatusCode: status } });
  });

  it('refuses a role name breaking its constraint with ValidationError', async () => {
    // Act
    const call = iam.send(new CreateRoleCommand({ RoleName: 'no spaces', AssumeRolePolicyDocument: TRUST }));

    // Assess
    await expect(call).rejects.toBeInstanceOf(IAMServiceException);
    await expect(call).rejects.toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
  });
});

describe('local IAM through the aws CLI', () => {
  const cloud = useLocalCloud();
  const cli = findAwsCli();
  // The aws CLI takes seconds to start.
  const CLI_TIMEOUT = 120_000;
  const aws = (args: string[]) => awsCliJson(cli ?? '', cloud().endpoint, args);

  beforeAll(() => installIam(cloud(), new IamStore()));

  it.skipIf(!cli)(
    awsCliTitle('iam create-role, attach-role-policy, get-role', cli),
    async () => {
      // Act
      const created = await aws([
        'iam',
        'create-role',
        '--role-name',
        'CliRole',
        '--assume-role-policy-document',
        TRUST,
      ]);
      await aws(['iam', 'attach-role-policy', '--role-name', 'CliRole', '--policy-arn', KINESIS_ROLE]);
      await aws([
        'iam',
        'put-role-policy',
        '--role-name',
        'CliRole',
        '--policy-name',
        'Inline',
        '--policy-document',
        POLICY,
      ]);
      const got = await aws(['iam', 'get-role', '--role-name', 'CliRole']);
      const attached = await aws(['iam', 'list-attached-role-policies', '--role-name', 'CliRole']);
      const inline = await aws([
        'iam',
        'get-role-policy',
        '--role-name',
        'CliRole',
        '--policy-name',
        'Inline',
      ]);

      // Assess
      expect(created).toMatchObject({ Role: { Arn: 'arn:aws:iam::000000000000:role/CliRole' } });
      // The CLI decodes and parses policy documents, as it does for AWS.
      expect(got).toMatchObject({
        Role: { RoleName: 'CliRole', AssumeRolePolicyDocument: JSON.parse(TRUST) },
      });
      expect(attached.AttachedPolicies).toEqual([
        { PolicyName: 'AWSLambdaKinesisExecutionRole', PolicyArn: KINESIS_ROLE },
      ]);
      expect(inline).toMatchObject({ PolicyDocument: JSON.parse(POLICY) });
    },
    CLI_TIMEOUT,
  );

  it.skipIf(!cli)(
    awsCliTitle('iam get-role of an unknown role exits non-zero with NoSuchEntity', cli),
    async () => {
      // Act
      const result = await runAwsCli(cli ?? '', cloud().endpoint, [
        'iam',
        'get-role',
        '--role-name',
        'Ghost',
      ]);

      // Assess
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('(NoSuchEntity)');
      expect(result.stderr).toContain('The role with name Ghost cannot be found.');
    },
    CLI_TIMEOUT,
  );
});
