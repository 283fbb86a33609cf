/**
 * Synthesises a CDK app to a cloud assembly without the CDK CLI: runs the app's entry with tsx in
 * a child process, the way the CLI does (`CDK_OUTDIR`, context in `CDK_CONTEXT_JSON`), and reads
 * the manifest it writes. A failure becomes one `SynthError` that names the stack or file.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';
import { type CloudAssembly, readAssembly } from './assembly.ts';
import { SynthError } from './errors.ts';

export interface SynthOptions {
  /** The app's entry file, e.g. `infra/app.ts`. */
  app: string;
  /** Where the assembly is written (created if missing). */
  outdir: string;
  /** Context values, as `cdk -c key=value` would pass them; they win over cdk.json's. */
  context?: Record<string, unknown>;
  /**
   * The project directory: the app runs there and its `cdk.json` / `cdk.context.json` context
   * is merged in, as the CLI does. Defaults to the nearest directory above the app with a cdk.json.
   */
  projectDir?: string;
  /** Extra environment variables for the app. */
  env?: Record<string, string>;
  /** Kills a synth that takes longer (default 5 minutes). */
  timeoutMs?: number;
}

/** Context the CDK CLI always passes: asset metadata is how the deployer finds bundled code. */
export const CLI_DEFAULT_CONTEXT: Readonly<Record<string, unknown>> = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
  'aws:cdk:disable-stack-trace': true,
};

const require = createRequire(import.meta.url);

/** The nearest directory at or above `start` that holds a cdk.json. */
export function findProjectDir(start: string): string | undefined {
  let dir = resolvePath(start);
  for (;;) {
    if (existsSync(join(dir, 'cdk.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const readContextFile = async (file: string, key?: string): Promise<Record<string, unknown>> => {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const context = key ? json[key] : json;
    return typeof context === 'object' && context !== null ? (context as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/**
 * Synthesises `opts.app` into `opts.outdir` and returns the assembly.
 * @throws SynthError with one line naming the failing stack or file; `details` holds the output
 */
export async function synthesize(opts: SynthOptions): Promise<CloudAssembly> {
  const app = resolvePath(opts.app);
  if (!existsSync(app)) throw new SynthError(`the CDK app ${opts.app} does not exist`);
  const outdir = resolvePath(opts.outdir);
  const projectDir = opts.projectDir ?? findProjectDir(dirname(app)) ?? dirname(app);
  const context = {
    ...CLI_DEFAULT_CONTEXT,
    ...(await readContextFile(join(projectDir, 'cdk.context.json'))),
    ...(await readContextFile(join(projectDir, 'cdk.json'), 'context')),
    ...opts.context,
  };
  await mkdir(outdir, { recursive: true });
  const output = await run(app, projectDir, opts.timeoutMs ?? 300_000, {
    ...process.env,
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
    CDK_DEFAULT_ACCOUNT: LOCAL_ACCOUNT,
    CDK_DEFAULT_REGION: LOCAL_REGION,
    ...opts.env,
  });
  const appName = relative(process.cwd(), app) || app;
  if (output.code !== 0) {
    throw new SynthError(
      `synth of ${appName} failed: ${explainFailure(output.text, projectDir)}`,
      output.text,
    );
  }
  const errors = await annotationErrors(outdir);
  if (errors.length > 0) {
    const [first] = errors;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new SynthError(
      `synth of ${appName} reported an error in ${first?.path}: ${first?.message}${more}`,
      errors.map((e) => `${e.path}: ${e.message}`).join('\n'),
    );
  }
  return readAssembly(outdir);
}

interface RunOutput {
  code: number;
  text: string;
}

async function run(app: string, cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<RunOutput> {
  const tsx = require.resolve('tsx/cli');
  const child = spawn(process.execPath, [tsx, app], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => chunks.push(c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number>((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (c) => resolve(c ?? 1));
  });
  clearTimeout(timer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (timedOut) return { code: 1, text: `the app did not finish within ${timeoutMs / 1000} s\n${text}` };
  return { code, text };
}

/**
 * The one line that says why a synth failed, from the app's output: an esbuild error (a handler
 * that does not compile, with the stack whose asset it was), a TypeScript syntax error in the app
 * or a stack, or the first error thrown with the app's own frame that threw it.
 */
export function explainFailure(output: string, baseDir = process.cwd()): string {
  const rel = (file: string) => {
    const r = relative(baseDir, file);
    return r.startsWith('..') ? file : r;
  };
  const lines = output.split('\n').map((l) => stripVTControlCharacters(l).trimEnd());
  const bundling = /Failed to bundle asset ([^/\s]+)\/([^\s,]+)/.exec(output);
  // CDK's own errors end with the construct they relate to, drawn as a tree down to the stack.
  const construct = lines.map((l) => /[└├]─ (\S+) \([\w-]+\.Stack\)/.exec(l)).find(Boolean);
  const stackName = bundling?.[1] ?? construct?.[1];
  const stack = stackName ? ` in stack ${stackName}` : '';

  const esbuild = lines.findIndex((l) => /\[ERROR\]/.test(l));
  if (esbuild >= 0) {
    const message = (lines[esbuild] ?? '').replace(/^.*\[ERROR\]\s*/, '');
    const location = lines.slice(esbuild + 1, esbuild + 4).find((l) => /^\s*\S+:\d+:\d+:\s*$/.test(l));
    const where = location ? ` at ${rel(location.trim().replace(/:$/, ''))}` : '';
    const asset = bundling ? ` (asset ${bundling[1]}/${bundling[2]})` : '';
    return `a Lambda handler does not compile${stack}: ${message}${where}${asset}`;
  }
  const transform = lines.map((l) => /(\S+\.[cm]?[jt]sx?):(\d+):(\d+): ERROR: (.*)$/.exec(l)).find(Boolean);
  if (transform) {
    return `${rel(transform[1] ?? '')}:${transform[2]}:${transform[3]}: ${transform[4]}`;
  }
  const cdkError = lines.findIndex((l) => /^«\w+» /.test(l));
  if (cdkError >= 0) {
    const message = (lines[cdkError] ?? '').replace(/^«(\w+)» /, '$1: ');
    const frame = lines
      .slice(cdkError + 1)
      .map((l) => /^\s+at (?:(.*?) \()?(\/[^():]+):(\d+):(\d+)\)?$/.exec(l))
      .find((m) => m && !m[2]?.includes('/node_modules/'));
    const where = frame ? ` (at ${rel(frame[2] ?? '')}:${frame[3]})` : '';
    return `${message}${stack}${where}`;
  }
  const errorIndex = lines.findIndex((l) => /^\s*(?:\w+)?(?:Error|Exception)(?: \[[\w-]+\])?: /.test(l));
  if (errorIndex >= 0) {
    const message = (lines[errorIndex] ?? '').trim();
    const frame = lines
      .slice(errorIndex + 1)
      .map((l) => /^\s+at (?:(.*?) \()?(\/[^():]+):(\d+):(\d+)\)?$/.exec(l))
      .find((m) => m && !m[2]?.includes('/node_modules/') && !m[2]?.startsWith('node:'));
    const where = frame ? ` (at ${rel(frame[2] ?? '')}:${frame[3]}${frame[1] ? ` in ${frame[1]}` : ''})` : '';
    return `${message}${stack}${where}`;
  }
  const last = lines.filter((l) => l.trim() && !/^Node\.js v\d/.test(l)).at(-1);
  return last ? last.trim() : 'the app exited with an error and printed nothing';
}

interface AnnotationError {
  path: string;
  message: string;
}

/** `aws:cdk:error` annotations (cdk-nag findings, validation errors): the CLI refuses to deploy them. */
async function annotationErrors(outdir: string): Promise<AnnotationError[]> {
  let manifest: { artifacts?: Record<string, { metadata?: unknown; additionalMetadataFile?: string }> };
  try {
    manifest = JSON.parse(await readFile(join(outdir, 'manifest.json'), 'utf8'));
  } catch {
    return [];
  }
  const errors: AnnotationError[] = [];
  for (const artifact of Object.values(manifest.artifacts ?? {})) {
    const sources: unknown[] = [artifact.metadata];
    if (artifact.additionalMetadataFile) {
      sources.push(
        await readFile(join(outdir, artifact.additionalMetadataFile), 'utf8')
          .then((t) => JSON.parse(t) as unknown)
          .catch(() => undefined),
      );
    }
    for (const source of sources) {
      if (typeof source !== 'object' || source === null) continue;
      for (const [path, entries] of Object.entries(source as Record<string, unknown>)) {
        if (!Array.isArray(entries)) continue;
        for (const entry of entries as { type?: string; data?: unknown }[]) {
          if (entry.type === 'aws:cdk:error') errors.push({ path, message: String(entry.data) });
        }
      }
    }
  }
  return errors;
}
