// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation Fn::Sub strings, not JS templates
import { describe, expect, it } from 'vitest';
import { StackRequestError } from './request-errors.ts';
import { parseTemplateText } from './template-text.ts';

describe('parseTemplateText', () => {
  it('reads JSON', () => {
    // Act
    const template = parseTemplateText('{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}');
    // Assess
    expect(template).toEqual({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } });
  });

  it.each([
    ['!Ref X', { Ref: 'X' }],
    ['!GetAtt Q.Arn', { 'Fn::GetAtt': 'Q.Arn' }],
    ['!Sub "${AWS::StackName}-q"', { 'Fn::Sub': '${AWS::StackName}-q' }],
    ['!If [C, 1, 2]', { 'Fn::If': ['C', 1, 2] }],
    ['!Equals [!Ref Env, prod]', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
    ['!Condition C', { Condition: 'C' }],
    ['{ "Fn::Join": ["-", [a, b]] }', { 'Fn::Join': ['-', ['a', 'b']] }],
  ])('reads YAML %s in its long form', (yaml, expected) => {
    // Act
    const template = parseTemplateText(
      `Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: ${yaml}\n`,
    );
    // Assess
    expect(template.Resources.Q?.Properties?.V).toEqual(expected);
  });

  it.each([
    ['{"Resources": {', 'Template format error: JSON not well-formed. (line 1, column'],
    ['Resources:\n  Q: [1,\n  b: c', 'Template format error: YAML not well-formed. (line'],
    ['- a list', 'Template format error: unsupported structure.'],
  ])('refuses %j', (text, message) => {
    // Act
    const act = () => parseTemplateText(text);
    // Assess
    expect(act).toThrow(StackRequestError);
    expect(act).toThrow(message);
  });
});
