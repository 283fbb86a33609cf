/**
 * What a save takes: a hot swap of the functions whose bundles include the saved files, or the
 * full deploy (synth + CloudFormation) whenever the swap cannot be proved to give the same result.
 */

/** A deployed function that can be swapped: its handler file and every file its bundle reads. */
export interface SwapTarget {
  functionName: string;
  /** Absolute path of the handler file (the bundle's entry). */
  entry: string;
  /** Absolute paths of the bundle's inputs (esbuild's metafile), the entry included. */
  inputs: ReadonlySet<string>;
}

/** What the hot path knows since the last full deploy that succeeded. */
export interface SwapMap {
  targets: readonly SwapTarget[];
  /** Absolute paths of the files the CDK app (stacks, constructs, what they import) reads. */
  appInputs: ReadonlySet<string>;
}

export type SavePlan = { kind: 'swap'; targets: SwapTarget[] } | { kind: 'deploy'; reason: string };

/**
 * Decides how to take `files` (absolute paths saved together). `map` is undefined when the last
 * full deploy failed or has not run: only a full deploy can then make the cloud match the code.
 */
export function planSave(files: readonly string[], map: SwapMap | undefined): SavePlan {
  if (!map) return { kind: 'deploy', reason: 'the last deploy did not complete' };
  if (files.length === 0) return { kind: 'deploy', reason: 'nothing saved' };
  const targets = new Set<SwapTarget>();
  for (const file of files) {
    if (map.appInputs.has(file)) return { kind: 'deploy', reason: `${file} is read by the CDK app` };
    const reached = map.targets.filter((t) => t.inputs.has(file));
    if (reached.length === 0) return { kind: 'deploy', reason: `${file} is in no deployed function` };
    for (const t of reached) targets.add(t);
  }
  return { kind: 'swap', targets: [...targets] };
}
