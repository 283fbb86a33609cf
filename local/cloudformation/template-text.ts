/**
 * Template text as CloudFormation takes it: JSON, or YAML with the short-form intrinsics
 * (`!Ref`, `!Sub`, `!GetAtt`…) turned into their long forms. YAML is read with the CloudFormation
 * YAML reader aws-cdk-lib ships (what `cloudformation-include` uses), so no parser is added.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StackRequestError } from './request-errors.ts';
import type { CfnTemplate } from './template.ts';

interface CfnYaml {
  deserialize(text: string): unknown;
}

let yamlReader: CfnYaml | undefined;

/** aws-cdk-lib's CloudFormation YAML reader, loaded on first use. */
function cfnYaml(): CfnYaml {
  if (!yamlReader) {
    const require = createRequire(import.meta.url);
    // Not among aws-cdk-lib's exports, so it is required by path.
    const root = dirname(require.resolve('aws-cdk-lib/package.json'));
    yamlReader = require(join(root, 'cloudformation-include/lib/private/yaml-cfn.js')) as CfnYaml;
  }
  return yamlReader;
}

/** `(line L, column C)` of an offset in `text`, 1-based, as CloudFormation's parse errors say. */
function position(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `(line ${line}, column ${column})`;
}

/** Where JSON.parse stopped: its message gives the position, or says the text ended early. */
const jsonOffset = (err: Error, text: string): number =>
  /end of JSON input/.test(err.message) ? text.length : Number(/position (\d+)/.exec(err.message)?.[1] ?? 0);

/**
 * Parses template text (JSON when it starts with `{`, YAML otherwise).
 * @throws StackRequestError `Template format error: JSON not well-formed.` (or YAML), with the position
 */
export function parseTemplateText(text: string): CfnTemplate {
  const json = text.trimStart().startsWith('{');
  // Loaded before parsing, so a missing reader is not reported as a YAML syntax error.
  const yaml = json ? undefined : cfnYaml();
  let parsed: unknown;
  try {
    parsed = yaml ? yaml.deserialize(text) : JSON.parse(text);
  } catch (err) {
    const offset = json
      ? jsonOffset(err as Error, text)
      : ((err as { source?: { range?: { start?: number } } }).source?.range?.start ?? 0);
    throw new StackRequestError(
      `Template format error: ${json ? 'JSON' : 'YAML'} not well-formed. ${position(text, offset)}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StackRequestError('Template format error: unsupported structure.');
  }
  return parsed as CfnTemplate;
}
