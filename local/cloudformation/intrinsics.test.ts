// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation Fn::Sub strings, not JS templates
import { describe, expect, it } from 'vitest';
import { TemplateError, UnsupportedIntrinsicError } from './errors.ts';
import { evaluateCondition, findReferences, type IntrinsicContext, parseSub, resolve } from './intrinsics.ts';

/** A context over a few fixed resources, parameters, exports and conditions. */
const context = (): IntrinsicContext => {
  const refs: Record<string, unknown> = {
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': '000000000000',
    'AWS::Partition': 'aws',
    'AWS::StackName': 'Demo',
    Queue: 'http://127.0.0.1:4566/000000000000/demo',
    Stream: 'wildrydes',
    Env: 'dev',
    Count: '2',
    Subnets: ['a', 'b'],
  };
  const atts: Record<string, string> = {
    'Stream.Arn': 'arn:aws:kinesis:us-east-1:000000000000:stream/wildrydes',
    'Queue.Arn': 'arn:aws:sqs:us-east-1:000000000000:demo',
    'Db.Endpoint.Address': 'db.local',
  };
  const exports: Record<string, string> = { SharedTopic: 'arn:aws:sns:us-east-1:000000000000:alerts' };
  const conditions: Record<string, boolean> = { IsDev: true, IsProd: false };
  return {
    ref: (name, at) => {
      if (name in refs) return refs[name];
      throw new TemplateError(`no ${name}`, at);
    },
    getAtt: (id, attr, at) => {
      const value = atts[`${id}.${attr}`];
      if (value === undefined) throw new TemplateError(`no ${id}.${attr}`, at);
      return value;
    },
    importValue: (name, at) => {
      if (name in exports) return exports[name];
      throw new TemplateError(`no export ${name}`, at);
    },
    condition: (name) => conditions[name] === true,
    mappings: { Sizes: { dev: { Shards: 1 }, prod: { Shards: 4 } } },
  };
};

describe('resolve', () => {
  it.each([
    ['a plain value', { a: 1, b: ['x', true] }, { a: 1, b: ['x', true] }],
    ['Ref to a resource', { Ref: 'Stream' }, 'wildrydes'],
    ['Ref to a pseudo parameter', { Ref: 'AWS::Region' }, 'us-east-1'],
    ['Ref to a parameter', { Ref: 'Env' }, 'dev'],
    ['Ref AWS::NoValue drops an object key', { a: 1, b: { Ref: 'AWS::NoValue' } }, { a: 1 }],
    ['Ref AWS::NoValue drops a list element', ['a', { Ref: 'AWS::NoValue' }, 'b'], ['a', 'b']],
    [
      'Fn::GetAtt as a list',
      { 'Fn::GetAtt': ['Stream', 'Arn'] },
      'arn:aws:kinesis:us-east-1:000000000000:stream/wildrydes',
    ],
    ['Fn::GetAtt as a string', { 'Fn::GetAtt': 'Queue.Arn' }, 'arn:aws:sqs:us-east-1:000000000000:demo'],
    ['Fn::GetAtt with a dotted attribute', { 'Fn::GetAtt': 'Db.Endpoint.Address' }, 'db.local'],
    ['Fn::Join', { 'Fn::Join': ['-', ['a', { Ref: 'Env' }, 3]] }, 'a-dev-3'],
    [
      'Fn::Join nested in Fn::Join',
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::Join': ['-', ['b', { Ref: 'Env' }]] }],
        ],
      },
      'arn:aws:s3:::b-dev',
    ],
    ['Fn::Join over a list from Fn::Split', { 'Fn::Join': ['+', { 'Fn::Split': [',', 'a,b,c'] }] }, 'a+b+c'],
    [
      'Fn::Sub with pseudo parameters',
      { 'Fn::Sub': 'cdk-${AWS::AccountId}-${AWS::Region}' },
      'cdk-000000000000-us-east-1',
    ],
    [
      'Fn::Sub with Ref and GetAtt',
      { 'Fn::Sub': '${Stream} is ${Stream.Arn}' },
      'wildrydes is arn:aws:kinesis:us-east-1:000000000000:stream/wildrydes',
    ],
    ['Fn::Sub keeps ${!Literal}', { 'Fn::Sub': '${!Literal} in ${Env}' }, '${Literal} in dev'],
    [
      'Fn::Sub with a variable map',
      { 'Fn::Sub': ['${Name}-${Env}', { Name: { Ref: 'Stream' } }] },
      'wildrydes-dev',
    ],
    ['Fn::Sub variable map shadows a parameter', { 'Fn::Sub': ['${Env}', { Env: 'prod' }] }, 'prod'],
    ['Fn::Select', { 'Fn::Select': [1, ['a', 'b', 'c']] }, 'b'],
    ['Fn::Select with a string index and a Ref list', { 'Fn::Select': ['0', { Ref: 'Subnets' }] }, 'a'],
    [
      'Fn::Select of Fn::Split (stream name from an ARN)',
      { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Stream', 'Arn'] }] }] },
      'wildrydes',
    ],
    ['Fn::Split', { 'Fn::Split': [':', 'a:b'] }, ['a', 'b']],
    ['Fn::ImportValue', { 'Fn::ImportValue': 'SharedTopic' }, 'arn:aws:sns:us-east-1:000000000000:alerts'],
    ['Fn::ImportValue of a Fn::Sub name', { 'Fn::ImportValue': { 'Fn::Sub': 'Shared${!x}' } }, undefined],
    ['Fn::If true', { 'Fn::If': ['IsDev', 'small', 'large'] }, 'small'],
    ['Fn::If false', { 'Fn::If': ['IsProd', 'large', 'small'] }, 'small'],
    [
      'Fn::If to AWS::NoValue drops the key',
      { k: { 'Fn::If': ['IsProd', 'x', { Ref: 'AWS::NoValue' }] } },
      {},
    ],
    ['Fn::Equals compares strings', { 'Fn::Equals': [{ Ref: 'Count' }, 2] }, true],
    ['Fn::Not', { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] }] }, false],
    ['Fn::And', { 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'a'] }] }, true],
    ['Fn::Or', { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'b'] }] }, false],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Shards'] }, 1],
    ['Fn::Base64', { 'Fn::Base64': { 'Fn::Sub': 'hi ${Env}' } }, Buffer.from('hi dev').toString('base64')],
    ['Fn::GetAZs', { 'Fn::GetAZs': '' }, ['us-east-1a', 'us-east-1b', 'us-east-1c']],
  ])('%s', (_name, input, expected) => {
    // Prepare
    const ctx = context();
    // Act
    const act = () => resolve(input, ctx);
    // Assess
    if (expected === undefined) expect(act).toThrow(/no export Shared\$\{x\}/);
    else expect(act()).toEqual(expected);
  });

  it.each([
    [
      'an unsupported intrinsic',
      { a: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] } },
      UnsupportedIntrinsicError,
      /Fn::Cidr.*at a/,
    ],
    [
      'an unsupported intrinsic nested in Fn::Join',
      { 'Fn::Join': ['', [{ 'Fn::Length': [1] }]] },
      UnsupportedIntrinsicError,
      /Fn::Length/,
    ],
    ['a malformed Fn::Join', { 'Fn::Join': ['-'] }, TemplateError, /Fn::Join expects/],
    ['a malformed Fn::GetAtt', { 'Fn::GetAtt': 'NoDot' }, TemplateError, /Fn::GetAtt expects/],
    ['Fn::Select out of range', { 'Fn::Select': [5, ['a']] }, TemplateError, /outside the list of 1/],
    ['a Ref the context does not know', { Ref: 'Nope' }, TemplateError, /no Nope/],
    ['Fn::Join of a list value', { 'Fn::Join': ['', [['a']]] }, TemplateError, /needs a string/],
    [
      'Fn::FindInMap of a missing key',
      { 'Fn::FindInMap': ['Sizes', 'qa', 'Shards'] },
      TemplateError,
      /Sizes.qa.Shards/,
    ],
    ['Fn::If with an unknown shape', { 'Fn::If': ['IsDev', 'a'] }, TemplateError, /Fn::If expects/],
  ])('fails on %s', (_name, input, errorClass, message) => {
    // Prepare
    const ctx = context();
    // Act
    const act = () => resolve(input, ctx, { stack: 'Demo', logicalId: 'Thing' });
    // Assess
    expect(act).toThrow(errorClass);
    expect(act).toThrow(message);
  });

  it('names the stack, logical id and path of an unsupported intrinsic', () => {
    // Prepare
    const value = { Environment: { Variables: { X: { 'Fn::Transform': {} } } } };
    // Act
    const act = () => resolve(value, context(), { stack: 'Demo', logicalId: 'Fn1', path: 'Properties' });
    // Assess
    expect(act).toThrow(
      'the local cloud does not support the intrinsic function Fn::Transform (resource Fn1 of stack Demo (at Properties.Environment.Variables.X))',
    );
  });
});

describe('evaluateCondition', () => {
  it.each([
    [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, true],
    [
      { 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'cn-north-1'] }, { 'Fn::Equals': ['a', 'b'] }] },
      false,
    ],
    [{ 'Fn::Not': [{ Condition: 'IsProd' }] }, true],
    [{ 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Not': [{ Condition: 'IsDev' }] }] }, false],
    [{ Condition: 'IsDev' }, true],
  ])('%j → %s', (expr, expected) => {
    // Act
    const result = evaluateCondition(expr, context());
    // Assess
    expect(result).toBe(expected);
  });

  it('fails on a value that is not a condition', () => {
    // Act
    const act = () => evaluateCondition({ Ref: 'Env' }, context());
    // Assess
    expect(act).toThrow(/a condition must be/);
  });
});

describe('parseSub', () => {
  it.each([
    ['plain', [{ literal: 'plain' }]],
    ['${A}', [{ variable: 'A' }]],
    ['x${A.B}y', [{ literal: 'x' }, { variable: 'A.B' }, { literal: 'y' }]],
    ['${!A}', [{ literal: '${A}' }]],
  ])('%s', (template, parts) => {
    // Act / Assess
    expect(parseSub(template)).toEqual(parts);
  });
});

describe('findReferences', () => {
  it('lists Refs, GetAtts (also from Fn::Sub), imports and conditions', () => {
    // Prepare
    const value = {
      A: { Ref: 'Queue' },
      B: { 'Fn::Sub': ['${Stream.Arn}/${AWS::Region}/${Local}/${!Not}', { Local: { Ref: 'Env' } }] },
      C: { 'Fn::If': ['IsDev', { 'Fn::ImportValue': 'SharedTopic' }, { 'Fn::GetAtt': ['Table', 'Arn'] }] },
    };
    // Act
    const refs = findReferences(value);
    // Assess
    expect(refs.refs.map((r) => r.name).sort()).toEqual(['AWS::Region', 'Env', 'Queue']);
    expect(refs.getAtts.map((g) => `${g.logicalId}.${g.attribute}`).sort()).toEqual([
      'Stream.Arn',
      'Table.Arn',
    ]);
    expect(refs.imports.map((i) => i.name)).toEqual(['SharedTopic']);
    expect(refs.conditions.map((c) => c.name)).toEqual(['IsDev']);
  });

  it('refuses an unsupported intrinsic anywhere, naming its path', () => {
    // Prepare
    const value = { Tags: [{ Key: 'k', Value: { 'Fn::ToJsonString': { a: 1 } } }] };
    // Act
    const act = () => findReferences(value, { stack: 'S', logicalId: 'R', path: 'Properties' });
    // Assess
    expect(act).toThrow(UnsupportedIntrinsicError);
    expect(act).toThrow(/Fn::ToJsonString \(resource R of stack S \(at Properties.Tags\[0\].Value\)\)/);
  });
});
