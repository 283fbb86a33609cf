/** Comprehend's answer to injected throttling: a refused call (it has no partial batches here). */
import { type FaultShapes, INJECTED, jsonAnswer } from '../faults/shapes.ts';

export const comprehendFaults: FaultShapes = {
  refused: (_req, errorType) =>
    jsonAnswer('application/x-amz-json-1.1', 400, {
      __type: errorType,
      message: `Rate exceeded ${INJECTED}`,
    }),
  entryCount: () => 0,
};
