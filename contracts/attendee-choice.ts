/**
 * The attendee of a command, chosen once at the start of every CLI (the workshop's and the
 * producer's): checked, remembered for the next commands, and put in `WILDRYDES_ATTENDEE` so
 * that what the command runs or loads (checks, cdk, the producer) uses the same names.
 */
import {
  ATTENDEE_ENV,
  type AttendeeSource,
  chooseAttendee,
  rememberAttendee,
  rememberedAttendee,
} from '../core/attendee.ts';
import { UsageError } from '../core/errors.ts';
import { attendeeProblem, namesFor, type WorkshopNames } from './attendee.ts';

export interface AttendeeChoice {
  attendee?: string;
  source: AttendeeSource;
  names: WorkshopNames;
  /** A line to show when the choice changed what is remembered; undefined otherwise. */
  note?: string;
}

/** A name as typed, safe to print in one line. */
const shown = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Chooses the attendee (`--attendee`, else `WILDRYDES_ATTENDEE`, else the remembered one), checks
 * it, remembers a new choice in the state folder and sets `WILDRYDES_ATTENDEE` in `env`.
 * @throws UsageError naming where a bad name came from.
 */
export function resolveAttendee(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  stateDir?: string,
): AttendeeChoice {
  const remembered = rememberedAttendee(stateDir);
  const { attendee, source } = chooseAttendee({ flag, env: env[ATTENDEE_ENV], remembered });
  const problem = attendee === undefined ? undefined : attendeeProblem(attendee);
  if (attendee !== undefined && problem) {
    const from =
      source === 'remembered' ? `the attendee remembered in ${stateDir ?? '.wildrydes'}/attendee` : source;
    throw new UsageError(`${from} ${shown(attendee)} cannot prefix AWS names: ${problem}`);
  }
  let note: string | undefined;
  if (source !== 'remembered' && source !== 'none' && attendee !== remembered) {
    rememberAttendee(attendee, stateDir);
    note = attendee
      ? `attendee ${attendee}: your stacks and resources are named ${attendee}-… (remembered for the next commands; --attendee '' to stop)`
      : 'no attendee: the workshop names are unprefixed again';
  }
  env[ATTENDEE_ENV] = attendee ?? '';
  return { attendee, source, names: namesFor(attendee), note };
}
