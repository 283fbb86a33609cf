/** The function operations: List/Get (read), Create, UpdateFunctionCode/Configuration, Delete. */
import { pathToFileURL } from 'node:url';
import type { GatewayResponse } from '../../types.ts';
import { functionArn } from '../arn.ts';
import { findFunction, type LambdaApiReader, type WritableBackend } from './backend.ts';
import { FunctionNotFoundError, invalidParameter, LambdaApiError, resourceConflict } from './errors.ts';
import { type CodeSource, codeSource, createFunctionInput, functionSettings } from './function-input.ts';
import { json, jsonBody, noContent, page, type Route, read } from './http.ts';
import { type FunctionRecord, functionConfiguration, type LocalFunctionDefinition } from './shapes.ts';

const FUNCTION = '/2015-03-31/functions/([^/]+)';

/** What CreateFunction answers, as AWS does: `Pending` (locally it is `Active` once this returns). */
const asCreated = (f: FunctionRecord) => {
  const { LastUpdateStatus: _, ...config } = functionConfiguration(f);
  return {
    ...config,
    State: 'Pending',
    StateReason: 'The function is being created.',
    StateReasonCode: 'Creating',
  };
};

/** What an update answers: the function stays `Active`, its update `InProgress` (AWS's wording). */
const asUpdating = (f: FunctionRecord) => ({
  ...functionConfiguration(f),
  LastUpdateStatus: 'InProgress',
  LastUpdateStatusReason: 'The function is being created.',
  LastUpdateStatusReasonCode: 'Creating',
});

/** ListFunctions, GetFunction and GetFunctionConfiguration. */
export function functionReadRoutes(backend: LambdaApiReader): Route[] {
  return [
    [
      'GET',
      /^\/2015-03-31\/functions\/?$/,
      async (_p, _req, q) => {
        const { items, next } = page(backend.functionRecords(), q, 50);
        return json({ Functions: items.map(functionConfiguration), ...(next && { NextMarker: next }) });
      },
    ],
    [
      'GET',
      new RegExp(`^${FUNCTION}/?$`),
      async ([name = ''], _req, q) => {
        const f = findFunction(backend, name, q);
        return json({
          Configuration: functionConfiguration(f),
          // Where the code is: on AWS a presigned S3 URL, here its directory.
          Code: { RepositoryType: 'S3', Location: pathToFileURL(f.def.codeDir).href },
        });
      },
    ],
    [
      'GET',
      new RegExp(`^${FUNCTION}/configuration/?$`),
      async ([name = ''], _req, q) => json(functionConfiguration(findFunction(backend, name, q))),
    ],
  ];
}

/** CreateFunction, UpdateFunctionCode, UpdateFunctionConfiguration and DeleteFunction. */
export function functionWriteRoutes(backend: WritableBackend): Route[] {
  /** Names being created or updated: a second change at once is refused, as AWS refuses it. */
  const busy = new Set<string>();

  /** A function by its plain name, as it is now. */
  const record = (name: string): FunctionRecord => {
    const found = backend.functionRecords().find((f) => f.def.name === name);
    if (!found) throw new FunctionNotFoundError(name);
    return found;
  };

  /** Applies a change to a function, one at a time per function. */
  async function change(name: string, work: () => Promise<void>): Promise<void> {
    if (busy.has(name)) {
      throw resourceConflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(name)}`,
      );
    }
    busy.add(name);
    try {
      await work();
    } finally {
      busy.delete(name);
    }
  }

  /** Unpacks a package for `name`, then hands its directory to `use`; the directory goes if `use` fails. */
  async function withCode(name: string, source: CodeSource, use: (codeDir: string) => Promise<unknown>) {
    const zip = 'zip' in source ? source.zip : await backend.readS3(source.s3);
    const codeDir = await backend.unpack(zip, name);
    try {
      await use(codeDir);
    } catch (err) {
      await backend.release(codeDir);
      throw err;
    }
  }

  /** Refuses a change whose `RevisionId` is not the function's current one. */
  function checkRevision(f: FunctionRecord, revisionId: string | undefined): void {
    if (revisionId !== undefined && revisionId !== f.revisionId) {
      throw new LambdaApiError(
        412,
        'PreconditionFailedException',
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
    }
  }

  return [
    [
      'POST',
      /^\/2015-03-31\/functions\/?$/,
      async (_p, req): Promise<GatewayResponse> => {
        const { def, code } = createFunctionInput(jsonBody(req));
        const exists = () => backend.functionRecords().some((f) => f.def.name === def.name);
        if (exists() || busy.has(def.name)) throw resourceConflict(`Function already exist: ${def.name}`);
        await change(def.name, () =>
          withCode(def.name, code, async (codeDir) => {
            // Another client may have deployed it meanwhile (the deployer does not go through here).
            if (exists()) throw resourceConflict(`Function already exist: ${def.name}`);
            await backend.putFunction({ ...def, codeDir });
          }),
        );
        return json(asCreated(record(def.name)), 201);
      },
    ],
    [
      'DELETE',
      new RegExp(`^${FUNCTION}/?$`),
      async ([name = ''], _req, q) => {
        if (q.get('Qualifier') === '$LATEST') {
          throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
        }
        const f = findFunction(backend, name, q);
        await backend.deleteFunction(f.def.name);
        return noContent();
      },
    ],
    [
      'PUT',
      new RegExp(`^${FUNCTION}/configuration/?$`),
      async ([name = ''], req, q) => {
        const body = jsonBody(req);
        const f = findFunction(backend, name, q);
        const settings = functionSettings(body);
        checkRevision(f, read.string(body, 'RevisionId'));
        await change(f.def.name, async () => {
          const def: LocalFunctionDefinition = { ...record(f.def.name).def, ...settings };
          await backend.putFunction(def);
        });
        return json(asUpdating(record(f.def.name)));
      },
    ],
    [
      'PUT',
      new RegExp(`^${FUNCTION}/code/?$`),
      async ([name = ''], req, q) => {
        const body = jsonBody(req);
        const f = findFunction(backend, name, q);
        const source = codeSource(body, 'UpdateFunctionCode');
        checkRevision(f, read.string(body, 'RevisionId'));
        if (read.boolean(body, 'DryRun')) return json(functionConfiguration(f));
        await change(f.def.name, () =>
          withCode(f.def.name, source, (codeDir) =>
            backend.putFunction({ ...record(f.def.name).def, codeDir }),
          ),
        );
        return json(asUpdating(record(f.def.name)));
      },
    ],
  ];
}
