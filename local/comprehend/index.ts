import type { LocalCloud } from '../cloud.ts';
import { comprehendHandler } from './service.ts';

export { analyzeSentiment, type SentimentLabel, type SentimentResult } from './model.ts';
export { COMPREHEND_LIMITS, comprehendHandler } from './service.ts';

/** Serves Amazon Comprehend's sentiment APIs on the local cloud (service `comprehend`). */
export function installComprehend(cloud: Pick<LocalCloud, 'register'>): void {
  cloud.register('comprehend', comprehendHandler, 'wildrydes lexicon model');
}
