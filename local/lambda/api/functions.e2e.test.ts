import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../../testing/lambda.ts';
import { clientConfig, eventually, useLocalCloud } from '../../../testing/local-cloud.ts';
import { answering, createItemsTable, DYNAMODB_WRITER, ESM_ECHO, zipOf } from '../fixtures/zips.ts';
import { LambdaService } from '../service.ts';

const ROLE = 'arn:aws:iam::000000000000:role/x';
const TABLE = 'api-items';
const BUCKET = 'api-code';

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

/** The error a call fails with (the test fails if it succeeds). */
const failure = (call: Promise<unknown>): Promise<AwsError> =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: AwsError) => err,
  );

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
const payloadOf = (out: { Payload?: Uint8Array }) => parse(Buffer.from(out.Payload ?? []).toString());

describe('CreateFunction, UpdateFunctionCode/Configuration and DeleteFunction through @aws-sdk/client-lambda', () => {
  const cloud = useLocalCloud();
  let service: LambdaService;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;
  let codeRoot: string;
  /** The code directories the service has unpacked and not yet removed. */
  const unpacked = () => readdir(codeRoot);
  const create = (input: Partial<CreateFunctionCommandInput> & { FunctionName: string }) =>
    lambda.send(
      new CreateFunctionCommand({
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: zipOf({ 'index.js': answering('hello') }) },
        ...input,
      }),
    );

  beforeAll(async () => {
    codeRoot = await mkdtemp(join(tmpdir(), 'lambda-code-'));
    service = new LambdaService({ endpoint: cloud().endpoint, codeRoot });
    cloud().register('lambda', service.handle);
    lambda = new LambdaClient(clientConfig(cloud()));
    dynamodb = new DynamoDBClient(clientConfig(cloud()));
    await createItemsTable(dynamodb, TABLE);
    const s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'fn.zip',
        Body: zipOf({ 'index.js': answering('from S3') }),
      }),
    );
  });
  afterAll(async () => {
    await service.stop();
    await rm(codeRoot, { recursive: true, force: true });
  });

  it('creates a CommonJS function from an uploaded zip; it writes to DynamoDB with the runtime SDK', async () => {
    // Prepare
    const zip = zipOf({ 'index.js': DYNAMODB_WRITER });

    // Act
    const created = await create({
      FunctionName: 'api-writer',
      Code: { ZipFile: zip },
      Environment: { Variables: { TABLE_NAME: TABLE } },
      Timeout: 10,
    });
    const invoked = await lambda.send(
      new InvokeCommand({
        FunctionName: 'api-writer',
        Payload: JSON.stringify({ id: 'direct', data: 'hello' }),
      }),
    );

    // Assess
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({
      FunctionName: 'api-writer',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:api-writer',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Timeout: 10,
      MemorySize: 128,
      CodeSize: zip.byteLength,
      CodeSha256: sha256(zip),
      State: 'Pending',
      StateReasonCode: 'Creating',
      PackageType: 'Zip',
    });
    const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: 'api-writer' }));
    expect(Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(invoked.FunctionError).toBeUndefined();
    expect(payloadOf(invoked)).toEqual({ written: 1, version: 'v1' });
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'direct' } } }),
    );
    expect(Item?.data?.S).toBe('hello');
  });

  it('runs an ES module package that imports the runtime SDK', async () => {
    // Prepare
    await create({ FunctionName: 'api-esm', Code: { ZipFile: zipOf({ 'index.mjs': ESM_ECHO }) } });

    // Act
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'api-esm', Payload: '{"n":1}' }));

    // Assess
    expect(payloadOf(out)).toEqual({ format: 'esm', sdk: 'function', event: { n: 1 } });
  });

  it('creates a function from a zip in S3', async () => {
    // Act
    await create({ FunctionName: 'api-from-s3', Code: { S3Bucket: BUCKET, S3Key: 'fn.zip' } });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'api-from-s3' }));

    // Assess
    expect(payloadOf(out)).toBe('from S3');
  });

  it('accepts a package without the handler file and fails at invoke, as AWS does', async () => {
    // Prepare
    await create({ FunctionName: 'api-no-index', Code: { ZipFile: zipOf({ 'main.js': answering('x') }) } });

    // Act
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'api-no-index' }));

    // Assess
    expect(out.FunctionError).toBe('Unhandled');
    expect(payloadOf(out)).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'index'",
    });
  });

  it('refuses a second function of the same name', async () => {
    // Prepare
    await create({ FunctionName: 'api-twice' });

    // Act
    const error = await failure(create({ FunctionName: 'api-twice' }));

    // Assess
    expect(error.name).toBe('ResourceConflictException');
    expect(error.$metadata?.httpStatusCode).toBe(409);
    expect(error.message).toBe('Function already exist: api-twice');
  });

  it.each<[string, Partial<CreateFunctionCommandInput>, string, RegExp]>([
    [
      'a runtime the local cloud does not run',
      { Runtime: 'python3.12' },
      'InvalidParameterValueException',
      /^Value python3\.12 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs18\.x, nodejs20\.x, nodejs22\.x, nodejs24\.x\]/,
    ],
    [
      'a retired Node.js runtime',
      { Runtime: 'nodejs16.x' },
      'InvalidParameterValueException',
      /^The runtime parameter of nodejs16\.x is no longer supported for creating or updating AWS Lambda functions/,
    ],
    [
      'a role that is not a role ARN',
      { Role: 'lambda-role' },
      'ValidationException',
      /^1 validation error detected: Value 'lambda-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    ],
    ['no role', { Role: undefined }, 'ValidationException', /Value null at 'role'.*must not be null/],
    ['a timeout of 0 s', { Timeout: 0 }, 'ValidationException', /'timeout'.*greater than or equal to 1$/],
    ['a timeout of 901 s', { Timeout: 901 }, 'ValidationException', /'timeout'.*less than or equal to 900$/],
    [
      '64 MB of memory',
      { MemorySize: 64 },
      'ValidationException',
      /'memorySize'.*greater than or equal to 128$/,
    ],
    [
      '10241 MB of memory',
      { MemorySize: 10_241 },
      'ValidationException',
      /'memorySize'.*less than or equal to 10240$/,
    ],
    [
      'no handler',
      { Handler: undefined },
      'InvalidParameterValueException',
      /^Runtime and Handler are mandatory parameters/,
    ],
    [
      'no code source',
      { Code: {} },
      'InvalidParameterValueException',
      /^Please provide a source for function code\.$/,
    ],
    [
      'bytes that are not a zip',
      { Code: { ZipFile: Buffer.from('not a zip') } },
      'InvalidParameterValueException',
      /^Could not unzip uploaded file\. Please check your file, then try to upload again\.$/,
    ],
    [
      'a zip entry outside the package',
      { Code: { ZipFile: zipOf({ '../../escape.js': 'x' }) } },
      'InvalidParameterValueException',
      /points outside the package/,
    ],
    [
      'a zip missing from S3',
      { Code: { S3Bucket: BUCKET, S3Key: 'missing.zip' } },
      'InvalidParameterValueException',
      /^Error occurred while GetObject\. S3 Error Code: NoSuchKey\./,
    ],
    [
      'a reserved environment variable',
      { Environment: { Variables: { AWS_REGION: 'eu-west-1' } } },
      'InvalidParameterValueException',
      /reserved keys that are currently not supported for modification\. Reserved keys used in this request: AWS_REGION$/,
    ],
  ])('refuses %s as AWS does, leaving nothing behind', async (_, input, name, message) => {
    // Act
    const error = await failure(create({ FunctionName: 'api-invalid', ...input }));

    // Assess
    expect(error.name).toBe(name);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(message);
    expect(await unpacked()).not.toContainEqual(expect.stringContaining('api-invalid'));
    expect(service.logs('api-invalid')).toEqual([]);
  });

  it('updates the code: the next invocation runs it, the old directory is removed', async () => {
    // Prepare
    await create({ FunctionName: 'api-code', Code: { ZipFile: zipOf({ 'index.js': answering('v1') }) } });
    const before = await unpacked();
    const zip = zipOf({ 'index.js': answering('v2') });

    // Act
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'api-code', ZipFile: zip }),
    );
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'api-code' }));

    // Assess
    expect(updated).toMatchObject({
      CodeSha256: sha256(zip),
      CodeSize: zip.byteLength,
      State: 'Active',
      LastUpdateStatus: 'InProgress',
    });
    expect(payloadOf(out)).toBe('v2');
    const old = before.filter((d) => d.includes('api-code'));
    expect(old).toHaveLength(1);
    await eventually(async () => ((await unpacked()).some((d) => old.includes(d)) ? undefined : true));
    expect((await unpacked()).filter((d) => d.includes('api-code'))).toHaveLength(1);
  });

  it('updates the configuration: environment, timeout, description; the code stays', async () => {
    // Prepare
    await create({
      FunctionName: 'api-config',
      Code: { ZipFile: zipOf({ 'index.js': DYNAMODB_WRITER }) },
      Environment: { Variables: { TABLE_NAME: TABLE } },
    });
    const { CodeSha256 } = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'api-config' }),
    );

    // Act
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'api-config',
        Environment: { Variables: { TABLE_NAME: TABLE, VERSION: 'v2' } },
        Timeout: 15,
        Description: 'writes items',
      }),
    );
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'api-config', Payload: JSON.stringify({ id: 'config', data: 'x' }) }),
    );

    // Assess
    expect(updated).toMatchObject({
      Timeout: 15,
      Description: 'writes items',
      LastUpdateStatus: 'InProgress',
    });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'api-config' }));
    expect(config).toMatchObject({
      Timeout: 15,
      Description: 'writes items',
      CodeSha256,
      Environment: { Variables: { TABLE_NAME: TABLE, VERSION: 'v2' } },
      LastUpdateStatus: 'Successful',
    });
    expect(payloadOf(out)).toEqual({ written: 1, version: 'v2' });
  });

  it.each<[string, () => Promise<unknown>, string]>([
    [
      'a retired runtime',
      () =>
        lambda.send(
          new UpdateFunctionConfigurationCommand({ FunctionName: 'api-twice', Runtime: 'nodejs14.x' }),
        ),
      'InvalidParameterValueException',
    ],
    [
      'a stale RevisionId',
      () =>
        lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: 'api-twice',
            Timeout: 5,
            RevisionId: 'stale',
          }),
        ),
      'PreconditionFailedException',
    ],
    [
      'code for a function that does not exist',
      () =>
        lambda.send(
          new UpdateFunctionCodeCommand({ FunctionName: 'api-nobody', ZipFile: zipOf({ 'index.js': 'x' }) }),
        ),
      'ResourceNotFoundException',
    ],
  ])('refuses an update with %s', async (_, call, name) => {
    // Act
    const error = await failure(call());

    // Assess
    expect(error.name).toBe(name);
  });

  it('deletes a function with 204 and removes its unpacked code', async () => {
    // Prepare
    await create({ FunctionName: 'api-delete' });
    await lambda.send(new InvokeCommand({ FunctionName: 'api-delete' }));

    // Act
    const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'api-delete' }));

    // Assess
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const error = await failure(lambda.send(new GetFunctionCommand({ FunctionName: 'api-delete' })));
    expect(error.name).toBe('ResourceNotFoundException');
    await eventually(async () =>
      (await unpacked()).some((d) => d.includes('api-delete')) ? undefined : true,
    );
  });
});
