import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  parseQuery,
  parseQueryRequest,
  QueryError,
  QueryReader,
  queryErrorResponse,
  queryResultResponse,
  queryService,
  renderQueryError,
  renderQueryResult,
  xmlContent,
} from './query-protocol.ts';

const answer = { xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/', requestId: 'req-1' };

describe('parseQuery', () => {
  it.each([
    ['Action and Version apart', 'Action=GetRole&Version=2010-05-08&RoleName=r', { RoleName: 'r' }],
    ['form decoding (+ and %XX)', 'Action=A&Doc=%7B%22a%22%3A1%7D&Text=a+b', { Doc: '{"a":1}', Text: 'a b' }],
    [
      'a list of strings',
      'Action=A&Names.member.2=b&Names.member.1=a&Names.member.10=c',
      { Names: ['a', 'b', 'c'] },
    ],
    [
      'a list of structures',
      'Action=A&Tags.member.1.Key=k1&Tags.member.1.Value=v1&Tags.member.2.Key=k2&Tags.member.2.Value=v2',
      {
        Tags: [
          { Key: 'k1', Value: 'v1' },
          { Key: 'k2', Value: 'v2' },
        ],
      },
    ],
    [
      'a map with key/value',
      'Action=A&Attributes.entry.1.key=Policy&Attributes.entry.1.value=p&Attributes.entry.2.key=Name&Attributes.entry.2.value=n',
      { Attributes: { Policy: 'p', Name: 'n' } },
    ],
    [
      'a map with Name and a structured Value',
      'Action=A&MessageAttributes.entry.1.Name=color&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=red',
      { MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } },
    ],
    ['nested structures', 'Action=A&Outer.Inner.Leaf=x', { Outer: { Inner: { Leaf: 'x' } } }],
    [
      'lists inside list items',
      'Action=A&Parameters.member.1.ParameterKey=k&Parameters.member.1.Values.member.1=v',
      { Parameters: [{ ParameterKey: 'k', Values: ['v'] }] },
    ],
    [
      'a flattened list (SQS style)',
      'Action=A&AttributeName.1=All&AttributeName.2=Policy',
      { AttributeName: ['All', 'Policy'] },
    ],
    ['an empty list as X=', 'Action=A&Tags=', { Tags: '' }],
    [
      'an empty list, then items: the items win',
      'Action=A&Tags=&Tags.member.1.Key=k',
      { Tags: [{ Key: 'k' }] },
    ],
  ])('parses %s', (_, form, params) => {
    // Act
    const parsed = parseQuery(form);

    // Assess
    expect(parsed.params).toEqual(params);
    expect(parsed.action).toBe(form.match(/Action=(\w+)/)?.[1]);
  });

  it('reads the version, and no action as an empty string', () => {
    // Act
    const parsed = parseQuery('Version=2011-06-15');

    // Assess
    expect(parsed).toEqual({ action: '', version: '2011-06-15', params: {} });
  });

  it('merges the URL query string with the form body, body last', () => {
    // Act
    const parsed = parseQueryRequest({
      url: '/?Action=GetCallerIdentity&Version=2011-06-15',
      body: Buffer.from('Extra=1'),
    });

    // Assess
    expect(parsed).toEqual({ action: 'GetCallerIdentity', version: '2011-06-15', params: { Extra: '1' } });
  });
});

describe('QueryReader', () => {
  const reader = new QueryReader(
    parseQuery(
      'Action=A&Name=n&Count=7&Flag=true&Tags.member.1.Key=k&Tags.member.1.Value=v&Names.member.1=a&Map.entry.1.key=x&Map.entry.1.value=y&Empty=',
    ).params,
  );

  it('reads each kind of member', () => {
    // Assess
    expect(reader.string('Name')).toBe('n');
    expect(reader.required('Name')).toBe('n');
    expect(reader.integer('Count')).toBe(7);
    expect(reader.boolean('Flag')).toBe(true);
    expect(reader.strings('Names')).toEqual(['a']);
    expect(reader.structs('Tags').map((t) => [t.required('Key'), t.string('Value')])).toEqual([['k', 'v']]);
    expect(reader.map('Map')).toEqual({ x: 'y' });
    expect(reader.strings('Empty')).toEqual([]);
    expect(reader.strings('Absent')).toEqual([]);
    expect(reader.string('Absent')).toBeUndefined();
    expect(reader.struct('Absent')).toBeUndefined();
  });

  it.each<[string, (r: QueryReader) => unknown, string]>([
    ['a missing required member', (r) => r.required('RoleName'), "Value null at 'roleName'"],
    ['a non-integer', (r) => r.integer('Name'), "Value 'n' at 'name' failed to satisfy constraint"],
    ['a non-boolean', (r) => r.boolean('Name'), 'must be true or false'],
    ['a list read as a string', (r) => r.string('Names'), 'must be a string'],
    ['a string read as a list', (r) => r.strings('Name'), 'must be a list'],
  ])('refuses %s with a ValidationError', (_, read, message) => {
    // Act
    const act = () => read(reader);

    // Assess
    expect(act).toThrow(QueryError);
    expect(act).toThrow(message);
    try {
      act();
    } catch (err) {
      expect(err).toMatchObject({ code: 'ValidationError', status: 400, type: 'Sender' });
    }
  });
});

describe('escapeXml', () => {
  it.each([
    ['<a href="x">Tom & Jerry\'s</a>', '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;'],
    ['line\r\nend', 'line&#13;\nend'],
    ['bell\u0007 and tab\t', 'bell\uFFFD and tab\t'],
    ['emoji 🦄 stays, lone \uD83E does not', 'emoji 🦄 stays, lone \uFFFD does not'],
  ])('escapes %j', (text, xml) => {
    // Act
    const escaped = escapeXml(text);

    // Assess
    expect(escaped).toBe(xml);
  });
});

describe('xmlContent', () => {
  it.each<[string, unknown, string]>([
    ['a string', 'a<b', 'a&lt;b'],
    ['a number and a boolean', { N: 3, B: false }, '<N>3</N><B>false</B>'],
    ['a date, whole seconds', { D: new Date('2024-05-01T12:00:00.000Z') }, '<D>2024-05-01T12:00:00Z</D>'],
    ['a list as members', { L: ['a', 'b'] }, '<L><member>a</member><member>b</member></L>'],
    ['an empty list', { L: [] }, '<L></L>'],
    ['a list of structures', { L: [{ K: 'k' }] }, '<L><member><K>k</K></member></L>'],
    ['a Map as entries', { M: new Map([['k', 'v']]) }, '<M><entry><key>k</key><value>v</value></entry></M>'],
    ['undefined and null left out', { A: undefined, B: null, C: 'c' }, '<C>c</C>'],
  ])('renders %s', (_, value, xml) => {
    // Act
    const rendered = xmlContent(value);

    // Assess
    expect(rendered).toBe(xml);
  });
});

describe('renderQueryResult and renderQueryError', () => {
  it('wraps a result in Response, Result and ResponseMetadata', () => {
    // Act
    const xml = renderQueryResult('GetRole', { Role: { RoleName: 'r&d' } }, answer);

    // Assess
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><RoleName>r&amp;d</RoleName></Role></GetRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetRoleResponse>',
    );
  });

  it('leaves the Result element out when the action returns nothing', () => {
    // Act
    const xml = renderQueryResult('DeleteRole', undefined, answer);

    // Assess
    expect(xml).not.toContain('DeleteRoleResult');
    expect(xml).toContain('<DeleteRoleResponse xmlns=');
  });

  it('renders an error with its type, code and escaped message', () => {
    // Act
    const xml = renderQueryError(
      new QueryError('NoSuchEntity', 'The role <x> cannot be found.', 404),
      answer,
    );

    // Assess
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role &lt;x&gt; cannot be found.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
  });

  it.each([
    [400, 'Sender'],
    [409, 'Sender'],
    [500, 'Receiver'],
  ])('an error of status %i is a %s fault, answered with that status', (status, type) => {
    // Act
    const res = queryErrorResponse(new QueryError('X', 'y', status), answer);

    // Assess
    expect(res.status).toBe(status);
    expect(String(res.body)).toContain(`<Type>${type}</Type>`);
    expect(res.headers).toMatchObject({ 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' });
  });

  it('answers a result with 200', () => {
    // Act
    const res = queryResultResponse('A', {}, answer);

    // Assess
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('<AResult></AResult>');
  });
});

describe('queryService', () => {
  class DomainError extends Error {}
  const handler = queryService({
    xmlns: 'urn:test',
    actions: {
      Echo: (params) => ({ Value: params.required('Value') }),
      Fail: () => {
        throw new DomainError('nope');
      },
      Crash: () => {
        throw new Error('bug');
      },
    },
    mapError: (err) => (err instanceof DomainError ? new QueryError('Domain', err.message, 409) : undefined),
  });
  const call = (body: string) =>
    handler({ service: 'test', method: 'POST', url: '/', headers: {}, body: Buffer.from(body) });

  it.each([
    ['an action', 'Action=Echo&Value=hi', 200, '<EchoResult><Value>hi</Value></EchoResult>'],
    ['a missing parameter', 'Action=Echo', 400, '<Code>ValidationError</Code>'],
    ['an unknown action', 'Action=Nope&Version=1', 400, 'Could not find operation Nope for version 1'],
    ['no action', 'Version=1', 400, '<Code>MissingAction</Code>'],
    ['a mapped domain error', 'Action=Fail', 409, '<Code>Domain</Code><Message>nope</Message>'],
    ['an unexpected error', 'Action=Crash', 500, '<Type>Receiver</Type><Code>InternalFailure</Code>'],
    ['an inherited property name', 'Action=toString', 400, '<Code>InvalidAction</Code>'],
  ])('answers %s', async (_, body, status, fragment) => {
    // Act
    const res = await call(body);

    // Assess
    expect(res.status).toBe(status);
    expect(String(res.body)).toContain(fragment);
  });
});
