/**
 * The names of module 1's resources, in one place: the stack creates them, `npm run upload` and
 * `npm run check:module1` find them. Bucket names are global on AWS, so they carry the account
 * and the region; the others are per account and region already.
 */
export interface FileProcessingNames {
  inputBucket: string;
  outputBucket: string;
  table: string;
  conversionQueue: string;
  conversionDlq: string;
  sentimentQueue: string;
  sentimentDlq: string;
  alarmTopic: string;
  conversionFunction: string;
  sentimentFunction: string;
  /** Every CloudWatch alarm's name starts with it (`wildrydes-conversion-dlq-not-empty`, …). */
  alarmPrefix: string;
}

/** Stack outputs the CLI and the check read on AWS (`aws cloudformation describe-stacks`). */
export const OUTPUTS = {
  inputBucket: 'InputBucketName',
  outputBucket: 'OutputBucketName',
  table: 'SentimentTableName',
  alarmTopic: 'AlarmTopicArn',
} as const;

/**
 * Names for an account and region (CloudFormation tokens in the stack, real values elsewhere).
 * For an attendee sharing the account (`--attendee ada`), see `namesFor` in attendee.ts.
 */
export function fileProcessingNames(account: string, region: string): FileProcessingNames {
  return {
    inputBucket: `wildrydes-notes-input-${account}-${region}`,
    outputBucket: `wildrydes-notes-output-${account}-${region}`,
    table: 'SentimentTable',
    conversionQueue: 'wildrydes-conversion',
    conversionDlq: 'wildrydes-conversion-dlq',
    sentimentQueue: 'wildrydes-sentiment',
    sentimentDlq: 'wildrydes-sentiment-dlq',
    alarmTopic: 'wildrydes-file-processing-alarms',
    conversionFunction: 'wildrydes-conversion',
    sentimentFunction: 'wildrydes-sentiment',
    alarmPrefix: 'wildrydes-',
  };
}
