import { describe, expect, it } from 'vitest';
import { TemplateError } from '../cloudformation/errors.ts';
import type { ProviderContext, ResourceRecord } from '../cloudformation/providers/types.ts';
import { ssmParameterProvider } from './provider.ts';
import { SsmStore } from './store.ts';

const ctx = (logicalId = 'CdkBootstrapVersion'): ProviderContext => ({
  stackName: 'CDKToolkit',
  logicalId,
  assemblyDir: '/out',
  assets: {},
  customResourceProvider: false,
  at: { stack: 'CDKToolkit', logicalId },
  clients: {} as ProviderContext['clients'],
  lambda: {} as ProviderContext['lambda'],
  events: {} as ProviderContext['events'],
});

const BOOTSTRAP = { Name: '/cdk-bootstrap/hnb659fds/version', Type: 'String', Value: '30' };

const recordOf = (physicalId: string, properties: Record<string, unknown>): ResourceRecord => ({
  type: 'AWS::SSM::Parameter',
  physicalId,
  ref: physicalId,
  attributes: {},
  properties,
  dependsOn: [],
});

describe('AWS::SSM::Parameter', () => {
  it('creates the CDK bootstrap version parameter: Ref is the name, GetAtt Type and Value', async () => {
    // Prepare
    const store = new SsmStore();
    const provider = ssmParameterProvider(store);

    // Act
    const result = await provider.create(BOOTSTRAP, ctx());

    // Assess
    expect(result).toEqual({
      physicalId: BOOTSTRAP.Name,
      ref: BOOTSTRAP.Name,
      attributes: { Type: 'String', Value: '30' },
    });
    expect(store.getParameter(BOOTSTRAP.Name)).toMatchObject({ Value: '30', Version: 1 });
  });

  it('names an unnamed parameter after the stack and logical id', async () => {
    // Prepare
    const provider = ssmParameterProvider(new SsmStore());

    // Act
    const result = await provider.create({ Type: 'StringList', Value: 'a,b' }, ctx('Colors'));

    // Assess
    expect(result.ref).toBe('CDKToolkit-Colors');
    expect(provider.nameOf?.({ Type: 'StringList', Value: 'a,b' }, ctx('Colors'))).toBe('CDKToolkit-Colors');
  });

  it('updates in place as a new version, with its tags', async () => {
    // Prepare
    const store = new SsmStore();
    const provider = ssmParameterProvider(store);
    await provider.create({ ...BOOTSTRAP, Tags: { team: 'a' } }, ctx());

    // Act
    const result = await provider.update?.(
      { ...BOOTSTRAP, Value: '31', Tags: { team: 'b' } },
      recordOf(BOOTSTRAP.Name, BOOTSTRAP),
      ['Value', 'Tags'],
      ctx(),
    );

    // Assess
    expect(result?.attributes).toEqual({ Type: 'String', Value: '31' });
    expect(store.getParameter(BOOTSTRAP.Name)).toMatchObject({ Value: '31', Version: 2 });
    expect(store.tagsOf(BOOTSTRAP.Name)).toEqual([{ Key: 'team', Value: 'b' }]);
  });

  it('adopts a parameter of the same name already in the store', async () => {
    // Prepare
    const store = new SsmStore();
    store.putParameter({ Name: BOOTSTRAP.Name, Value: '29', Type: 'String' });

    // Act
    await ssmParameterProvider(store).create(BOOTSTRAP, ctx());

    // Assess
    expect(store.getParameter(BOOTSTRAP.Name)).toMatchObject({ Value: '30', Version: 2 });
  });

  it('deletes it, and a second delete is a no-op', async () => {
    // Prepare
    const store = new SsmStore();
    const provider = ssmParameterProvider(store);
    await provider.create(BOOTSTRAP, ctx());

    // Act
    await provider.delete(recordOf(BOOTSTRAP.Name, BOOTSTRAP), ctx());
    await provider.delete(recordOf(BOOTSTRAP.Name, BOOTSTRAP), ctx());

    // Assess
    expect(store.getParameters([BOOTSTRAP.Name]).InvalidParameters).toEqual([BOOTSTRAP.Name]);
  });

  it.each([
    ['SecureString', { Type: 'SecureString', Value: 'x' }],
    ['no type', { Value: 'x' }],
  ])('refuses %s before anything is created', (_, props) => {
    // Prepare
    const provider = ssmParameterProvider(new SsmStore());

    // Act
    const act = () => provider.validate?.(props, ctx());

    // Assess
    expect(act).toThrow(TemplateError);
  });
});
