/** The event source mapping operations: List, Get, Create, Update, Delete. */
import { parseFunctionName } from '../arn.ts';
import { findMapping, type LambdaApiReader, type WritableBackend } from './backend.ts';
import { invalidParameter, resourceConflict } from './errors.ts';
import { json, jsonBody, page, type Route } from './http.ts';
import { createMappingInput, updatedMapping } from './mapping-input.ts';
import { type MappingRecord, mappingConfiguration } from './shapes.ts';

const MAPPINGS = '/2015-03-31/event-source-mappings';

/** A mapping as a changing operation answers it: `Creating`, `Updating` or `Deleting`, as on AWS. */
const inState = (m: MappingRecord, state: string) => ({ ...mappingConfiguration(m), State: state });

/** The message AWS refuses a second mapping of the same source to the same function with. */
function duplicateMessage(m: MappingRecord): string {
  const { eventSourceArn, uuid } = m.def;
  return m.source === 'sqs'
    ? `An event source mapping with SQS arn (" ${eventSourceArn} ") and function (" ${m.functionName} ") already exists. Please update or delete the existing mapping with UUID ${uuid}`
    : `The event source arn (" ${eventSourceArn} ") and function (" ${m.functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${uuid}`;
}

/** ListEventSourceMappings and GetEventSourceMapping. */
export function mappingReadRoutes(backend: LambdaApiReader): Route[] {
  return [
    [
      'GET',
      new RegExp(`^${MAPPINGS}/?$`),
      async (_p, _req, q) => {
        const fn = q.get('FunctionName');
        const name = fn ? parseFunctionName(fn).name : undefined;
        const arn = q.get('EventSourceArn');
        const matching = backend
          .mappingRecords()
          .filter(
            (m) => (name === undefined || m.functionName === name) && (!arn || m.def.eventSourceArn === arn),
          );
        const { items, next } = page(matching, q, 100);
        return json({
          EventSourceMappings: items.map(mappingConfiguration),
          ...(next && { NextMarker: next }),
        });
      },
    ],
    [
      'GET',
      new RegExp(`^${MAPPINGS}/([^/]+)/?$`),
      async ([uuid = '']) => json(mappingConfiguration(findMapping(backend, uuid))),
    ],
  ];
}

/** CreateEventSourceMapping, UpdateEventSourceMapping and DeleteEventSourceMapping. */
export function mappingWriteRoutes(backend: WritableBackend): Route[] {
  const checkFunction = (name: string) => {
    if (!backend.functionRecords().some((f) => f.def.name === name)) {
      throw invalidParameter('Function does not exist');
    }
  };
  const mapping = (uuid: string) => findMapping(backend, encodeURIComponent(uuid));

  return [
    [
      'POST',
      new RegExp(`^${MAPPINGS}/?$`),
      async (_p, req) => {
        const { def } = createMappingInput(jsonBody(req));
        checkFunction(def.functionName);
        const duplicate = backend
          .mappingRecords()
          .find((m) => m.functionName === def.functionName && m.def.eventSourceArn === def.eventSourceArn);
        if (duplicate) throw resourceConflict(duplicateMessage(duplicate));
        const { uuid } = await backend.putEventSourceMapping(def);
        return json(inState(mapping(uuid), 'Creating'), 202);
      },
    ],
    [
      'PUT',
      new RegExp(`^${MAPPINGS}/([^/]+)/?$`),
      async ([uuid = ''], req) => {
        const existing = findMapping(backend, uuid);
        const def = updatedMapping(existing.def, existing.source, jsonBody(req));
        checkFunction(def.functionName);
        await backend.putEventSourceMapping(def);
        return json(inState(mapping(existing.def.uuid), 'Updating'), 202);
      },
    ],
    [
      'DELETE',
      new RegExp(`^${MAPPINGS}/([^/]+)/?$`),
      async ([uuid = '']) => {
        const existing = findMapping(backend, uuid);
        await backend.deleteEventSourceMapping(existing.def.uuid);
        return json(inState(existing, 'Deleting'), 202);
      },
    ],
  ];
}
