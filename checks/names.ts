import { namesFor } from '../contracts/attendee.ts';
import { currentAttendee } from '../core/attendee.ts';

/**
 * The names the checks look for: those of this process's attendee (`--attendee ada`: `ada-wildrydes`,
 * …), chosen by the CLI before it loads a check; the workshop's own names without one.
 */
export const names = namesFor(currentAttendee());
