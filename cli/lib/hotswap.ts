/**
 * `npm start`'s hot swap (`cdk watch --hotswap` for the local cloud): after each full deploy it
 * learns which files each deployed function's bundle reads (esbuild's metafile), and a saved
 * handler is rebuilt with the CDK asset's own esbuild settings and swapped in through the Lambda
 * service's UpdateFunctionCode, without a synth.
 */
import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { ENTRY_METADATA, HANDLER_BUNDLE } from '../../infra/constructs/handler-bundle.ts';
import { readAssembly } from '../../local/cloudformation/assembly.ts';
import type { LocalDeployer } from '../../local/cloudformation/deployer.ts';
import type { SwapMap, SwapTarget } from './hotswap-plan.ts';

const absolute = (root: string, inputs: Record<string, unknown>) =>
  new Set(Object.keys(inputs).map((p) => (isAbsolute(p) ? p : resolve(root, p))));

/** The files the CDK app reads: the stacks, the constructs and what they import (not packages). */
async function appInputs(app: string, root: string): Promise<Set<string>> {
  const { metafile } = await build({
    entryPoints: [app],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return absolute(root, metafile.inputs);
}

/** Handler bundle settings, as NodejsFunction passes them to esbuild for the workshop's functions. */
const bundleOptions = (entry: string, root: string): BuildOptions & { metafile: true } => ({
  entryPoints: [entry],
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: HANDLER_BUNDLE.format,
  target: HANDLER_BUNDLE.target,
  banner: { js: HANDLER_BUNDLE.banner },
  external: [...HANDLER_BUNDLE.external],
  metafile: true,
  logLevel: 'silent',
});

/** The files a handler's bundle reads. */
async function handlerInputs(entry: string, root: string): Promise<Set<string>> {
  const { metafile } = await build({ ...bundleOptions(entry, root), write: false });
  return absolute(root, metafile.inputs);
}

/**
 * Bundles a handler into `outdir/index.mjs` (with its source map), as the CDK asset has it.
 * Returns the files the bundle read. Throws esbuild's error for code that does not compile.
 */
export async function bundleHandler(entry: string, root: string, outdir: string): Promise<Set<string>> {
  await mkdir(outdir, { recursive: true });
  const { metafile } = await build({
    ...bundleOptions(entry, root),
    outfile: join(outdir, 'index.mjs'),
    sourcemap: true,
  });
  return absolute(root, metafile.inputs);
}

/**
 * What the hot path may swap after a deploy of `assemblyDir`: each deployed function whose
 * template names its handler file (`ENTRY_METADATA`), with its bundle's inputs.
 */
export async function buildSwapMap(opts: {
  assemblyDir: string;
  deployer: LocalDeployer;
  app: string;
  root: string;
}): Promise<SwapMap> {
  const { stacks } = await readAssembly(opts.assemblyDir);
  const found: { functionName: string; entry: string }[] = [];
  for (const stack of stacks) {
    const deployed = new Map(opts.deployer.resources(stack.stackName).map((r) => [r.logicalId, r]));
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      const entry = resource.Metadata?.[ENTRY_METADATA];
      const physical = deployed.get(logicalId);
      if (resource.Type !== 'AWS::Lambda::Function' || typeof entry !== 'string' || !physical) continue;
      found.push({ functionName: physical.physicalId, entry: resolve(opts.root, entry) });
    }
  }
  const [app, ...targets] = await Promise.all([
    appInputs(opts.app, opts.root),
    ...found.map(
      async (f): Promise<SwapTarget> => ({ ...f, inputs: await handlerInputs(f.entry, opts.root) }),
    ),
  ]);
  return { appInputs: app as Set<string>, targets: targets as SwapTarget[] };
}

/** esbuild's first error as one line: the message and where (`file:line:column`). */
export function buildErrorLine(err: unknown, root: string): string {
  const first = (
    err as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }
  ).errors?.[0];
  if (!first) return (err as Error).message ?? String(err);
  const at = first.location
    ? ` at ${first.location.file}:${first.location.line}:${first.location.column}`
    : '';
  return `${first.text}${at}`.replace(`${root}/`, '');
}

/** Removes an earlier swap's bundle directory (its process has loaded the code already). */
export const removeBundle = (dir: string) => rm(dir, { recursive: true, force: true });
