import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsCliJson, awsCliTitle, findAwsCli, runAwsCli } from '../../testing/aws-cli.ts';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { installSsm } from './index.ts';
import { SsmStore } from './store.ts';

const BOOTSTRAP = '/cdk-bootstrap/hnb659fds/version';

describe('local Parameter Store through the real SDK client', () => {
  const cloud = useLocalCloud();
  const store = new SsmStore();
  let ssm: SSMClient;

  beforeAll(() => {
    installSsm(cloud(), store);
    ssm = new SSMClient(clientConfig(cloud()));
  });

  it('reads the CDK bootstrap version as the CDK CLI does', async () => {
    // Prepare
    store.putParameter({ Name: BOOTSTRAP, Value: '30', Type: 'String' });

    // Act
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: BOOTSTRAP }));

    // Assess
    expect(Parameter).toMatchObject({
      Name: BOOTSTRAP,
      Type: 'String',
      Value: '30',
      Version: 1,
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/cdk-bootstrap/hnb659fds/version',
      DataType: 'text',
    });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    expect(Math.abs((Parameter?.LastModifiedDate?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('puts, overwrites and versions a parameter', async () => {
    // Act
    const first = await ssm.send(
      new PutParameterCommand({ Name: '/app/color', Value: 'red', Type: 'String' }),
    );
    const again = ssm.send(new PutParameterCommand({ Name: '/app/color', Value: 'blue', Type: 'String' }));
    await expect(again).rejects.toBeInstanceOf(ParameterAlreadyExists);
    const second = await ssm.send(
      new PutParameterCommand({ Name: '/app/color', Value: 'blue & <green>', Overwrite: true }),
    );
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/app/color' }));

    // Assess
    expect([first.Version, second.Version, second.Tier]).toEqual([1, 2, 'Standard']);
    expect(Parameter).toMatchObject({ Value: 'blue & <green>', Version: 2 });
  });

  it('decrypts a SecureString only when asked', async () => {
    // Prepare
    await ssm.send(new PutParameterCommand({ Name: '/app/secret', Value: 'unicorn', Type: 'SecureString' }));

    // Act
    const hidden = await ssm.send(new GetParameterCommand({ Name: '/app/secret' }));
    const shown = await ssm.send(new GetParameterCommand({ Name: '/app/secret', WithDecryption: true }));

    // Assess
    expect(hidden.Parameter?.Value).not.toBe('unicorn');
    expect(shown.Parameter?.Value).toBe('unicorn');
  });

  it('GetParameters answers the names it lacks as InvalidParameters', async () => {
    // Prepare
    await ssm.send(new PutParameterCommand({ Name: '/multi/a', Value: 'a', Type: 'String' }));

    // Act
    const out = await ssm.send(new GetParametersCommand({ Names: ['/multi/a', '/multi/missing'] }));

    // Assess
    expect(out.Parameters?.map((p) => p.Name)).toEqual(['/multi/a']);
    expect(out.InvalidParameters).toEqual(['/multi/missing']);
  });

  it('GetParametersByPath lists a hierarchy, recursively when asked', async () => {
    // Prepare
    for (const Name of ['/tree/a', '/tree/b', '/tree/sub/c']) {
      await ssm.send(new PutParameterCommand({ Name, Value: Name, Type: 'StringList' }));
    }

    // Act
    const shallow = await ssm.send(new GetParametersByPathCommand({ Path: '/tree' }));
    const deep = await ssm.send(new GetParametersByPathCommand({ Path: '/tree', Recursive: true }));

    // Assess
    expect(shallow.Parameters?.map((p) => p.Name)).toEqual(['/tree/a', '/tree/b']);
    expect(deep.Parameters?.map((p) => p.Name)).toEqual(['/tree/a', '/tree/b', '/tree/sub/c']);
  });

  it('deletes a parameter; reading it then is ParameterNotFound (400)', async () => {
    // Prepare
    await ssm.send(new PutParameterCommand({ Name: '/gone', Value: 'x', Type: 'String' }));

    // Act
    await ssm.send(new DeleteParameterCommand({ Name: '/gone' }));
    const call = ssm.send(new GetParameterCommand({ Name: '/gone' }));

    // Assess
    await expect(call).rejects.toBeInstanceOf(ParameterNotFound);
    await expect(call).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });
});

describe('local Parameter Store through the aws CLI', () => {
  const cloud = useLocalCloud();
  const cli = findAwsCli();
  // The aws CLI takes seconds to start.
  const CLI_TIMEOUT = 120_000;
  const aws = (args: string[]) => awsCliJson(cli ?? '', cloud().endpoint, args);

  beforeAll(() => installSsm(cloud(), new SsmStore()));

  it.skipIf(!cli)(
    awsCliTitle('ssm put-parameter, get-parameter, get-parameters-by-path', cli),
    async () => {
      // Act
      const put = await aws([
        'ssm',
        'put-parameter',
        '--name',
        BOOTSTRAP,
        '--value',
        '30',
        '--type',
        'String',
      ]);
      const got = await aws(['ssm', 'get-parameter', '--name', BOOTSTRAP]);
      const listed = await aws(['ssm', 'get-parameters-by-path', '--path', '/cdk-bootstrap', '--recursive']);

      // Assess
      expect(put).toMatchObject({ Version: 1 });
      expect(got).toMatchObject({ Parameter: { Name: BOOTSTRAP, Value: '30', Type: 'String', Version: 1 } });
      expect(listed).toMatchObject({ Parameters: [{ Name: BOOTSTRAP, Value: '30' }] });
    },
    CLI_TIMEOUT,
  );

  it.skipIf(!cli)(
    awsCliTitle('ssm get-parameter of an unknown name exits non-zero with ParameterNotFound', cli),
    async () => {
      // Act
      const result = await runAwsCli(cli ?? '', cloud().endpoint, [
        'ssm',
        'get-parameter',
        '--name',
        '/nope',
      ]);

      // Assess
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('(ParameterNotFound)');
    },
    CLI_TIMEOUT,
  );
});
