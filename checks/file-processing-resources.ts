import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { type FileProcessingNames, OUTPUTS } from '../contracts/file-processing.ts';
import { findModule } from '../core/curriculum.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/local-cloud.ts';
import type { TargetConfig } from '../core/target.ts';
import { names } from './names.ts';

/** Module 1's stack is not deployed where the attendee is looking. */
export class FileProcessingNotDeployedError extends Error {
  constructor(where: string) {
    super(`module 1 is not deployed on ${where}: deploy it with \`npm run deploy -- 1\``);
    this.name = 'FileProcessingNotDeployedError';
  }
}

/** Module 1's stack, for this process's attendee (`ada-WildRydesFileProcessing`). */
export const STACK_NAME = names.stack(findModule(1)?.stack ?? 'WildRydesFileProcessing');
const fileProcessingNames = names.fileProcessing;

/**
 * Finds module 1's resources: from the stack's outputs where CloudFormation answers (AWS, or a
 * local cloud whose deployer serves DescribeStacks), else by the naming convention of names.ts
 * with the local cloud's account and region.
 * @throws FileProcessingNotDeployedError when CloudFormation has no such stack.
 */
export async function locateFileProcessing(target: TargetConfig): Promise<FileProcessingNames> {
  const cloudformation = new CloudFormationClient(target.clientConfig);
  try {
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: STACK_NAME }));
    const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    const input = outputs.get(OUTPUTS.inputBucket);
    const output = outputs.get(OUTPUTS.outputBucket);
    if (!input || !output) throw new FileProcessingNotDeployedError(target.describe);
    const conventional = fileProcessingNames(LOCAL_ACCOUNT, LOCAL_REGION);
    return {
      ...conventional,
      inputBucket: input,
      outputBucket: output,
      table: outputs.get(OUTPUTS.table) ?? conventional.table,
      alarmTopic: outputs.get(OUTPUTS.alarmTopic) ?? conventional.alarmTopic,
    };
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    if (name === 'ValidationError' && /does not exist/.test((err as Error).message)) {
      throw new FileProcessingNotDeployedError(target.describe);
    }
    // A local cloud may not serve CloudFormation (it answers UnknownServiceException, which the
    // query protocol cannot even parse), or not be running: the names then tell, and the next
    // call on the bucket says which it was.
    if (target.target === 'local') return fileProcessingNames(LOCAL_ACCOUNT, LOCAL_REGION);
    throw err;
  } finally {
    cloudformation.destroy();
  }
}
