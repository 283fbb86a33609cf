/**
 * A small English valence lexicon in the AFINN style (−5 very negative … +5 very positive), chosen
 * for what people say about rides, apps and service. Small on purpose: the local model only has to
 * tell clearly positive, clearly negative, mixed and neutral notes apart, as the workshop needs.
 */
// biome-ignore format: a compact word table reads better than one word per line
export const VALENCE: ReadonlyMap<string, number> = new Map(
  Object.entries({
    // positive
    amazing: 4, awesome: 4, best: 3, beautiful: 3, better: 2, brilliant: 4, calm: 2, charming: 3,
    cheerful: 2, clean: 2, comfortable: 2, comfy: 2, convenient: 2, cool: 1, courteous: 2, delight: 3,
    delighted: 3, delightful: 3, easy: 1, efficient: 2, enjoy: 2, enjoyable: 2, enjoyed: 2, excellent: 3,
    excited: 3, exciting: 3, fabulous: 4, fantastic: 4, fast: 1, favorite: 2, favourite: 2, fine: 1,
    friendly: 2, fun: 4, glad: 3, good: 3, gorgeous: 3, grateful: 3, great: 3, happy: 3, helpful: 2,
    impressed: 3, impressive: 3, incredible: 4, kind: 2, like: 2, liked: 2, love: 3, loved: 3, lovely: 3,
    loves: 3, magical: 3, marvelous: 3, nice: 3, outstanding: 5, perfect: 3, pleasant: 3, pleased: 3,
    polite: 2, positive: 2, prompt: 1, punctual: 2, quick: 1, recommend: 2, recommended: 2, relaxed: 2,
    reliable: 2, safe: 1, satisfied: 2, smooth: 2, splendid: 3, stunning: 4, superb: 5, thank: 2,
    thanks: 2, thrilled: 5, welcoming: 2, win: 4, wonderful: 4, wow: 4,
    // negative
    angry: -3, annoyed: -2, annoying: -2, anxious: -2, awful: -3, bad: -3, boring: -3, broke: -1,
    broken: -1, buggy: -2, careless: -2, complain: -2, complained: -2, complaint: -2, confused: -2,
    confusing: -2, crash: -2, crashed: -2, crashes: -2, cramped: -2, delay: -1, delayed: -1, dirty: -2,
    disappointed: -2, disappointing: -2, disaster: -2, disgusting: -3, dreadful: -3, error: -2,
    expensive: -1, fail: -2, failed: -2, failure: -2, filthy: -3, frightened: -2, frustrated: -2,
    frustrating: -2, hate: -3, hated: -3, horrible: -3, hostile: -2, ignored: -2, late: -1, lost: -3,
    mess: -2, miserable: -3, nightmare: -3, overpriced: -2, pain: -2, painful: -2, poor: -2, problem: -2,
    problems: -2, rude: -2, sad: -2, scared: -2, scary: -2, sick: -2, slow: -2, smelly: -2, stuck: -2,
    terrible: -3, unacceptable: -2, uncomfortable: -2, unfriendly: -2, unhappy: -2, unreliable: -2,
    unsafe: -2, upset: -2, useless: -2, waste: -1, wasted: -2, worse: -3, worst: -3, wrong: -2,
  }),
);

/** Words that flip the valence of the next few words ("not good", "never late"). */
// biome-ignore format: a compact word list
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'hardly', 'barely',
  "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "wouldn't", "can't",
  "cannot", "couldn't", "shouldn't", "haven't", "hasn't", 'dont', 'didnt', 'isnt', 'wasnt', 'cant',
]);

/** Words that strengthen the next word ("very good"). */
export const INTENSIFIERS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    very: 1.5,
    really: 1.5,
    extremely: 2,
    so: 1.3,
    super: 1.5,
    incredibly: 2,
    truly: 1.3,
    totally: 1.5,
  }),
);
