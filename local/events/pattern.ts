/**
 * EventBridge event patterns, as documented ("Amazon EventBridge event patterns"): every field
 * of the pattern must match; a field's list matches if any entry does; an event array matches if
 * any element does. Operators: exact values, `prefix`, `suffix`, `equals-ignore-case`,
 * `anything-but`, `exists`, `numeric`, `wildcard`, and `$or`.
 */

/** The pattern breaks EventBridge's rules; PutRule answers `InvalidEventPatternException`. */
export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventPatternError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'exists',
  'numeric',
  'wildcard',
]);
const NUMERIC_OPS = new Set(['<', '<=', '=', '>', '>=']);

/** Parses (if it is a string) and validates a pattern; throws InvalidEventPatternError. */
export function parsePattern(pattern: unknown): JsonObject {
  let parsed: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch {
      throw new InvalidEventPatternError('the event pattern is not valid JSON');
    }
  }
  if (!isObject(parsed)) throw new InvalidEventPatternError('an event pattern must be a JSON object');
  validateObject(parsed, '');
  return parsed;
}

function validateObject(pattern: JsonObject, path: string): void {
  for (const [key, rule] of Object.entries(pattern)) {
    const where = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isObject)) {
        throw new InvalidEventPatternError(`${where} must list at least two patterns`);
      }
      for (const sub of rule) validateObject(sub as JsonObject, path);
    } else if (isObject(rule)) {
      validateObject(rule, where);
    } else if (Array.isArray(rule)) {
      for (const entry of rule) validateEntry(entry, where);
    } else {
      throw new InvalidEventPatternError(`${where}: match values must be in a JSON array`);
    }
  }
}

function validateEntry(entry: Json, where: string): void {
  if (!isObject(entry)) {
    if (Array.isArray(entry)) throw new InvalidEventPatternError(`${where}: nested arrays are not allowed`);
    return;
  }
  const keys = Object.keys(entry);
  const [operator] = keys;
  if (keys.length !== 1 || operator === undefined || !OPERATORS.has(operator)) {
    throw new InvalidEventPatternError(`${where}: unknown or unsupported operator ${JSON.stringify(entry)}`);
  }
  if (operator === 'numeric') {
    const spec = entry.numeric;
    if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0) {
      throw new InvalidEventPatternError(`${where}: numeric takes operator/value pairs`);
    }
    for (let i = 0; i < spec.length; i += 2) {
      if (!NUMERIC_OPS.has(String(spec[i])) || typeof spec[i + 1] !== 'number') {
        throw new InvalidEventPatternError(`${where}: bad numeric comparison ${JSON.stringify(spec)}`);
      }
    }
  }
  if (operator === 'exists' && typeof entry.exists !== 'boolean') {
    throw new InvalidEventPatternError(`${where}: exists takes true or false`);
  }
}

/** Does `event` match `pattern`? Both are parsed JSON; the pattern is validated by parsePattern. */
export function matchesPattern(pattern: JsonObject, event: unknown): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(rule as JsonObject[]).some((sub) => matchesPattern(sub, event))) return false;
      continue;
    }
    const present = isObject(event) && Object.hasOwn(event, key);
    const field = present ? (event as JsonObject)[key] : undefined;
    if (isObject(rule)) {
      // A nested pattern reaches into the field; an absent parent leaves every leaf absent.
      if (!matchesPattern(rule, isObject(field) ? field : undefined)) return false;
    } else if (!(rule as Json[]).some((entry) => matchesEntry(entry, field, present))) {
      return false;
    }
  }
  return true;
}

/** Leaf values of a field: an array matches if any of its elements does. */
const leaves = (field: Json | undefined): Json[] =>
  field === undefined ? [] : Array.isArray(field) ? field : [field];

function matchesEntry(entry: Json, field: Json | undefined, present: boolean): boolean {
  const values = leaves(field);
  if (!isObject(entry)) return values.some((value) => value === entry);
  const [operator, arg] = Object.entries(entry)[0] ?? [];
  switch (operator) {
    case 'exists':
      return arg === (present && !isObject(field));
    case 'prefix':
      return values.some((v) => matchesString(v, arg, (s, p) => s.startsWith(p)));
    case 'suffix':
      return values.some((v) => matchesString(v, arg, (s, p) => s.endsWith(p)));
    case 'equals-ignore-case':
      return values.some(
        (v) => typeof v === 'string' && typeof arg === 'string' && v.toLowerCase() === arg.toLowerCase(),
      );
    case 'wildcard':
      return values.some((v) => typeof v === 'string' && typeof arg === 'string' && wildcard(arg).test(v));
    case 'numeric':
      return values.some((v) => typeof v === 'number' && numeric(arg as Json[], v));
    case 'anything-but':
      // Only a field that is there can be "anything but" something.
      return values.length > 0 && values.some((v) => !excluded(arg, v));
    default:
      return false;
  }
}

/** `prefix`/`suffix` take a string or `{ "equals-ignore-case": string }`. */
function matchesString(value: Json, arg: Json | undefined, test: (s: string, p: string) => boolean): boolean {
  if (typeof value !== 'string') return false;
  if (typeof arg === 'string') return test(value, arg);
  if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), arg['equals-ignore-case'].toLowerCase());
  }
  return false;
}

function excluded(arg: Json | undefined, value: Json): boolean {
  if (Array.isArray(arg)) return arg.some((a) => a === value);
  if (isObject(arg)) {
    const [operator, operand] = Object.entries(arg)[0] ?? [];
    if (operator === 'prefix') return matchesString(value, operand, (s, p) => s.startsWith(p));
    if (operator === 'suffix') return matchesString(value, operand, (s, p) => s.endsWith(p));
    if (operator === 'equals-ignore-case') {
      const options = Array.isArray(operand) ? operand : [operand];
      return (
        typeof value === 'string' &&
        options.some((o) => typeof o === 'string' && o.toLowerCase() === value.toLowerCase())
      );
    }
    return false;
  }
  return arg === value;
}

function numeric(spec: Json[], value: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const bound = spec[i + 1] as number;
    const ok =
      spec[i] === '<'
        ? value < bound
        : spec[i] === '<='
          ? value <= bound
          : spec[i] === '='
            ? value === bound
            : spec[i] === '>'
              ? value > bound
              : value >= bound;
    if (!ok) return false;
  }
  return true;
}

const wildcard = (glob: string) =>
  new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );
