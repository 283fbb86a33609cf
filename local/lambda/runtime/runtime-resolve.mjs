// Module resolve hook for function processes (registered by bootstrap.mjs): the Lambda Node.js
// runtime provides the AWS SDK v3, so CDK bundles leave `@aws-sdk/*` out; when the bundle's own
// directory cannot resolve one, resolve it from the local cloud's node_modules instead.

let fallbackParentURL;

/** @param {{ parentURL: string }} data */
export async function initialize(data) {
  fallbackParentURL = data.parentURL;
}

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('@aws-sdk/') || !fallbackParentURL)
      throw err;
    return next(specifier, { ...context, parentURL: fallbackParentURL });
  }
}
