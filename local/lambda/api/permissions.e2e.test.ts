import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddPermissionCommand,
  type AddPermissionCommandInput,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetPolicyCommand,
  LambdaClient,
  RemovePermissionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, useLocalCloud } from '../../../testing/local-cloud.ts';
import { answering, zipOf } from '../fixtures/zips.ts';
import { LambdaService } from '../service.ts';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:perm-fn';

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

/** The error a call fails with (the test fails if it succeeds). */
const failure = (call: Promise<unknown>): Promise<AwsError> =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: AwsError) => err,
  );

describe('AddPermission, GetPolicy and RemovePermission through @aws-sdk/client-lambda', () => {
  const cloud = useLocalCloud();
  let service: LambdaService;
  let lambda: LambdaClient;
  let codeRoot: string;

  const createFunction = () =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'perm-fn',
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/x',
        Code: { ZipFile: zipOf({ 'index.js': answering('ok') }) },
      }),
    );
  const add = (input: Partial<AddPermissionCommandInput> & { StatementId: string }) =>
    lambda.send(
      new AddPermissionCommand({
        FunctionName: 'perm-fn',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        ...input,
      }),
    );
  const policy = async () =>
    JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'perm-fn' }))).Policy ?? '{}');

  beforeAll(async () => {
    codeRoot = await mkdtemp(join(tmpdir(), 'lambda-code-'));
    service = new LambdaService({ endpoint: cloud().endpoint, codeRoot });
    cloud().register('lambda', service.handle);
    lambda = new LambdaClient(clientConfig(cloud()));
    await createFunction();
  });
  afterAll(async () => {
    await service.stop();
    await rm(codeRoot, { recursive: true, force: true });
  });

  it('adds a statement with 201 and answers it as AWS writes it', async () => {
    // Act
    const out = await add({
      StatementId: 's3-invoke',
      SourceArn: 'arn:aws:s3:::wildrydes-uploads',
      SourceAccount: '000000000000',
    });

    // Assess
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(out.Statement ?? '')).toEqual({
      Sid: 's3-invoke',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: ARN,
      Condition: {
        StringEquals: { 'AWS:SourceAccount': '000000000000' },
        ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::wildrydes-uploads' },
      },
    });
  });

  it.each<[string, string, string, unknown]>([
    ['an account', '111122223333', 'principal-111122223333', { AWS: 'arn:aws:iam::111122223333:root' }],
    ['everyone', '*', 'principal-all', '*'],
  ])('names %s as a principal as AWS does', async (_, principal, sid, expected) => {
    // Act
    const out = await add({ StatementId: sid, Principal: principal });

    // Assess
    expect(JSON.parse(out.Statement ?? '').Principal).toEqual(expected);
  });

  it('returns every statement in one policy document', async () => {
    // Act
    const document = await policy();

    // Assess
    expect(document).toMatchObject({ Version: '2012-10-17', Id: 'default' });
    expect(document.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      's3-invoke',
      'principal-111122223333',
      'principal-all',
    ]);
  });

  it.each<[string, () => Promise<unknown>, string, number, RegExp]>([
    [
      'a statement id in use',
      () => add({ StatementId: 's3-invoke' }),
      'ResourceConflictException',
      409,
      /^The statement id \(s3-invoke\) provided already exists\./,
    ],
    [
      'an action that is not a Lambda action',
      () => add({ StatementId: 'bad-action', Action: 'invoke' }),
      'ValidationException',
      400,
      /Value 'invoke' at 'action' failed to satisfy constraint/,
    ],
    [
      'a function that does not exist',
      () => add({ StatementId: 'x', FunctionName: 'perm-nobody' }),
      'ResourceNotFoundException',
      404,
      /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:perm-nobody$/,
    ],
    [
      'removing a statement that is not there',
      () => lambda.send(new RemovePermissionCommand({ FunctionName: 'perm-fn', StatementId: 'nope' })),
      'ResourceNotFoundException',
      404,
      /^Statement nope is not found in resource policy\.$/,
    ],
  ])('refuses %s', async (_, call, name, status, message) => {
    // Act
    const error = await failure(call());

    // Assess
    expect(error.name).toBe(name);
    expect(error.$metadata?.httpStatusCode).toBe(status);
    expect(error.message).toMatch(message);
  });

  it('keeps the policy when the function is updated', async () => {
    // Act
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'perm-fn', Timeout: 9 }));

    // Assess
    expect((await policy()).Statement).toHaveLength(3);
  });

  it('removes statements with 204; with the last one the policy is gone', async () => {
    // Act
    const removed = await lambda.send(
      new RemovePermissionCommand({ FunctionName: 'perm-fn', StatementId: 's3-invoke' }),
    );
    const left = (await policy()).Statement;
    for (const sid of ['principal-111122223333', 'principal-all']) {
      await lambda.send(new RemovePermissionCommand({ FunctionName: 'perm-fn', StatementId: sid }));
    }

    // Assess
    expect(removed.$metadata.httpStatusCode).toBe(204);
    expect(left).toHaveLength(2);
    const error = await failure(lambda.send(new GetPolicyCommand({ FunctionName: 'perm-fn' })));
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('forgets the policy with the function', async () => {
    // Prepare
    await add({ StatementId: 'before-delete' });

    // Act
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'perm-fn' }));
    await createFunction();

    // Assess
    const error = await failure(lambda.send(new GetPolicyCommand({ FunctionName: 'perm-fn' })));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
