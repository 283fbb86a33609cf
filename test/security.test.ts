/**
 * Security properties of what the workshop deploys, checked on the real CDK app (infra/app.ts)
 * as `cdk synth` runs it: cdk-nag's AwsSolutions rules over every stack, an acknowledgement only
 * with a reason and only where a rule really fires, and no IAM statement that allows `*` or a
 * whole service. (The XSS payloads are in solutions/01-file-processing/xss.test.ts, the gateway's
 * loopback-only bind in local/gateway/gateway.test.ts.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, Stack, Validations } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { NagPack } from 'cdk-nag';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { curriculum } from '../core/curriculum.ts';
import { type CloudAssembly, readAssembly } from '../local/cloudformation/assembly.ts';

interface Synth {
  /** The construct tree of infra/app.ts, as CDK handed it to the validation plugin. */
  app: App;
  /** The AwsSolutionsChecks instance infra/app.ts registered. */
  plugin: NagPack;
  report: ReturnType<NagPack['validate']>;
  pluginRuns: number;
  assembly: CloudAssembly;
}

/**
 * Runs infra/app.ts in this process with the context `cdk synth` would pass, and keeps what CDK
 * gave its cdk-nag plugin. A spy observes the plugin's `validate` (it still runs as it is).
 */
async function synthesiseWorkshopApp(solutions: string): Promise<Synth> {
  const outdir = mkdtempSync(join(tmpdir(), 'security-cdk-out-'));
  const saved = process.env;
  process.env = {
    ...saved,
    CDK_OUTDIR: outdir,
    // No bundling (the handlers' code does not change a policy) and no CloudFormation schema
    // validation (the stack tests run it): the synth takes seconds, not half a minute.
    CDK_CONTEXT_JSON: JSON.stringify({ solutions, 'aws:cdk:bundling-stacks': [] }),
    CDK_VALIDATION: 'false',
  };
  const validate = vi.spyOn(NagPack.prototype, 'validate');
  try {
    vi.resetModules();
    await import('../infra/app.ts');
    const [context] = validate.mock.calls[0] ?? [];
    const result = validate.mock.results[0];
    const plugin = validate.mock.contexts[0];
    if (!context || result?.type !== 'return' || !plugin) {
      throw new Error('infra/app.ts synthesised without running its cdk-nag plugin');
    }
    return {
      app: (context as unknown as { appConstruct: App }).appConstruct,
      plugin: plugin as NagPack,
      report: result.value,
      pluginRuns: validate.mock.calls.length,
      assembly: await readAssembly(outdir),
    };
  } finally {
    validate.mockRestore();
    process.env = saved;
  }
}

interface Acknowledgement {
  path: string;
  rule: string;
  reason: string;
}

/** Every `Validations.of(x).acknowledge(...)` in the tree: where, which rule, why. */
function acknowledgementsIn(app: App): Acknowledgement[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([key, reason]) => ({
          path: construct.node.path,
          rule: key.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** What the rules find when no acknowledgement silences them: rule id and construct path. */
function unacknowledgedFindings(plugin: NagPack, app: App): { rule: string; path: string }[] {
  // A copy of the app's own pack whose acknowledgement lookup (private in cdk-nag) says no.
  const pack = Object.create(plugin) as NagPack;
  Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  return pack
    .validateScope(app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })),
    );
}

type Statement = { Effect?: string; Action?: unknown; NotAction?: unknown };
type PolicyDocument = { Statement?: Statement[] };

/** Every policy document of a template, with where it is and whether it is an identity policy. */
function policyDocuments(assembly: CloudAssembly) {
  const found: { where: string; identity: boolean; document: PolicyDocument }[] = [];
  for (const stack of assembly.stacks) {
    for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
      const where = `${stack.stackName}/${id}`;
      const props = (resource.Properties ?? {}) as Record<string, unknown>;
      const add = (document: unknown, identity: boolean) =>
        document && found.push({ where, identity, document: document as PolicyDocument });
      switch (resource.Type) {
        case 'AWS::IAM::Policy':
        case 'AWS::IAM::ManagedPolicy':
          add(props.PolicyDocument, true);
          break;
        case 'AWS::IAM::Role':
          for (const inline of (props.Policies ?? []) as { PolicyDocument?: unknown }[])
            add(inline.PolicyDocument, true);
          add(props.AssumeRolePolicyDocument, false);
          break;
        case 'AWS::Lambda::Permission':
          add({ Statement: [{ Effect: 'Allow', Action: props.Action }] }, false);
          break;
        default:
          // Resource policies: queues, topics, buckets, keys.
          add(props.PolicyDocument ?? props.KeyPolicy, false);
      }
    }
  }
  return found;
}

const actionsOf = (statement: Statement): string[] =>
  [statement.Action ?? []].flat().map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));

/** `*`, or every action of one service (`s3:*`). */
const isWholeService = (action: string) => action === '*' || /^[\w-]+:\*$/.test(action);

/** The AWS managed policies the roles attach, by name (`service-role/AWSLambdaBasicExecutionRole`). */
function managedPolicies(assembly: CloudAssembly): { where: string; name: string }[] {
  const names: { where: string; name: string }[] = [];
  for (const stack of assembly.stacks) {
    for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::IAM::Role') continue;
      const arns = ((resource.Properties ?? {}) as { ManagedPolicyArns?: unknown[] }).ManagedPolicyArns ?? [];
      for (const arn of arns) {
        // `arn:${AWS::Partition}:iam::aws:policy/…`, as a Fn::Join or a Fn::Sub.
        const name = /:iam::aws:policy\/([\w+=,.@/-]+)/.exec(JSON.stringify(arn).replace(/"/g, ''))?.[1];
        names.push({ where: `${stack.stackName}/${id}`, name: name ?? JSON.stringify(arn) });
      }
    }
  }
  return names;
}

/**
 * AWS managed policies reviewed for use here, with what they allow (AWS's published document).
 * A role that attaches any other fails the test until someone reviews it and adds it here.
 */
const REVIEWED_MANAGED_POLICIES: Record<string, string> = {
  // logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents: a function writing its logs.
  'service-role/AWSLambdaBasicExecutionRole': 'every Lambda function and CDK helper',
};

describe.each([
  ['the starters', ''],
  ['the solutions', curriculum.map((m) => m.id).join(',')],
])('the workshop app with %s', (_, solutions) => {
  let synth: Synth;

  beforeAll(async () => {
    synth = await synthesiseWorkshopApp(solutions);
  }, 120_000);

  describe('cdk-nag AwsSolutions', () => {
    it('runs on every stack of the app during synth, and passes', () => {
      // Assess
      const stacks = synth.app.node.children.filter((c) => Stack.isStack(c)).map((s) => s.stackName);
      expect(synth.pluginRuns).toBe(1);
      expect(stacks.sort()).toEqual(curriculum.map((m) => m.stack).sort());
      expect(synth.plugin.readPackName).toBe('AwsSolutions');
      expect(synth.report.violations).toEqual([]);
      expect(synth.report.success).toBe(true);
    });

    it('has a reason for every acknowledged rule', () => {
      // Prepare
      const acknowledgements = acknowledgementsIn(synth.app);

      // Assess
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const { path, rule, reason } of acknowledgements) {
        expect(rule, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
        expect(reason.trim().split(/\s+/).length, `${path} ${rule}: "${reason}"`).toBeGreaterThanOrEqual(5);
      }
    });

    it('acknowledges only findings the rules really make there', () => {
      // Prepare
      const findings = unacknowledgedFindings(synth.plugin, synth.app);

      // Assess: the rules find real things in these stacks; each acknowledgement silences one
      for (const { path, rule } of acknowledgementsIn(synth.app)) {
        const silenced = findings.some(
          (f) => f.rule === rule && (f.path === path || f.path.startsWith(`${path}/`)),
        );
        expect(silenced, `${path} acknowledges ${rule}, which the rules do not report there: remove it`).toBe(
          true,
        );
      }
    });

    it.each([
      [
        'a bucket without TLS enforcement or access logs',
        (stack: Stack) => new Bucket(stack, 'SecurityTestFinding'),
        ['AwsSolutions-S1', 'AwsSolutions-S10'],
      ],
      [
        'a role allowed every action',
        (stack: Stack) => {
          const role = new Role(stack, 'SecurityTestFinding', {
            assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
          });
          new Policy(stack, 'SecurityTestFindingPolicy', {
            roles: [role],
            statements: [new PolicyStatement({ effect: Effect.ALLOW, actions: ['*'], resources: ['*'] })],
          });
        },
        ['AwsSolutions-IAM5[Action::*]'],
      ],
    ])('fails on %s added to a stack', (_, addFinding, rules) => {
      // Prepare
      const stack = synth.app.node.findChild(curriculum[1]?.stack ?? '') as Stack;
      addFinding(stack);

      // Act
      const report = synth.plugin.validateScope(synth.app);
      stack.node.tryRemoveChild('SecurityTestFinding');
      stack.node.tryRemoveChild('SecurityTestFindingPolicy');

      // Assess
      expect(report.success).toBe(false);
      expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(rules));
    });
  });

  describe('IAM in the synthesised templates', () => {
    it('allows no action as `*` or a whole service (`s3:*`), and identity policies name every action', () => {
      // Prepare
      const documents = policyDocuments(synth.assembly);
      const problems: string[] = [];

      // Act
      for (const { where, identity, document } of documents) {
        for (const statement of document.Statement ?? []) {
          // A Deny with a wildcard only takes rights away (e.g. `sqs:*` without TLS).
          if (statement.Effect !== 'Allow') continue;
          if (statement.NotAction) problems.push(`${where}: Allow with NotAction allows nearly everything`);
          for (const action of actionsOf(statement)) {
            if (isWholeService(action)) problems.push(`${where}: allows ${action}`);
            else if (identity && action.includes('*'))
              problems.push(`${where}: allows ${action} (name the actions)`);
          }
        }
      }

      // Assess
      expect(documents.filter((d) => d.identity).length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });

    it('attaches only reviewed AWS managed policies', () => {
      // Act
      const unreviewed = managedPolicies(synth.assembly).filter(
        ({ name }) => !(name in REVIEWED_MANAGED_POLICIES),
      );

      // Assess
      expect(managedPolicies(synth.assembly).length).toBeGreaterThan(0);
      expect(unreviewed).toEqual([]);
    });
  });
});
