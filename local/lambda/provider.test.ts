import { describe, expect, it } from 'vitest';
import { UnsupportedPropertyError } from '../cloudformation/errors.ts';
import type { ValidateContext } from '../cloudformation/providers/types.ts';
import { lambdaFunctionProvider } from './provider.ts';

const ctx: ValidateContext = {
  stackName: 'Demo',
  logicalId: 'Fn',
  assemblyDir: '/out',
  assets: {},
  customResourceProvider: false,
  at: { stack: 'Demo', logicalId: 'Fn' },
  resource: { Type: 'AWS::Lambda::Function' },
};

describe('lambdaFunctionProvider.validate', () => {
  it.each<[string, Record<string, unknown>]>([
    ['inline code (Code.ZipFile)', { Code: { ZipFile: 'exports.handler = async () => 1;' } }],
    [
      'inline code built with an intrinsic',
      { Code: { ZipFile: { 'Fn::Join': ['', ['exports.handler=', '1']] } } },
    ],
    ['a zip in S3 that is not a CDK asset', { Code: { S3Bucket: 'my-code', S3Key: 'fn.zip' } }],
  ])('accepts %s, read when the function is created', (_, props) => {
    // Act
    const act = () => lambdaFunctionProvider.validate?.({ Runtime: 'nodejs22.x', ...props }, ctx);

    // Assess
    expect(act).not.toThrow();
  });

  it.each<[string, Record<string, unknown>]>([
    ['no code at all', {}],
    ['an S3 bucket without a key', { Code: { S3Bucket: 'my-code' } }],
    ['a runtime other than Node.js', { Runtime: 'python3.13', Code: { ZipFile: 'def handler(e, c): pass' } }],
  ])('refuses %s', (_, props) => {
    // Act
    const act = () => lambdaFunctionProvider.validate?.({ Runtime: 'nodejs22.x', ...props }, ctx);

    // Assess
    expect(act).toThrow(UnsupportedPropertyError);
  });
});
