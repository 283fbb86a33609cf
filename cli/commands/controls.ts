import { attendeeProblem } from '../../contracts/attendee.ts';
import type { DeployFor, WorkshopCloud } from '../workshop-cloud.ts';

const json = (status: number, body: unknown) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * The running `npm start` owns the deployer and the Lambda hosts, so `npm run deploy`,
 * `catchup` and `cleanup` ask it over `/_wildrydes/deploy` and `/_wildrydes/destroy`.
 */
export function registerControls(workshop: WorkshopCloud): void {
  const stacksOf = (body: Buffer): string[] | undefined => {
    if (body.length === 0) return undefined;
    const parsed = JSON.parse(body.toString()) as { stacks?: string[] };
    return parsed.stacks;
  };
  /**
   * Whose stacks a deploy is for (`{ attendee, solutions }`, sent by `--attendee` commands on a
   * shared local cloud); undefined when the body names no attendee: npm start's own.
   */
  const forWhomOf = (body: Buffer): DeployFor | undefined => {
    if (body.length === 0) return undefined;
    const parsed = JSON.parse(body.toString()) as { attendee?: unknown; solutions?: unknown };
    if (parsed.attendee === undefined) return undefined;
    const attendee = typeof parsed.attendee === 'string' && parsed.attendee ? parsed.attendee : undefined;
    const problem = attendee === undefined ? undefined : attendeeProblem(attendee);
    if (problem) throw new Error(`the attendee '${attendee}' cannot prefix AWS names: ${problem}`);
    const solutions = Array.isArray(parsed.solutions) ? parsed.solutions.filter(Number.isInteger) : undefined;
    return { attendee, solutions };
  };
  workshop.cloud.control('deploy', async (req) => {
    if (req.method !== 'POST') return json(405, { error: 'POST only' });
    try {
      return json(200, await workshop.deploy(stacksOf(req.body), forWhomOf(req.body)));
    } catch (err) {
      return json(500, { error: (err as Error).message });
    }
  });
  workshop.cloud.control('destroy', async (req) => {
    if (req.method !== 'POST') return json(405, { error: 'POST only' });
    try {
      return json(200, { stacks: await workshop.destroy(stacksOf(req.body)) });
    } catch (err) {
      return json(500, { error: (err as Error).message });
    }
  });
}
