/**
 * Test doubles for the deployer's tests: `LambdaControl` and `EventsControl` are interfaces of
 * other parts of the local cloud (not AWS), so recording fakes stand in for them here.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type EventRuleDefinition,
  type EventSourceMappingDefinition,
  type EventsControl,
  type FunctionDefinition,
  type LambdaControl,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
} from '../local/types.ts';

/** One call to a fake, in order. */
export type FakeCall =
  | { op: 'putFunction'; def: FunctionDefinition }
  | { op: 'deleteFunction'; name: string }
  | { op: 'putEventSourceMapping'; def: EventSourceMappingDefinition }
  | { op: 'deleteEventSourceMapping'; uuid: string }
  | { op: 'putRule'; rule: EventRuleDefinition }
  | { op: 'deleteRule'; name: string };

/** A `LambdaControl` and `EventsControl` that remember what they hold and every call. */
export class RecordingControls implements LambdaControl, EventsControl {
  readonly calls: FakeCall[] = [];
  readonly functions = new Map<string, FunctionDefinition>();
  readonly mappings = new Map<string, EventSourceMappingDefinition>();
  readonly rules = new Map<string, EventRuleDefinition>();

  async putFunction(def: FunctionDefinition) {
    this.calls.push({ op: 'putFunction', def });
    this.functions.set(def.name, def);
    return { functionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${def.name}` };
  }
  async deleteFunction(name: string) {
    this.calls.push({ op: 'deleteFunction', name });
    this.functions.delete(name);
  }
  async putEventSourceMapping(def: EventSourceMappingDefinition) {
    this.calls.push({ op: 'putEventSourceMapping', def });
    const uuid = def.uuid ?? randomUUID();
    this.mappings.set(uuid, { ...def, uuid });
    return { uuid };
  }
  async deleteEventSourceMapping(uuid: string) {
    this.calls.push({ op: 'deleteEventSourceMapping', uuid });
    this.mappings.delete(uuid);
  }
  async putRule(rule: EventRuleDefinition) {
    this.calls.push({ op: 'putRule', rule });
    this.rules.set(rule.name, rule);
    return { ruleArn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${rule.name}` };
  }
  async deleteRule(name: string) {
    this.calls.push({ op: 'deleteRule', name });
    this.rules.delete(name);
  }
  /** Calls since a mark (`const mark = fake.calls.length`). */
  since(mark: number): FakeCall[] {
    return this.calls.slice(mark);
  }
}

/** The fixture CDK app of the deployer's tests. */
export const FIXTURE_APP = fileURLToPath(
  new URL('../local/cloudformation/fixtures/test-app.ts', import.meta.url),
);

/** A temporary directory, removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `wildrydes-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
