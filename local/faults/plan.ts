/**
 * Which failures the local cloud injects, parsed from `WILDRYDES_FAULTS` or `npm start --faults`
 * (`kinesis=0.1,dynamodb=0.1,crash=0.05,seed=7`). Off unless asked for.
 */

/** Services whose data-plane calls can be throttled, by their SigV4 name. */
export const THROTTLED_SERVICES = ['kinesis', 'dynamodb', 'comprehend'] as const;
export type ThrottledService = (typeof THROTTLED_SERVICES)[number];

/** What to inject; every fraction is between 0 and 1. */
export interface FaultPlan {
  /** Fraction of each service's data-plane calls answered with AWS's throttling error. */
  throttle: Partial<Record<ThrottledService, number>>;
  /** Fraction of the invocations by event source mappings whose process crashes mid-batch. */
  crash: number;
  /** Fraction of them that hang until the function's timeout. */
  timeout: number;
  /**
   * Fraction of the tumbling-window invocations after which Lambda ends the window early, as if
   * its state had passed 1 MB (`isWindowTerminatedEarly`); the window goes on from `{}`.
   */
  window?: number;
  /** The same seed gives each service and each function the same sequence of faults. */
  seed: number;
}

/** The environment variable that switches faults on for `npm start`. */
export const FAULTS_ENV = 'WILDRYDES_FAULTS';

const EXAMPLE = 'kinesis=0.1,dynamodb=0.1,crash=0.05,seed=7';
const KEYS = [...THROTTLED_SERVICES, 'crash', 'timeout', 'window', 'seed'] as const;

/** A fault specification that cannot be read; the message says how to write it. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const isThrottled = (key: string): key is ThrottledService =>
  (THROTTLED_SERVICES as readonly string[]).includes(key);

function fraction(key: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new FaultSpecError(
      `faults: '${key}=${value}' is not a fraction between 0 and 1: write e.g. ${key}=0.1`,
    );
  }
  return n;
}

/**
 * Parses `key=value,…` (keys: kinesis, dynamodb, comprehend, crash, timeout, window, seed). Returns
 * undefined for an empty text or `off`: no faults. Throws `FaultSpecError` naming the fix.
 */
export function parseFaultSpec(text: string | undefined): FaultPlan | undefined {
  const spec = text?.trim() ?? '';
  if (spec === '' || spec === 'off') return undefined;
  const plan: FaultPlan = { throttle: {}, crash: 0, timeout: 0, seed: 1 };
  const seen = new Set<string>();
  for (const part of spec.split(',').map((p) => p.trim())) {
    const [key = '', value, ...rest] = part.split('=');
    if (value === undefined || rest.length > 0 || key.trim() === '') {
      throw new FaultSpecError(`faults: '${part}' is not key=value: write e.g. ${EXAMPLE}`);
    }
    const name = key.trim();
    if (!(KEYS as readonly string[]).includes(name)) {
      throw new FaultSpecError(
        `faults: there is no fault '${name}': use ${KEYS.join(', ')} (e.g. ${EXAMPLE})`,
      );
    }
    if (seen.has(name)) throw new FaultSpecError(`faults: '${name}' is given twice: keep one`);
    seen.add(name);
    if (isThrottled(name)) plan.throttle[name] = fraction(name, value);
    else if (name === 'crash' || name === 'timeout' || name === 'window') plan[name] = fraction(name, value);
    else {
      const seed = Number(value);
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new FaultSpecError(`faults: 'seed=${value}' is not a whole number: write e.g. seed=7`);
      }
      plan.seed = seed;
    }
  }
  if (plan.crash + plan.timeout > 1) {
    throw new FaultSpecError(
      `faults: crash=${plan.crash} and timeout=${plan.timeout} add up to more than 1: lower one`,
    );
  }
  return plan;
}

const percent = (n: number) => `${Number((n * 100).toFixed(2))}%`;

/** One line for the person running the cloud: what is injected, and how to reproduce it. */
export function describeFaultPlan(plan: FaultPlan): string {
  const parts = [
    ...THROTTLED_SERVICES.flatMap((s) =>
      plan.throttle[s] ? [`${percent(plan.throttle[s])} of ${s} calls throttled`] : [],
    ),
    ...(plan.crash ? [`${percent(plan.crash)} of invocations crash mid-batch`] : []),
    ...(plan.timeout ? [`${percent(plan.timeout)} of invocations time out`] : []),
    ...(plan.window ? [`${percent(plan.window)} of tumbling windows end early`] : []),
  ];
  return `${parts.length ? parts.join(', ') : 'nothing injected'} (seed ${plan.seed})`;
}
