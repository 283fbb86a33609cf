// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation Fn::Sub strings, not JS templates
import { describe, expect, it } from 'vitest';
import {
  DependencyCycleError,
  MissingExportError,
  TemplateError,
  UnsupportedIntrinsicError,
  UnsupportedPropertyError,
  UnsupportedResourceError,
} from './errors.ts';
import {
  LOCAL_BOOTSTRAP_VERSION,
  type PlanInput,
  parameterValues,
  planStack,
  pseudoParameters,
} from './plan.ts';
import type { CfnTemplate } from './template.ts';

const input = (template: CfnTemplate, overrides: Partial<PlanInput> = {}): PlanInput => ({
  stackName: 'Demo',
  template,
  exportAvailable: (name) => name === 'Shared:StreamArn',
  assemblyDir: '/nonexistent',
  assets: {},
  ...overrides,
});

const queue = (props: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::SQS::Queue',
  Properties: props,
  ...extra,
});

describe('planStack', () => {
  it('orders resources after what they reference or DependsOn', () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        Main: queue({
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 },
        }),
        Topic: { Type: 'AWS::SNS::Topic', DependsOn: 'Main' },
        Sub: {
          Type: 'AWS::SNS::Subscription',
          Properties: { TopicArn: { Ref: 'Topic' }, Protocol: 'sqs', Endpoint: { 'Fn::Sub': '${Dlq.Arn}' } },
        },
        Dlq: queue(),
      },
    };
    // Act
    const plan = planStack(input(template));
    // Assess
    expect(plan.order).toEqual(['Dlq', 'Main', 'Topic', 'Sub']);
    expect(plan.dependencies).toEqual({ Main: ['Dlq'], Topic: ['Main'], Sub: ['Topic', 'Dlq'], Dlq: [] });
  });

  it('leaves out resources whose condition is false, and evaluates CDK-style conditions', () => {
    // Prepare
    const template: CfnTemplate = {
      Conditions: {
        InChina: {
          'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'cn-north-1'] }, { 'Fn::Equals': ['a', 'b'] }],
        },
        NotInChina: { 'Fn::Not': [{ Condition: 'InChina' }] },
        Both: { 'Fn::And': [{ Condition: 'NotInChina' }, { 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] }] },
      },
      Parameters: { Env: { Type: 'String', Default: 'dev' } },
      Resources: { A: queue({}, { Condition: 'InChina' }), B: queue({}, { Condition: 'Both' }) },
    };
    // Act
    const plan = planStack(input(template));
    // Assess
    expect(plan.conditions).toEqual({ InChina: false, NotInChina: true, Both: true });
    expect(plan.order).toEqual(['B']);
  });

  it('marks the functions that back CDK custom resources', () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        Handler: {
          Type: 'AWS::Lambda::Function',
          Properties: { Code: { ZipFile: 'def handler(): pass' }, Runtime: 'python3.13' },
        },
        Notifications: {
          Type: 'Custom::S3BucketNotifications',
          Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] }, BucketName: 'b' },
        },
      },
    };
    // Act
    const plan = planStack(input(template));
    // Assess
    expect([...plan.customResourceProviders]).toEqual(['Handler']);
  });

  it('lists the export names of the outputs', () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: { Q: queue() },
      Outputs: {
        Arn: {
          Value: { 'Fn::GetAtt': ['Q', 'Arn'] },
          Export: { Name: { 'Fn::Sub': '${AWS::StackName}:QueueArn' } },
        },
        Url: { Value: { Ref: 'Q' } },
      },
    };
    // Act / Assess
    expect(planStack(input(template)).exportNames).toEqual(['Demo:QueueArn']);
  });

  it.each([
    [
      'an unsupported resource type',
      { Resources: { Vpc: { Type: 'AWS::EC2::VPC' } } },
      UnsupportedResourceError,
      'resource type AWS::EC2::VPC (resource Vpc of stack Demo)',
    ],
    [
      'a custom resource the local cloud cannot run',
      { Resources: { C: { Type: 'Custom::MyThing', Properties: { ServiceToken: 'arn' } } } },
      UnsupportedResourceError,
      'Custom::MyThing (resource C of stack Demo)',
    ],
    [
      'an unsupported intrinsic',
      { Resources: { Q: queue({ QueueName: { 'Fn::GetAZs': { 'Fn::Cidr': [] } } }) } },
      UnsupportedIntrinsicError,
      'Fn::Cidr (resource Q of stack Demo (at Properties.QueueName.Fn::GetAZs))',
    ],
    [
      'a Ref to nothing',
      { Resources: { Q: queue({ QueueName: { Ref: 'Ghost' } }) } },
      TemplateError,
      'Ref to Ghost',
    ],
    [
      'a GetAtt of an attribute the local cloud does not know',
      { Resources: { Q: queue(), R: queue({ QueueName: { 'Fn::GetAtt': ['Q', 'Nope'] } }) } },
      TemplateError,
      'does not know attribute Nope of AWS::SQS::Queue',
    ],
    [
      'a DependsOn of nothing',
      { Resources: { Q: queue({}, { DependsOn: ['Ghost'] }) } },
      TemplateError,
      'DependsOn Ghost',
    ],
    [
      'a missing import',
      { Resources: { Q: queue({ QueueName: { 'Fn::ImportValue': 'Other:Name' } }) } },
      MissingExportError,
      "no deployed stack exports 'Other:Name'",
    ],
    [
      'a cycle',
      { Resources: { A: queue({ QueueName: { Ref: 'B' } }), B: queue({ QueueName: { Ref: 'A' } }) } },
      DependencyCycleError,
      'these resources of stack Demo depend on each other in a cycle: A → B → A',
    ],
    [
      'a scheduled rule',
      {
        Resources: { R: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 minute)' } } },
      },
      UnsupportedPropertyError,
      'scheduled EventBridge rules',
    ],
    [
      'a transform',
      { Transform: 'AWS::Serverless-2016-10-31', Resources: {} },
      UnsupportedPropertyError,
      'template transforms',
    ],
    [
      'an undefined condition',
      { Resources: { Q: queue({}, { Condition: 'Nope' }) } },
      TemplateError,
      'condition Nope is not defined',
    ],
  ])('refuses %s', (_name, template, errorClass, message) => {
    // Act
    const act = () => planStack(input(template as CfnTemplate));
    // Assess
    expect(act).toThrow(errorClass);
    expect(act).toThrow(message);
  });

  it('accepts an import another stack provides', () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: { Q: queue({ QueueName: { 'Fn::ImportValue': 'Shared:StreamArn' } }) },
    };
    // Act / Assess
    expect(planStack(input(template)).order).toEqual(['Q']);
  });
});

describe('parameterValues', () => {
  it.each([
    [
      "CDK's bootstrap version",
      { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
      {},
      LOCAL_BOOTSTRAP_VERSION,
    ],
    ['a default', { Type: 'Number', Default: 3 }, {}, '3'],
    ['an override', { Type: 'String', Default: 'a' }, { P: 'b' }, 'b'],
    ['a list default', { Type: 'CommaDelimitedList', Default: 'a,b' }, {}, ['a', 'b']],
  ])('%s', (_name, parameter, overrides, expected) => {
    // Act / Assess
    expect(parameterValues({ Parameters: { P: parameter }, Resources: {} }, overrides).P).toEqual(expected);
  });

  it.each([
    [{ Type: 'String' }, 'parameter P has no default'],
    [{ Type: 'AWS::SSM::Parameter::Value<String>', Default: '/my/param' }, 'reads SSM parameter /my/param'],
  ])('refuses %j', (parameter, message) => {
    // Act / Assess
    expect(() => parameterValues({ Parameters: { P: parameter }, Resources: {} }, {}, 'Demo')).toThrow(
      message,
    );
  });
});

describe('pseudoParameters', () => {
  it('are the local cloud identity', () => {
    // Act
    const pseudo = pseudoParameters('Demo');
    // Assess
    expect(pseudo).toMatchObject({
      'AWS::Region': 'us-east-1',
      'AWS::AccountId': '000000000000',
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'Demo',
    });
    expect(pseudo['AWS::StackId']).toMatch(/^arn:aws:cloudformation:us-east-1:000000000000:stack\/Demo\//);
  });
});
