/**
 * Reading resolved CloudFormation property values, which arrive as JSON of any shape (a number
 * may be a string, a boolean may be "true"), and small helpers the providers share.
 */
import { DeployError, TemplateError, type TemplateLocation } from '../errors.ts';

export type Props = Record<string, unknown>;

export const isRecord = (value: unknown): value is Props =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string property, or undefined when absent. */
export function optString(props: Props, key: string, at: TemplateLocation): string | undefined {
  const value = props[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`property ${key} must be a string`, at);
}

export function reqString(props: Props, key: string, at: TemplateLocation): string {
  const value = optString(props, key, at);
  if (value === undefined) throw new TemplateError(`property ${key} is required`, at);
  return value;
}

/** A number property; CloudFormation accepts `"30"` for 30. */
export function optNumber(props: Props, key: string, at: TemplateLocation): number | undefined {
  const value = props[key];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new TemplateError(`property ${key} must be a number`, at);
  return n;
}

/** A boolean property; CloudFormation accepts `"true"` for true. */
export function optBoolean(props: Props, key: string, at: TemplateLocation): boolean | undefined {
  const value = props[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new TemplateError(`property ${key} must be true or false`, at);
}

export const optRecord = (props: Props, key: string): Props | undefined => {
  const value = props[key];
  return isRecord(value) ? value : undefined;
};

export const optArray = (props: Props, key: string): unknown[] => {
  const value = props[key];
  return Array.isArray(value) ? value : [];
};

/** A JSON-typed property (policies, patterns) as the string the service API wants. */
export const jsonText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

/** True when `err` is an AWS error with one of these names (or codes). */
export function isAwsError(err: unknown, ...names: string[]): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; Code?: unknown; code?: unknown };
  return names.some((n) => e.name === n || e.Code === n || e.code === n);
}

/** Polls `probe` until it returns true; a service that stays in transition fails the deploy. */
export async function waitFor(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline)
      throw new DeployError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The last path segment of an ARN's resource (`…:function:name` → `name`). */
export const nameFromArn = (arnOrName: string, marker: string): string => {
  if (!arnOrName.startsWith('arn:')) return arnOrName;
  const parts = arnOrName.split(':');
  const index = parts.indexOf(marker);
  return index >= 0 ? (parts[index + 1] ?? arnOrName) : (parts.at(-1) ?? arnOrName);
};
