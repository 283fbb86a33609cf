/** `AWS::Events::Rule` through the local EventBridge (`EventsControl`). */

import { UnsupportedPropertyError } from '../cloudformation/errors.ts';
import { NAME_RULES, physicalName } from '../cloudformation/names.ts';
import type { ResourceProvider, ValidateContext } from '../cloudformation/providers/types.ts';
import { isRecord, optArray, optString, type Props } from '../cloudformation/providers/values.ts';
import type { EventRuleDefinition } from '../types.ts';

const ruleName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'Name', ctx.at) ?? physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.eventsRule);

/** The rule as the local EventBridge takes it. */
export function ruleDefinition(props: Props, ctx: ValidateContext): EventRuleDefinition {
  return {
    name: ruleName(props, ctx),
    eventPattern:
      typeof props.EventPattern === 'string' ? JSON.parse(props.EventPattern) : props.EventPattern,
    // ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is ENABLED for the events the local cloud has.
    state: props.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    targets: optArray(props, 'Targets')
      .filter(isRecord)
      .map((t) => ({ id: String(t.Id), arn: String(t.Arn) })),
  };
}

/** Rules on the default bus with an event pattern; targets by id and ARN. */
export const eventsRuleProvider: ResourceProvider = {
  attributes: ['Arn'],
  replaceOn: ['Name', 'EventBusName'],
  nameOf: ruleName,
  validate(props, ctx) {
    if (props.ScheduleExpression !== undefined) {
      throw new UnsupportedPropertyError('scheduled EventBridge rules (ScheduleExpression)', ctx.at);
    }
    const bus = props.EventBusName;
    if (bus !== undefined && bus !== 'default') {
      throw new UnsupportedPropertyError(
        'EventBridge buses other than the default bus (EventBusName)',
        ctx.at,
      );
    }
  },
  async create(props, ctx) {
    const rule = ruleDefinition(props, ctx);
    const { ruleArn } = await ctx.events.putRule(rule);
    return { physicalId: rule.name, ref: rule.name, attributes: { Arn: ruleArn } };
  },
  update(props, _previous, _changed, ctx) {
    return this.create(props, ctx);
  },
  async delete(previous, ctx) {
    await ctx.events.deleteRule(previous.physicalId);
  },
};
