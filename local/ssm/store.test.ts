import { describe, expect, it } from 'vitest';
import { SsmError } from './errors.ts';
import { type PutParameterInput, SsmStore } from './store.ts';

const NOW = new Date('2026-01-02T03:04:05Z');
const BOOTSTRAP = '/cdk-bootstrap/hnb659fds/version';

/** The SsmError `act` throws. */
function errorOf(act: () => unknown): SsmError {
  try {
    act();
  } catch (err) {
    if (err instanceof SsmError) return err;
    throw err;
  }
  throw new Error('expected an SsmError');
}

describe('SsmStore.putParameter and getParameter', () => {
  it('stores a String parameter at version 1 with its ARN', () => {
    // Prepare
    const store = new SsmStore({ now: () => NOW });

    // Act
    const put = store.putParameter({ Name: BOOTSTRAP, Value: '30', Type: 'String' });
    const got = store.getParameter(BOOTSTRAP);

    // Assess
    expect(put).toEqual({ Version: 1, Tier: 'Standard' });
    expect(got).toEqual({
      Name: BOOTSTRAP,
      Type: 'String',
      Value: '30',
      Version: 1,
      LastModifiedDate: NOW,
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/cdk-bootstrap/hnb659fds/version',
      DataType: 'text',
    });
  });

  it('overwrites with a new version, keeps the type when not given, and reads old versions by selector', () => {
    // Prepare
    const store = new SsmStore();
    store.putParameter({ Name: 'colors', Value: 'red,green', Type: 'StringList' });

    // Act
    const second = store.putParameter({ Name: 'colors', Value: 'blue', Overwrite: true });

    // Assess
    expect(second.Version).toBe(2);
    expect(store.getParameter('colors')).toMatchObject({ Value: 'blue', Type: 'StringList', Version: 2 });
    expect(store.getParameter('colors:1')).toMatchObject({ Value: 'red,green', Version: 1, Selector: ':1' });
  });

  it('reads a parameter by ARN', () => {
    // Prepare
    const store = new SsmStore();
    store.putParameter({ Name: '/a/b', Value: 'v', Type: 'String' });
    store.putParameter({ Name: 'flat', Value: 'f', Type: 'String' });

    // Act
    const nested = store.getParameter('arn:aws:ssm:us-east-1:000000000000:parameter/a/b');
    const flat = store.getParameter('arn:aws:ssm:us-east-1:000000000000:parameter/flat');

    // Assess
    expect([nested.Name, flat.Name]).toEqual(['/a/b', 'flat']);
  });

  it('hides a SecureString value unless asked to decrypt', () => {
    // Prepare
    const store = new SsmStore();
    store.putParameter({ Name: '/app/secret', Value: 's3cret', Type: 'SecureString' });

    // Act
    const hidden = store.getParameter('/app/secret');
    const shown = store.getParameter('/app/secret', { withDecryption: true });

    // Assess
    expect(hidden.Value).not.toContain('s3cret');
    expect(shown.Value).toBe('s3cret');
  });

  it.each<[string, Partial<PutParameterInput>, string, string]>([
    [
      'an existing name without Overwrite',
      { Name: 'taken' },
      'ParameterAlreadyExists',
      'set the overwrite option',
    ],
    [
      'a new parameter without a type',
      { Name: 'new', Type: undefined },
      'ValidationException',
      'type is required',
    ],
    ['an unknown type', { Name: 'new', Type: 'Number' as never }, 'ValidationException', 'enum value set'],
    ['an empty value', { Name: 'new', Value: '' }, 'ValidationException', "at 'value'"],
    ['a name starting with aws', { Name: '/aws/x' }, 'ValidationException', 'prefixed with "aws" or "ssm"'],
    ['a name with a space', { Name: 'a b' }, 'ValidationException', 'sub-paths'],
    ['a path without a leading /', { Name: 'a/b' }, 'ValidationException', 'fully qualified'],
    ['16 levels', { Name: `/${'l/'.repeat(15)}x` }, 'HierarchyLevelLimitExceededException', '15 levels'],
    [
      'a value off its pattern',
      { Name: 'n', Value: 'abc', AllowedPattern: '^\\d+$' },
      'ParameterPatternMismatchException',
      'allowedPattern',
    ],
    [
      'a standard value over 4 KB',
      { Name: 'big', Value: 'x'.repeat(4097), Tier: 'Standard' },
      'ValidationException',
      '4096',
    ],
    [
      'tags with Overwrite',
      { Name: 'taken', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] },
      'ValidationException',
      "tags and overwrite can't be used together",
    ],
  ])('refuses %s', (_, input, code, message) => {
    // Prepare
    const store = new SsmStore();
    store.putParameter({ Name: 'taken', Value: 'v', Type: 'String' });

    // Act
    const error = errorOf(() => store.putParameter({ Name: 'x', Value: 'v', Type: 'String', ...input }));

    // Assess
    expect(error).toMatchObject({ code, status: 400 });
    expect(error.message).toContain(message);
  });

  it('puts values over 4 KB in the advanced tier when the tier is left to it', () => {
    // Prepare
    const store = new SsmStore();

    // Act
    const put = store.putParameter({
      Name: 'big',
      Value: 'x'.repeat(5000),
      Type: 'String',
      Tier: 'Intelligent-Tiering',
    });

    // Assess
    expect(put.Tier).toBe('Advanced');
  });

  it.each([
    ['an unknown name', 'nope', 'ParameterNotFound'],
    ['an unknown version', 'taken:9', 'ParameterVersionNotFound'],
  ])('answers %s with %s', (_, name, code) => {
    // Prepare
    const store = new SsmStore();
    store.putParameter({ Name: 'taken', Value: 'v', Type: 'String' });

    // Act
    const error = errorOf(() => store.getParameter(name));

    // Assess
    expect(error.code).toBe(code);
  });
});

describe('SsmStore reads of several parameters', () => {
  const store = new SsmStore();
  for (const Name of ['/app/a', '/app/b', '/app/sub/c', '/app/sub/deep/d', '/other/e', 'flat']) {
    store.putParameter({ Name, Value: Name, Type: 'String' });
  }

  it('GetParameters lists the names it does not hold as InvalidParameters', () => {
    // Act
    const out = store.getParameters(['/app/a', 'missing', 'flat', '/app/a']);

    // Assess
    expect(out.Parameters.map((p) => p.Name)).toEqual(['/app/a', 'flat']);
    expect(out.InvalidParameters).toEqual(['missing']);
  });

  it('GetParameters refuses more than 10 names', () => {
    // Act
    const error = errorOf(() => store.getParameters(Array.from({ length: 11 }, (_, i) => `p${i}`)));

    // Assess
    expect(error.code).toBe('ValidationException');
  });

  it.each([
    ['/app', false, ['/app/a', '/app/b']],
    ['/app/', false, ['/app/a', '/app/b']],
    ['/app', true, ['/app/a', '/app/b', '/app/sub/c', '/app/sub/deep/d']],
    ['/app/sub', true, ['/app/sub/c', '/app/sub/deep/d']],
    ['/none', true, []],
  ])('GetParametersByPath %s (recursive: %s)', (path, recursive, names) => {
    // Act
    const out = store.getParametersByPath(path, { recursive });

    // Assess
    expect(out.Parameters.map((p) => p.Name)).toEqual(names);
  });

  it('GetParametersByPath pages with NextToken', () => {
    // Act
    const first = store.getParametersByPath('/app', { recursive: true, maxResults: 3 });
    const second = store.getParametersByPath('/app', {
      recursive: true,
      maxResults: 3,
      nextToken: first.NextToken,
    });

    // Assess
    expect(first.Parameters).toHaveLength(3);
    expect(second.Parameters.map((p) => p.Name)).toEqual(['/app/sub/deep/d']);
    expect(second.NextToken).toBeUndefined();
  });

  it('GetParametersByPath refuses a path without a leading /', () => {
    // Act
    const error = errorOf(() => store.getParametersByPath('app'));

    // Assess
    expect(error.code).toBe('ValidationException');
  });
});

describe('SsmStore deletes', () => {
  it('deletes a parameter, then answers ParameterNotFound', () => {
    // Prepare
    const store = new SsmStore();
    store.putParameter({ Name: 'p', Value: 'v', Type: 'String' });

    // Act
    store.deleteParameter('p');

    // Assess
    expect(errorOf(() => store.getParameter('p')).code).toBe('ParameterNotFound');
    expect(errorOf(() => store.deleteParameter('p')).code).toBe('ParameterNotFound');
  });

  it('DeleteParameters reports what it deleted and what it did not find', () => {
    // Prepare
    const store = new SsmStore();
    store.putParameter({ Name: 'p', Value: 'v', Type: 'String' });

    // Act
    const out = store.deleteParameters(['p', 'q']);

    // Assess
    expect(out).toEqual({ DeletedParameters: ['p'], InvalidParameters: ['q'] });
  });
});
