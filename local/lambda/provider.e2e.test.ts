import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../testing/lambda.ts';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';
import { LocalDeployer } from '../cloudformation/deployer.ts';
import type { CfnTemplate } from '../cloudformation/template.ts';
import { inlineZip } from './code/store.ts';
import { answering, zipOf } from './fixtures/zips.ts';
import { LambdaService } from './service.ts';

const ROLE = 'arn:aws:iam::000000000000:role/x';
const INLINE = 'exports.handler = async (event) => ({ inline: true, event });';

const fn = (name: string, code: Record<string, unknown>) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: code },
});

describe('AWS::Lambda::Function with inline code or a zip in S3, as `cdk deploy` and hand-written templates give them', () => {
  const cloud = useLocalCloud();
  let service: LambdaService;
  let deployer: LocalDeployer;
  let lambda: LambdaClient;
  const zip = zipOf({ 'index.js': answering('from S3') });
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
  const codeDir = async (name: string) => {
    const { Code } = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    return fileURLToPath(Code?.Location ?? '');
  };

  beforeAll(async () => {
    service = new LambdaService({ endpoint: cloud().endpoint });
    cloud().register('lambda', service.handle);
    deployer = new LocalDeployer({
      endpoint: cloud().endpoint,
      lambda: service,
      events: { putRule: async () => ({ ruleArn: '' }), deleteRule: async () => {} },
    });
    lambda = new LambdaClient(clientConfig(cloud()));
    const s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'cfn-code' }));
    await s3.send(new PutObjectCommand({ Bucket: 'cfn-code', Key: 'fn.zip', Body: zip }));
  });
  afterAll(async () => {
    await deployer.close();
    await service.stop();
  });

  it('runs inline code as index.js and a zip from S3, and removes their code with the stack', async () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        Inline: fn('cfn-inline', { ZipFile: INLINE }),
        FromS3: fn('cfn-s3', { S3Bucket: 'cfn-code', S3Key: 'fn.zip' }),
      },
    };

    // Act
    await deployer.deployStack({ stackName: 'Code', template });
    const inline = await service.invoke('cfn-inline', { n: 1 });
    const fromS3 = await service.invoke('cfn-s3', {});
    const dirs = [await codeDir('cfn-inline'), await codeDir('cfn-s3')];
    const shas = await Promise.all(
      ['cfn-inline', 'cfn-s3'].map(
        async (name) =>
          (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration?.CodeSha256,
      ),
    );
    await deployer.destroy('Code');

    // Assess
    expect(parse(inline.payload)).toEqual({ inline: true, event: { n: 1 } });
    expect(parse(fromS3.payload)).toBe('from S3');
    expect(shas).toEqual([sha256(inlineZip(INLINE)), sha256(zip)]);
    await eventually(async () => (dirs.some((d) => existsSync(d)) ? undefined : true));
  });

  it("fails the deploy with S3's error when the zip is not there, leaving no function", async () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: { Missing: fn('cfn-missing', { S3Bucket: 'cfn-code', S3Key: 'nope.zip' }) },
    };

    // Act
    const error = await deployer.deployStack({ stackName: 'Missing', template }).catch((err: Error) => err);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('Error occurred while GetObject. S3 Error Code: NoSuchKey');
    const gone = await lambda
      .send(new GetFunctionCommand({ FunctionName: 'cfn-missing' }))
      .catch((err: Error) => err);
    expect((gone as Error).name).toBe('ResourceNotFoundException');
    await deployer.destroy('Missing').catch(() => false);
  });
});
