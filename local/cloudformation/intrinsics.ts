/**
 * CloudFormation intrinsic functions: resolution against a context, and a static analysis that
 * finds what a value refers to (for ordering and for validating a template before anything is
 * created). Pure: the context supplies every value that lives elsewhere.
 */
import { TemplateError, type TemplateLocation, UnsupportedIntrinsicError } from './errors.ts';

/** `Ref: AWS::NoValue`: removes the property (or list element) that holds it. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** The intrinsic functions the local deployer resolves. Anything else named `Fn::…` is refused. */
export const SUPPORTED_INTRINSICS: ReadonlySet<string> = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Sub',
  'Fn::Select',
  'Fn::Split',
  'Fn::ImportValue',
  'Fn::If',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::GetAZs',
]);

/** Values that live outside the value being resolved. Each may throw a `DeployError`. */
export interface IntrinsicContext {
  /** A resource's `Ref` value, a parameter's value or a pseudo parameter's. */
  ref(name: string, at: TemplateLocation): unknown;
  getAtt(logicalId: string, attribute: string, at: TemplateLocation): unknown;
  importValue(exportName: string, at: TemplateLocation): unknown;
  /** The value of a named condition of the template. */
  condition(name: string, at: TemplateLocation): boolean;
  mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The intrinsic a value is (`Ref`, `Fn::Join`, …), or undefined for a plain value. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [key] = keys;
  return key === 'Ref' || key?.startsWith('Fn::') ? key : undefined;
}

const child = (at: TemplateLocation, key: string | number): TemplateLocation => ({
  ...at,
  path: typeof key === 'number' ? `${at.path ?? ''}[${key}]` : at.path ? `${at.path}.${key}` : key,
});

const malformed = (fn: string, expected: string, at: TemplateLocation) =>
  new TemplateError(`${fn} expects ${expected}`, at);

/** One piece of an `Fn::Sub` string: literal text or a `${Name}` / `${Resource.Attribute}` variable. */
export type SubPart = { literal: string } | { variable: string };

/** Splits an `Fn::Sub` template into literals and variables; `${!Text}` is the literal `${Text}`. */
export function parseSub(template: string): SubPart[] {
  const parts: SubPart[] = [];
  const pattern = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let m = pattern.exec(template); m; m = pattern.exec(template)) {
    const inner = m[1] ?? '';
    if (m.index > last) parts.push({ literal: template.slice(last, m.index) });
    parts.push(inner.startsWith('!') ? { literal: `\${${inner.slice(1)}}` } : { variable: inner.trim() });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push({ literal: template.slice(last) });
  return parts;
}

/** `Res.Attr` → GetAtt of `Res`, `Attr` (the attribute may itself contain dots). */
const splitGetAtt = (name: string): [string, string] | undefined => {
  const dot = name.indexOf('.');
  return dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : undefined;
};

const asText = (value: unknown, fn: string, at: TemplateLocation): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${fn} needs a string here, got ${describe(value)}`, at);
};

const describe = (value: unknown): string =>
  value === NO_VALUE ? 'AWS::NoValue' : Array.isArray(value) ? 'a list' : typeof value;

/**
 * Resolves every intrinsic in `value`. `NO_VALUE` removes object properties and list elements;
 * a top-level `NO_VALUE` is returned as is for the caller to drop.
 */
export function resolve(value: unknown, ctx: IntrinsicContext, at: TemplateLocation = {}): unknown {
  if (Array.isArray(value)) {
    return value.map((item, i) => resolve(item, ctx, child(at, i))).filter((item) => item !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const fn = intrinsicName(value);
  if (fn) return resolveIntrinsic(fn, value[fn], ctx, at);
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolve(item, ctx, child(at, key));
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function resolveIntrinsic(
  fn: string,
  args: unknown,
  ctx: IntrinsicContext,
  parent: TemplateLocation,
): unknown {
  const at = child(parent, fn);
  switch (fn) {
    case 'Ref': {
      if (typeof args !== 'string') throw malformed(fn, 'a logical id or parameter name', at);
      return args === 'AWS::NoValue' ? NO_VALUE : ctx.ref(args, at);
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = getAttArgs(args, at);
      const name = asText(resolve(attribute, ctx, child(at, 1)), fn, at);
      return ctx.getAtt(logicalId, name, at);
    }
    case 'Fn::Join': {
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') {
        throw malformed(fn, '[delimiter, [values…]]', at);
      }
      const list = resolve(args[1], ctx, child(at, 1));
      if (!Array.isArray(list)) throw malformed(fn, 'a list of values to join', at);
      return list.map((item) => asText(item, fn, at)).join(args[0]);
    }
    case 'Fn::Sub':
      return resolveSub(args, ctx, at);
    case 'Fn::Select': {
      if (!Array.isArray(args) || args.length !== 2) throw malformed(fn, '[index, [values…]]', at);
      const index = Number(resolve(args[0], ctx, child(at, 0)));
      const list = resolve(args[1], ctx, child(at, 1));
      if (!Array.isArray(list)) throw malformed(fn, 'a list to select from', at);
      if (!Number.isInteger(index) || index < 0 || index >= list.length) {
        throw new TemplateError(
          `Fn::Select index ${String(args[0])} is outside the list of ${list.length}`,
          at,
        );
      }
      return list[index];
    }
    case 'Fn::Split': {
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') {
        throw malformed(fn, '[delimiter, string]', at);
      }
      return asText(resolve(args[1], ctx, child(at, 1)), fn, at).split(args[0]);
    }
    case 'Fn::ImportValue':
      return ctx.importValue(asText(resolve(args, ctx, at), fn, at), at);
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
        throw malformed(fn, '[condition name, value if true, value if false]', at);
      }
      return ctx.condition(args[0], at)
        ? resolve(args[1], ctx, child(at, 1))
        : resolve(args[2], ctx, child(at, 2));
    }
    case 'Fn::Equals':
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or':
      return evaluateCondition({ [fn]: args }, ctx, parent);
    case 'Fn::FindInMap': {
      if (!Array.isArray(args) || args.length !== 3)
        throw malformed(fn, '[map, top-level key, second key]', at);
      const [map, top, second] = args.map((a, i) => asText(resolve(a, ctx, child(at, i)), fn, at));
      const value = ctx.mappings?.[map ?? '']?.[top ?? '']?.[second ?? ''];
      if (value === undefined) throw new TemplateError(`Mappings has no ${map}.${top}.${second}`, at);
      return value;
    }
    case 'Fn::Base64':
      return Buffer.from(asText(resolve(args, ctx, at), fn, at)).toString('base64');
    case 'Fn::GetAZs': {
      const region = asText(resolve(args, ctx, at), fn, at) || String(ctx.ref('AWS::Region', at));
      return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
    }
    default:
      throw new UnsupportedIntrinsicError(fn, parent);
  }
}

function getAttArgs(args: unknown, at: TemplateLocation): [string, unknown] {
  if (typeof args === 'string') {
    const split = splitGetAtt(args);
    if (split) return split;
  } else if (Array.isArray(args) && args.length === 2 && typeof args[0] === 'string') {
    return [args[0], args[1]];
  }
  throw malformed('Fn::GetAtt', '[logical id, attribute] or "LogicalId.Attribute"', at);
}

function subArgs(args: unknown, at: TemplateLocation): [string, Json] {
  if (typeof args === 'string') return [args, {}];
  if (Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && isObject(args[1])) {
    return [args[0], args[1]];
  }
  throw malformed('Fn::Sub', 'a string, or [string, { variable: value }]', at);
}

function resolveSub(args: unknown, ctx: IntrinsicContext, at: TemplateLocation): string {
  const [template, variables] = subArgs(args, at);
  const values = new Map<string, unknown>();
  for (const [name, value] of Object.entries(variables)) {
    values.set(name, resolve(value, ctx, child(child(at, 1), name)));
  }
  return parseSub(template)
    .map((part) => {
      if ('literal' in part) return part.literal;
      const name = part.variable;
      if (values.has(name)) return asText(values.get(name), 'Fn::Sub', at);
      const getAtt = splitGetAtt(name);
      const value = getAtt ? ctx.getAtt(getAtt[0], getAtt[1], at) : ctx.ref(name, at);
      return asText(value, 'Fn::Sub', at);
    })
    .join('');
}

/** Evaluates a condition expression (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `{Condition: name}`). */
export function evaluateCondition(expr: unknown, ctx: IntrinsicContext, at: TemplateLocation = {}): boolean {
  if (typeof expr === 'boolean') return expr;
  if (expr === 'true' || expr === 'false') return expr === 'true';
  if (isObject(expr) && Object.keys(expr).length === 1 && typeof expr.Condition === 'string') {
    return ctx.condition(expr.Condition, at);
  }
  const fn = intrinsicName(expr);
  if (!fn || !isObject(expr))
    throw new TemplateError('a condition must be Fn::Equals, Fn::Not, Fn::And or Fn::Or', at);
  const args = expr[fn];
  const here = child(at, fn);
  switch (fn) {
    case 'Fn::Equals': {
      if (!Array.isArray(args) || args.length !== 2) throw malformed(fn, '[value, value]', here);
      const [a, b] = args.map((v, i) => resolve(v, ctx, child(here, i)));
      return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
    }
    case 'Fn::Not': {
      if (!Array.isArray(args) || args.length !== 1) throw malformed(fn, '[condition]', here);
      return !evaluateCondition(args[0], ctx, child(here, 0));
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(args) || args.length < 2 || args.length > 10) {
        throw malformed(fn, 'a list of 2 to 10 conditions', here);
      }
      const results = args.map((c, i) => evaluateCondition(c, ctx, child(here, i)));
      return fn === 'Fn::And' ? results.every(Boolean) : results.some(Boolean);
    }
    case 'Fn::If':
      return evaluateCondition(resolve(expr, ctx, at), ctx, at);
    default:
      if (SUPPORTED_INTRINSICS.has(fn)) return evaluateCondition(resolve(expr, ctx, at), ctx, at);
      throw new UnsupportedIntrinsicError(fn, at);
  }
}

/** CloudFormation compares scalars as strings: `Fn::Equals [1, "1"]` is true. */
const normalize = (value: unknown): unknown =>
  typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;

/** What a value refers to, found without resolving anything. */
export interface References {
  /** `Ref` targets and `Fn::Sub` variables without a dot: logical ids, parameters, pseudo parameters. */
  refs: { name: string; at: TemplateLocation }[];
  getAtts: { logicalId: string; attribute: string | undefined; at: TemplateLocation }[];
  /** `Fn::ImportValue` arguments, unresolved (usually a literal export name). */
  imports: { name: unknown; at: TemplateLocation }[];
  /** Conditions named by `Fn::If` or `{Condition: name}`. */
  conditions: { name: string; at: TemplateLocation }[];
}

/**
 * Walks a value and lists what it refers to. Throws `UnsupportedIntrinsicError` for an intrinsic
 * the deployer cannot resolve and `TemplateError` for a malformed one, so a template can be
 * checked completely before anything is created.
 */
export function findReferences(value: unknown, at: TemplateLocation = {}): References {
  const found: References = { refs: [], getAtts: [], imports: [], conditions: [] };
  walk(value, at, found);
  return found;
}

function walk(value: unknown, at: TemplateLocation, found: References): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      walk(item, child(at, i), found);
    });
    return;
  }
  if (!isObject(value)) return;
  const fn = intrinsicName(value);
  if (!fn) {
    if (Object.keys(value).length === 1 && typeof value.Condition === 'string') {
      found.conditions.push({ name: value.Condition, at });
    }
    for (const [key, item] of Object.entries(value)) walk(item, child(at, key), found);
    return;
  }
  if (!SUPPORTED_INTRINSICS.has(fn)) throw new UnsupportedIntrinsicError(fn, at);
  const args = value[fn];
  const here = child(at, fn);
  switch (fn) {
    case 'Ref':
      if (typeof args !== 'string') throw malformed(fn, 'a logical id or parameter name', here);
      found.refs.push({ name: args, at: here });
      return;
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = getAttArgs(args, here);
      found.getAtts.push({
        logicalId,
        attribute: typeof attribute === 'string' ? attribute : undefined,
        at: here,
      });
      walk(attribute, child(here, 1), found);
      return;
    }
    case 'Fn::Sub': {
      const [template, variables] = subArgs(args, here);
      for (const part of parseSub(template)) {
        if (!('variable' in part) || part.variable in variables) continue;
        const getAtt = splitGetAtt(part.variable);
        if (getAtt) found.getAtts.push({ logicalId: getAtt[0], attribute: getAtt[1], at: here });
        else found.refs.push({ name: part.variable, at: here });
      }
      walk(variables, child(here, 1), found);
      return;
    }
    case 'Fn::ImportValue':
      found.imports.push({ name: args, at: here });
      walk(args, here, found);
      return;
    case 'Fn::If':
      if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
        throw malformed(fn, '[condition name, value if true, value if false]', here);
      }
      found.conditions.push({ name: args[0], at: here });
      walk(args[1], child(here, 1), found);
      walk(args[2], child(here, 2), found);
      return;
    default:
      walk(args, here, found);
  }
}
