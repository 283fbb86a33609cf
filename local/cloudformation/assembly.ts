/**
 * Reads a CDK cloud assembly (`cdk.out`): the stacks in `manifest.json`, their templates, the
 * order they depend on each other, and where each asset CDK produced lives on disk.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { DeployError } from './errors.ts';
import { dependencyOrder } from './order.ts';
import type { CfnTemplate } from './template.ts';

/** One `aws:cloudformation:stack` artifact of an assembly. */
export interface AssemblyStack {
  /** Artifact id in the manifest (usually the construct id). */
  artifactId: string;
  /** The CloudFormation stack name. */
  stackName: string;
  /** Absolute path of the template file. */
  templateFile: string;
  template: CfnTemplate;
  /** Names of the stacks this one depends on (cross-stack references, `addDependency`). */
  dependencies: string[];
  /** The assembly directory: asset paths in template metadata are relative to it. */
  assemblyDir: string;
  /** Asset object key (`<hash>.zip`) → absolute path of its source in the assembly. */
  assets: Record<string, string>;
}

/** The stacks of an assembly, each after the stacks it depends on. */
export interface CloudAssembly {
  dir: string;
  stacks: AssemblyStack[];
}

interface ManifestArtifact {
  type: string;
  properties?: { templateFile?: string; stackName?: string; file?: string };
  dependencies?: string[];
  displayName?: string;
}

interface AssetManifest {
  files?: Record<
    string,
    {
      source?: { path?: string; packaging?: string };
      destinations?: Record<string, { objectKey?: string }>;
    }
  >;
}

const readJson = async <T>(file: string, what: string): Promise<T> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DeployError(`${what} not found at ${file}: synthesise the CDK app first`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new DeployError(`${what} at ${file} is not valid JSON: ${(err as Error).message}`);
  }
};

/** Reads `<dir>/manifest.json` and every stack template it lists. */
export async function readAssembly(dir: string): Promise<CloudAssembly> {
  const manifest = await readJson<{ artifacts?: Record<string, ManifestArtifact> }>(
    join(dir, 'manifest.json'),
    'cloud assembly manifest',
  );
  const artifacts = Object.entries(manifest.artifacts ?? {});
  const assets: Record<string, string> = {};
  for (const [, artifact] of artifacts) {
    if (artifact.type !== 'cdk:asset-manifest' || !artifact.properties?.file) continue;
    const assetManifest = await readJson<AssetManifest>(
      join(dir, artifact.properties.file),
      'asset manifest',
    );
    for (const file of Object.values(assetManifest.files ?? {})) {
      const path = file.source?.path;
      if (!path) continue;
      for (const destination of Object.values(file.destinations ?? {})) {
        if (destination.objectKey) assets[destination.objectKey] = isAbsolute(path) ? path : join(dir, path);
      }
    }
  }
  const stackArtifacts = artifacts.filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const nameOf = new Map(stackArtifacts.map(([id, a]) => [id, a.properties?.stackName ?? id]));
  const stacks: AssemblyStack[] = [];
  for (const [artifactId, artifact] of stackArtifacts) {
    const templateName = artifact.properties?.templateFile;
    if (!templateName)
      throw new DeployError(`stack ${artifactId} in ${dir}/manifest.json has no templateFile`);
    const templateFile = join(dir, templateName);
    const template = await readJson<CfnTemplate>(templateFile, `template of stack ${artifactId}`);
    stacks.push({
      artifactId,
      stackName: nameOf.get(artifactId) ?? artifactId,
      templateFile,
      template,
      dependencies: (artifact.dependencies ?? []).flatMap((d) => {
        const name = nameOf.get(d);
        return name ? [name] : [];
      }),
      assemblyDir: dir,
      assets,
    });
  }
  const byName = new Map(stacks.map((s) => [s.stackName, s]));
  const order = dependencyOrder(
    stacks.map((s) => s.stackName),
    (name) => byName.get(name)?.dependencies ?? [],
    'stacks',
  );
  return { dir, stacks: order.flatMap((name) => byName.get(name) ?? []) };
}

/**
 * The stacks to deploy for `names` (all when omitted): the named stacks plus the stacks they
 * depend on, as `cdk deploy` does, in dependency order.
 */
export function selectStacks(assembly: CloudAssembly, names?: readonly string[]): AssemblyStack[] {
  if (!names) return assembly.stacks;
  const byName = new Map(assembly.stacks.map((s) => [s.stackName, s]));
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name)) return;
    const stack = byName.get(name) ?? assembly.stacks.find((s) => s.artifactId === name);
    if (!stack) {
      throw new DeployError(
        `the cloud assembly in ${assembly.dir} has no stack '${name}' (it has: ${assembly.stacks.map((s) => s.stackName).join(', ') || 'none'})`,
      );
    }
    wanted.add(stack.stackName);
    for (const dependency of stack.dependencies) add(dependency);
  };
  for (const name of names) add(name);
  return assembly.stacks.filter((s) => wanted.has(s.stackName));
}
