// No CDK import here: `npm start`'s hot swap reads these without loading aws-cdk-lib.

/**
 * How handlers are bundled (esbuild), in one place: the CDK asset and `npm start`'s hot swap of
 * a saved handler build the same code.
 */
export const HANDLER_BUNDLE = {
  format: 'esm',
  // The local cloud runs handlers on the machine's Node.js, which may be 20.
  target: 'node20',
  // Bundled CommonJS dependencies still call require() in an ES module.
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  /** What NodejsFunction leaves out on Node.js 18 and later: the runtime provides the SDK. */
  external: ['@aws-sdk/*'],
} as const;

/** Template metadata naming a function's handler file (relative to the repository): the hot swap reads it. */
export const ENTRY_METADATA = 'wildrydes:entry';
