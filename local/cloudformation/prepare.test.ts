import { describe, expect, it } from 'vitest';
import {
  checkResourceTypes,
  checkTemplateFormat,
  prepareTarget,
  requiredCapabilities,
  resolveParameterInputs,
} from './prepare.ts';
import { InsufficientCapabilitiesError, StackRequestError } from './request-errors.ts';
import { emptyTarget, newStackRecord } from './state.ts';
import type { CfnTemplate } from './template.ts';

const queue: CfnTemplate = { Resources: { Q: { Type: 'AWS::SQS::Queue' } } };

const withParameters = (parameters: CfnTemplate['Parameters']): CfnTemplate => ({
  ...queue,
  Parameters: parameters,
});

describe('checkTemplateFormat and checkResourceTypes', () => {
  it.each([
    [
      'no resources',
      { Resources: {} },
      'Template format error: At least one Resources member must be defined.',
    ],
    [
      'a resource without a type',
      { Resources: { Q: {} } },
      'Every Resources object must contain a Type member.',
    ],
    [
      'an unknown section',
      { ...queue, Foo: 1 },
      'Template format error: Invalid template property or properties [Foo]',
    ],
    [
      'unknown resource types, all of them',
      {
        Resources: {
          A: { Type: 'AWS::Foo::Bar' },
          B: { Type: 'AWS::SQS::Queue' },
          C: { Type: 'AWS::Baz::Qux' },
        },
      },
      'Template format error: Unrecognized resource types: [AWS::Foo::Bar, AWS::Baz::Qux]',
    ],
  ])('refuses %s', (_name, template, message) => {
    // Act
    const act = () => {
      checkTemplateFormat(template as CfnTemplate);
      checkResourceTypes(template as CfnTemplate);
    };
    // Assess
    expect(act).toThrow(StackRequestError);
    expect(act).toThrow(message);
  });
});

describe('resolveParameterInputs', () => {
  it.each([
    ['a default', { P: { Type: 'String', Default: 'd' } }, [], { P: 'd' }],
    ['a given value', { P: { Type: 'String', Default: 'd' } }, [{ key: 'P', value: 'v' }], { P: 'v' }],
    ['a list default', { P: { Type: 'CommaDelimitedList', Default: 'a,b' } }, [], { P: 'a,b' }],
    ['a number default', { P: { Type: 'Number', Default: 3 } }, [], { P: '3' }],
    [
      'the previous value',
      { P: { Type: 'String' } },
      [{ key: 'P', usePreviousValue: true }],
      { P: 'before' },
    ],
    [
      'an allowed value',
      { P: { Type: 'String', AllowedValues: ['a', 'b'] } },
      [{ key: 'P', value: 'b' }],
      { P: 'b' },
    ],
    [
      'a value matching the pattern',
      { P: { Type: 'String', AllowedPattern: '[a-z]+' } },
      [{ key: 'P', value: 'ok' }],
      { P: 'ok' },
    ],
  ])('takes %s', (_name, parameters, inputs, expected) => {
    // Act / Assess
    expect(resolveParameterInputs(withParameters(parameters), inputs, { P: 'before' })).toEqual(expected);
  });

  it.each([
    [
      'missing values',
      { A: { Type: 'String' }, B: { Type: 'String' } },
      [],
      'Parameters: [A, B] must have values',
    ],
    ['unknown keys', {}, [{ key: 'X', value: '1' }], 'Parameters: [X] do not exist in the template'],
    [
      'a value outside AllowedValues',
      { P: { Type: 'String', AllowedValues: ['a'] } },
      [{ key: 'P', value: 'z' }],
      "Parameter 'P' must be one of AllowedValues",
    ],
    [
      'a value not matching AllowedPattern',
      { P: { Type: 'String', AllowedPattern: '[a-z]+' } },
      [{ key: 'P', value: 'A1' }],
      "Parameter 'P' must match pattern [a-z]+",
    ],
    [
      'a value breaking a described constraint',
      { P: { Type: 'String', AllowedPattern: '[a-z]{1,3}', ConstraintDescription: 'three letters at most' } },
      [{ key: 'P', value: 'abcd' }],
      'Parameter P failed to satisfy constraint: three letters at most',
    ],
  ])('refuses %s', (_name, parameters, inputs, message) => {
    // Act / Assess
    expect(() => resolveParameterInputs(withParameters(parameters), inputs)).toThrow(message);
  });

  it('refuses UsePreviousValue without a previous value', () => {
    // Act / Assess
    expect(() =>
      resolveParameterInputs(withParameters({ P: { Type: 'String' } }), [
        { key: 'P', usePreviousValue: true },
      ]),
    ).toThrow('Cannot specify usePreviousValue as true for a parameter key not in the previous template');
  });
});

describe('requiredCapabilities', () => {
  it.each([
    ['no IAM', queue, []],
    ['an unnamed role', { Resources: { R: { Type: 'AWS::IAM::Role' } } }, ['CAPABILITY_IAM']],
    [
      'a named role',
      { Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'r' } } } },
      ['CAPABILITY_NAMED_IAM'],
    ],
  ])('%s needs %j', (_name, template, expected) => {
    // Act / Assess
    expect(requiredCapabilities(template as CfnTemplate).capabilities).toEqual(expected);
  });
});

describe('prepareTarget', () => {
  const named: CfnTemplate = { Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'r' } } } };

  it.each([
    [[], 'CAPABILITY_NAMED_IAM'],
    [['CAPABILITY_IAM'], 'CAPABILITY_NAMED_IAM'],
  ])('refuses IAM with %j acknowledged', (capabilities, required) => {
    // Act
    const act = () =>
      prepareTarget({ stackName: 'S', template: named, settings: { capabilities }, apiChecks: true });
    // Assess
    expect(act).toThrow(InsufficientCapabilitiesError);
    expect(act).toThrow(`Requires capabilities : [${required}]`);
  });

  it('skips the API checks for the workshop door', () => {
    // Act / Assess
    expect(() => prepareTarget({ stackName: 'S', template: named })).not.toThrow();
  });

  it("keeps the stack's tags and notification topics when an update gives none, never its capabilities", () => {
    // Prepare
    const previous = newStackRecord('S', 'CREATE_COMPLETE', {
      ...emptyTarget('/tmp'),
      settings: {
        ...emptyTarget().settings,
        tags: [{ Key: 'team', Value: 'rydes' }],
        notificationArns: ['arn:aws:sns:us-east-1:000000000000:t'],
        capabilities: ['CAPABILITY_IAM'],
      },
    });
    // Act
    const target = prepareTarget(
      { stackName: 'S', template: queue, settings: { roleArn: 'arn:role' } },
      previous,
    );
    // Assess
    expect(target.settings).toMatchObject({
      tags: [{ Key: 'team', Value: 'rydes' }],
      notificationArns: ['arn:aws:sns:us-east-1:000000000000:t'],
      capabilities: [],
      roleArn: 'arn:role',
      disableRollback: false,
    });
    expect(target.templateBody).toBe(JSON.stringify(queue));
  });
});
