/**
 * SSM Parameter Store in memory: String, StringList and SecureString parameters with their
 * version history, hierarchies and Parameter Store's errors. SecureString values are not
 * encrypted (nothing leaves the machine); without `withDecryption` they read as an opaque
 * base64 token, as AWS returns ciphertext.
 */
import { invalid, SsmError } from './errors.ts';
import { checkName, nameFromArn, parameterArn, SSM_LIMITS } from './names.ts';

export const PARAMETER_TYPES = ['String', 'StringList', 'SecureString'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export const PARAMETER_TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'] as const;
export type ParameterTier = (typeof PARAMETER_TIERS)[number];

const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
const DEFAULT_KEY = 'alias/aws/ssm';

/** A parameter as `GetParameter` answers it. */
export interface Parameter {
  Name: string;
  Type: ParameterType;
  Value: string;
  Version: number;
  /** The version or label asked for (`name:3`), when one was. */
  Selector?: string;
  LastModifiedDate: Date;
  ARN: string;
  DataType: string;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface PutParameterInput {
  Name: string;
  Value: string;
  /** Required for a new parameter; an overwrite keeps the type when absent. */
  Type?: ParameterType;
  Description?: string;
  Overwrite?: boolean;
  AllowedPattern?: string;
  KeyId?: string;
  Tier?: ParameterTier;
  DataType?: string;
  Tags?: Tag[];
}

/** One version of a parameter, with the settings it was put with. */
interface Version {
  value: string;
  type: ParameterType;
  version: number;
  modified: Date;
  description?: string;
  allowedPattern?: string;
  keyId?: string;
  tier: 'Standard' | 'Advanced';
  dataType: string;
}

interface Entry {
  name: string;
  versions: Version[];
  tags: Tag[];
}

export interface ReadOptions {
  /** Decrypts SecureString values. */
  withDecryption?: boolean;
}

export interface PathQuery extends ReadOptions {
  recursive?: boolean;
  /** Only parameters of these types (`ParameterFilters` `Type` `Equals`), when given. */
  types?: string[];
  maxResults?: number;
  nextToken?: string;
}

/** SSM parameters in memory, by name (names are case sensitive, as in SSM). */
export class SsmStore {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => Date;

  /** @param options.now the clock for `LastModifiedDate` (tests pin it). */
  constructor(options: { now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** Creates a parameter or, with `Overwrite`, adds a version; returns the new version and tier. */
  putParameter(input: PutParameterInput): { Version: number; Tier: 'Standard' | 'Advanced' } {
    checkName(input.Name);
    const existing = this.entries.get(input.Name);
    if (input.Overwrite && input.Tags && input.Tags.length > 0) {
      throw new SsmError(
        'ValidationException',
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    }
    if (existing && !input.Overwrite) {
      throw new SsmError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const latest = existing?.versions.at(-1);
    const type = input.Type ?? latest?.type;
    if (!type)
      throw new SsmError('ValidationException', 'A parameter type is required when you create a parameter.');
    checkType(type);
    if (input.Value.length === 0) throw invalid('value', '', 'must have length greater than or equal to 1');
    const dataType = input.DataType ?? latest?.dataType ?? 'text';
    if (!DATA_TYPES.includes(dataType)) {
      throw new SsmError(
        'ValidationException',
        `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`,
      );
    }
    const allowedPattern = input.AllowedPattern ?? latest?.allowedPattern;
    if (allowedPattern !== undefined && !patternOf(allowedPattern).test(input.Value)) {
      throw new SsmError(
        'ParameterPatternMismatchException',
        `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
      );
    }
    const tier = tierOf(input.Tier, input.Value, latest?.tier);
    const version: Version = {
      value: input.Value,
      type,
      version: (latest?.version ?? 0) + 1,
      modified: this.now(),
      description: input.Description ?? latest?.description,
      allowedPattern,
      keyId: type === 'SecureString' ? (input.KeyId ?? latest?.keyId ?? DEFAULT_KEY) : undefined,
      tier,
      dataType,
    };
    const entry = existing ?? { name: input.Name, versions: [], tags: input.Tags ?? [] };
    entry.versions.push(version);
    // Parameter Store keeps the last 100 versions.
    if (entry.versions.length > SSM_LIMITS.versions) entry.versions.shift();
    this.entries.set(input.Name, entry);
    return { Version: version.version, Tier: tier };
  }

  /** A parameter by name, ARN, or `name:version`. */
  getParameter(nameOrSelector: string, opts: ReadOptions = {}): Parameter {
    const { name, selector } = parseSelector(nameOrSelector);
    const entry = this.entries.get(name);
    if (!entry) throw notFound(name);
    const version =
      selector === undefined
        ? entry.versions.at(-1)
        : entry.versions.find((v) => String(v.version) === selector);
    if (!version) {
      throw new SsmError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector} of ${name}. Verify the version and try again.`,
      );
    }
    return describe(entry, version, opts, selector);
  }

  /** Up to 10 parameters; the names it does not hold come back as `InvalidParameters`. */
  getParameters(
    names: string[],
    opts: ReadOptions = {},
  ): { Parameters: Parameter[]; InvalidParameters: string[] } {
    checkNameCount(names);
    const Parameters: Parameter[] = [];
    const InvalidParameters: string[] = [];
    for (const name of new Set(names)) {
      try {
        Parameters.push(this.getParameter(name, opts));
      } catch (err) {
        if (!(err instanceof SsmError)) throw err;
        InvalidParameters.push(name);
      }
    }
    return { Parameters, InvalidParameters };
  }

  deleteParameter(name: string): void {
    if (!this.entries.delete(nameFromArn(name))) throw notFound(name);
  }

  deleteParameters(names: string[]): { DeletedParameters: string[]; InvalidParameters: string[] } {
    checkNameCount(names);
    const unique = [...new Set(names)];
    const DeletedParameters = unique.filter((name) => this.entries.delete(nameFromArn(name)));
    return { DeletedParameters, InvalidParameters: unique.filter((n) => !DeletedParameters.includes(n)) };
  }

  /** Parameters under a path (`/a/b`): its children, or all descendants when `recursive`; 10 a page. */
  getParametersByPath(path: string, query: PathQuery = {}): { Parameters: Parameter[]; NextToken?: string } {
    if (!path.startsWith('/')) {
      throw new SsmError('ValidationException', 'The parameter path must begin with a forward slash "/".');
    }
    if (path.split('/').length - 1 > SSM_LIMITS.hierarchyLevels) {
      throw new SsmError(
        'HierarchyLevelLimitExceededException',
        `A hierarchy can have a maximum of ${SSM_LIMITS.hierarchyLevels} levels.`,
      );
    }
    const maxResults = query.maxResults ?? SSM_LIMITS.maxResults;
    if (maxResults < 1 || maxResults > SSM_LIMITS.maxResults) {
      throw invalid('maxResults', maxResults, `must have value between 1 and ${SSM_LIMITS.maxResults}`);
    }
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const matches = [...this.entries.values()]
      .filter(
        (e) => e.name.startsWith(prefix) && (query.recursive || !e.name.slice(prefix.length).includes('/')),
      )
      .map((e) => describe(e, latestOf(e), query))
      .filter((p) => !query.types || query.types.includes(p.Type))
      .sort((a, b) => a.Name.localeCompare(b.Name));
    const start =
      query.nextToken === undefined ? 0 : Number(Buffer.from(query.nextToken, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0)
      throw new SsmError('InvalidNextToken', 'The specified token is not valid.');
    const end = start + maxResults;
    return {
      Parameters: matches.slice(start, end),
      ...(end < matches.length && { NextToken: Buffer.from(String(end)).toString('base64') }),
    };
  }

  /** A parameter's tags (recorded from `PutParameter` and CloudFormation). */
  tagsOf(name: string): Tag[] {
    const entry = this.entries.get(name);
    if (!entry) throw notFound(name);
    return structuredClone(entry.tags);
  }

  /** Replaces a parameter's tags. */
  setTags(name: string, tags: Tag[]): void {
    const entry = this.entries.get(name);
    if (!entry) throw notFound(name);
    entry.tags = structuredClone(tags);
  }
}

const notFound = (name: string) => new SsmError('ParameterNotFound', `Parameter ${name} not found.`);

const latestOf = (entry: Entry): Version => {
  const latest = entry.versions.at(-1);
  if (!latest) throw notFound(entry.name);
  return latest;
};

/** An `AllowedPattern` as a regular expression the whole value must match. */
function patternOf(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new SsmError(
      'InvalidAllowedPatternException',
      `The allowed pattern is not a valid regular expression: ${pattern}`,
    );
  }
}

function checkType(type: string): asserts type is ParameterType {
  if (!PARAMETER_TYPES.some((t) => t === type)) {
    throw invalid('type', type, 'must satisfy enum value set: [SecureString, StringList, String]');
  }
}

function checkNameCount(names: string[]): void {
  if (names.length < 1) throw invalid('names', '[]', 'must have length greater than or equal to 1');
  if (names.length > SSM_LIMITS.namesPerCall) {
    throw invalid(
      'names',
      `[${names.join(', ')}]`,
      `must have length less than or equal to ${SSM_LIMITS.namesPerCall}`,
    );
  }
}

/** The tier a value is stored in: Intelligent-Tiering picks Advanced only for large values. */
function tierOf(
  asked: string | undefined,
  value: string,
  before?: 'Standard' | 'Advanced',
): 'Standard' | 'Advanced' {
  if (asked !== undefined && !PARAMETER_TIERS.some((t) => t === asked)) {
    throw invalid('tier', asked, 'must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]');
  }
  const large = value.length > SSM_LIMITS.standardValue;
  const tier: 'Standard' | 'Advanced' =
    asked === 'Standard' || asked === 'Advanced' ? asked : large ? 'Advanced' : (before ?? 'Standard');
  if (tier === 'Standard' && large) {
    throw new SsmError(
      'ValidationException',
      `Standard tier parameters support a maximum parameter value of ${SSM_LIMITS.standardValue} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.`,
    );
  }
  if (value.length > SSM_LIMITS.advancedValue) {
    throw invalid(
      'value',
      `${value.slice(0, 20)}…`,
      `must have length less than or equal to ${SSM_LIMITS.advancedValue}`,
    );
  }
  return tier;
}

/** `name`, `arn`, `name:3`: the name, and the version selector when there is one. */
function parseSelector(nameOrSelector: string): { name: string; selector?: string } {
  const name = nameFromArn(nameOrSelector);
  // Names cannot hold `:`; in an ARN the selector follows the name part.
  const colon = name.startsWith('arn:') ? -1 : name.lastIndexOf(':');
  if (colon < 0) return { name };
  return { name: nameFromArn(name.slice(0, colon)), selector: name.slice(colon + 1) };
}

function describe(entry: Entry, version: Version, opts: ReadOptions, selector?: string): Parameter {
  const hidden = version.type === 'SecureString' && !opts.withDecryption;
  return {
    Name: entry.name,
    Type: version.type,
    // Not real ciphertext, but as opaque as it.
    Value: hidden ? Buffer.from(`${version.keyId}:${version.value}`).toString('base64') : version.value,
    Version: version.version,
    ...(selector !== undefined && { Selector: `:${selector}` }),
    LastModifiedDate: version.modified,
    ARN: parameterArn(entry.name),
    DataType: version.dataType,
  };
}
