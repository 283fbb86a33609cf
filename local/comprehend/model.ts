import { INTENSIFIERS, NEGATORS, VALENCE } from './lexicon.ts';

/** Comprehend's four labels. */
export type SentimentLabel = 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';

/** What DetectSentiment returns: a label and four confidences that add up to 1. */
export interface SentimentResult {
  Sentiment: SentimentLabel;
  SentimentScore: { Positive: number; Negative: number; Neutral: number; Mixed: number };
}

/** How many words after a negator it still flips ("not at all good"). */
const NEGATION_SPAN = 3;
/** A negated word counts for less than the same word said plainly ("not bad" is not "good"). */
const NEGATION_WEIGHT = 0.74;

/** Positive and negative evidence in a text, in valence points, and how many words it has. */
export interface Evidence {
  positive: number;
  negative: number;
  words: number;
}

/** Adds up the valence of the words, with negation and intensifiers applied. */
export function evidenceOf(text: string): Evidence {
  const words = text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  let positive = 0;
  let negative = 0;
  let negatedUntil = -1;
  words.forEach((word, i) => {
    if (NEGATORS.has(word)) {
      negatedUntil = i + NEGATION_SPAN;
      return;
    }
    const valence = VALENCE.get(word);
    if (valence === undefined) return;
    const boost = INTENSIFIERS.get(words[i - 1] ?? '') ?? 1;
    const value = i <= negatedUntil ? -valence * NEGATION_WEIGHT * boost : valence * boost;
    if (value > 0) positive += value;
    else negative -= value;
  });
  return { positive, negative, words: words.length };
}

/**
 * Turns evidence into Comprehend-shaped confidences. The more valence per word, the less neutral;
 * the more evenly it splits between positive and negative, the more mixed. The four add up to 1.
 */
export function scoresOf({ positive, negative, words }: Evidence): SentimentResult['SentimentScore'] {
  const total = positive + negative;
  if (total === 0) return { Positive: 0, Negative: 0, Neutral: 1, Mixed: 0 };
  // Long texts need more evidence before they stop being neutral.
  const strength = total / (total + 1.5 + words * 0.05);
  const balance = (2 * Math.min(positive, negative)) / total;
  const mixed = strength * balance;
  const polar = strength - mixed;
  return {
    Positive: (polar * positive) / total,
    Negative: (polar * negative) / total,
    Neutral: 1 - strength,
    Mixed: mixed,
  };
}

/** The local stand-in for Comprehend's model: a lexicon, negation and intensifiers. English only. */
export function analyzeSentiment(text: string): SentimentResult {
  const score = scoresOf(evidenceOf(text));
  const ranked: [SentimentLabel, number][] = [
    ['POSITIVE', score.Positive],
    ['NEGATIVE', score.Negative],
    ['NEUTRAL', score.Neutral],
    ['MIXED', score.Mixed],
  ];
  ranked.sort((a, b) => b[1] - a[1]);
  return { Sentiment: ranked[0]?.[0] ?? 'NEUTRAL', SentimentScore: score };
}
