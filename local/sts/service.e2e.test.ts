import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsCliJson, awsCliTitle, findAwsCli, runAwsCli } from '../../testing/aws-cli.ts';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { IamStore } from '../iam/store.ts';
import { installSts } from './index.ts';

const DEPLOY_ROLE = 'arn:aws:iam::000000000000:role/cdk-hnb659fds-deploy-role-000000000000-us-east-1';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
  ],
});

describe('local STS through the real SDK client', () => {
  const cloud = useLocalCloud();
  const iam = new IamStore();
  let sts: STSClient;

  beforeAll(() => {
    installSts(cloud(), { iam });
    sts = new STSClient(clientConfig(cloud()));
  });

  it('GetCallerIdentity names the root user of account 000000000000', async () => {
    // Act
    const identity = await sts.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(identity).toMatchObject({
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
      UserId: '000000000000',
    });
  });

  it.each([
    ['deploy', DEPLOY_ROLE],
    [
      'file-publishing',
      'arn:aws:iam::000000000000:role/cdk-hnb659fds-file-publishing-role-000000000000-us-east-1',
    ],
    ['lookup', 'arn:aws:iam::000000000000:role/cdk-hnb659fds-lookup-role-000000000000-us-east-1'],
  ])(
    'AssumeRole of the CDK %s role returns an hour of credentials for the assumed role',
    async (_, RoleArn) => {
      // Prepare
      const before = Date.now();

      // Act
      const out = await sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'aws-cdk-tester' }));

      // Assess
      const roleName = RoleArn.split('/').at(-1);
      expect(out.AssumedRoleUser?.Arn).toBe(
        `arn:aws:sts::000000000000:assumed-role/${roleName}/aws-cdk-tester`,
      );
      expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[0-9A-Z]{17}:aws-cdk-tester$/);
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
      expect(out.Credentials?.SecretAccessKey).toHaveLength(40);
      expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
      const expires = out.Credentials?.Expiration?.getTime() ?? 0;
      expect(expires - before).toBeGreaterThan(3590_000);
      expect(expires - before).toBeLessThan(3610_000);
    },
  );

  it('GetCallerIdentity with assumed-role credentials names the assumed role', async () => {
    // Prepare
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, RoleSessionName: 's1' }),
    );
    const asRole = new STSClient({
      ...clientConfig(cloud()),
      credentials: {
        accessKeyId: Credentials?.AccessKeyId ?? '',
        secretAccessKey: Credentials?.SecretAccessKey ?? '',
        sessionToken: Credentials?.SessionToken,
      },
    });

    // Act
    const identity = await asRole.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(identity.Arn).toBe(
      'arn:aws:sts::000000000000:assumed-role/cdk-hnb659fds-deploy-role-000000000000-us-east-1/s1',
    );
    expect(identity.UserId).toMatch(/^AROA\w+:s1$/);
    await expect(asRole.send(new GetSessionTokenCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('AssumeRole of a role in the IAM store uses its RoleId and honours its MaxSessionDuration', async () => {
    // Prepare
    const role = iam.createRole({ RoleName: 'Short', Path: '/app/', AssumeRolePolicyDocument: TRUST });

    // Act
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'me' }));
    const tooLong = sts.send(
      new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'me', DurationSeconds: 7200 }),
    );

    // Assess
    expect(out.AssumedRoleUser).toEqual({
      Arn: 'arn:aws:sts::000000000000:assumed-role/Short/me',
      AssumedRoleId: `${role.RoleId}:me`,
    });
    await expect(tooLong).rejects.toThrow('exceeds the MaxSessionDuration');
  });

  it.each([
    [
      'a session name of one character',
      { RoleArn: DEPLOY_ROLE, RoleSessionName: 'x' },
      "at 'roleSessionName'",
    ],
    ['a session name with a space', { RoleArn: DEPLOY_ROLE, RoleSessionName: 'a b' }, "at 'roleSessionName'"],
    [
      'a duration under 900 s',
      { RoleArn: DEPLOY_ROLE, RoleSessionName: 'ok', DurationSeconds: 899 },
      'greater than or equal to 900',
    ],
    [
      'a duration over 12 h',
      { RoleArn: DEPLOY_ROLE, RoleSessionName: 'ok', DurationSeconds: 43201 },
      'less than or equal to 43200',
    ],
    [
      'an ARN that is not a role',
      { RoleArn: 'arn:aws:iam::000000000000:user/bob', RoleSessionName: 'ok' },
      'is invalid',
    ],
    ['a short ARN', { RoleArn: 'arn:aws:iam::0', RoleSessionName: 'ok' }, 'greater than or equal to 20'],
  ])('AssumeRole refuses %s with ValidationError (400)', async (_, input, message) => {
    // Act
    const call = sts.send(new AssumeRoleCommand(input));

    // Assess
    await expect(call).rejects.toBeInstanceOf(STSServiceException);
    await expect(call).rejects.toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    await expect(call).rejects.toThrow(message);
  });

  it.each([
    ['no duration', undefined],
    ['a day', 86400],
  ])('GetSessionToken with %s gives the root user an hour', async (_, DurationSeconds) => {
    // Prepare
    const before = Date.now();

    // Act
    const out = await sts.send(new GetSessionTokenCommand({ DurationSeconds }));

    // Assess
    const expires = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(expires - before).toBeGreaterThan(3590_000);
    expect(expires - before).toBeLessThan(3610_000);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });
});

describe('local STS through the aws CLI', () => {
  const cloud = useLocalCloud();
  const cli = findAwsCli();
  // The aws CLI takes seconds to start.
  const CLI_TIMEOUT = 120_000;

  beforeAll(() => installSts(cloud()));

  it.skipIf(!cli)(
    awsCliTitle('sts get-caller-identity', cli),
    async () => {
      // Act
      const identity = await awsCliJson(cli ?? '', cloud().endpoint, ['sts', 'get-caller-identity']);

      // Assess
      expect(identity).toEqual({
        UserId: '000000000000',
        Account: '000000000000',
        Arn: 'arn:aws:iam::000000000000:root',
      });
    },
    CLI_TIMEOUT,
  );

  it.skipIf(!cli)(
    awsCliTitle('sts assume-role', cli),
    async () => {
      // Act
      const out = await awsCliJson(cli ?? '', cloud().endpoint, [
        'sts',
        'assume-role',
        '--role-arn',
        DEPLOY_ROLE,
        '--role-session-name',
        'cli',
      ]);

      // Assess
      expect(out).toMatchObject({
        Credentials: { AccessKeyId: expect.stringMatching(/^ASIA/), Expiration: expect.any(String) },
        AssumedRoleUser: { Arn: expect.stringMatching(/assumed-role\/cdk-hnb659fds-deploy-role-.*\/cli$/) },
      });
    },
    CLI_TIMEOUT,
  );

  it.skipIf(!cli)(
    awsCliTitle('a refused call exits non-zero with the error code', cli),
    async () => {
      // Act
      const result = await runAwsCli(cli ?? '', cloud().endpoint, [
        'sts',
        'assume-role',
        '--role-arn',
        DEPLOY_ROLE,
        '--role-session-name',
        'x y',
      ]);

      // Assess
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('(ValidationError)');
    },
    CLI_TIMEOUT,
  );
});
