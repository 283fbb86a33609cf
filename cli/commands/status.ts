import { currentAttendee } from '../../core/attendee.ts';
import { curriculum } from '../../core/curriculum.ts';
import { readProgress } from '../../core/state.ts';

const BAR_WIDTH = 20;

/** `wildrydes status`: a progress bar over the modules, from the latest result of each check. */
export async function status(out: (line: string) => void = console.log): Promise<number> {
  const progress = await readProgress();
  const done = curriculum.filter((m) => progress[m.key]?.passed).length;
  const filled = Math.round((done / curriculum.length) * BAR_WIDTH);
  out(
    `Wild Rydes workshop  [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${done}/${curriculum.length} modules done`,
  );
  const attendee = currentAttendee();
  if (attendee) out(`  attendee ${attendee}: your stacks and resources are named ${attendee}-…`);
  for (const m of curriculum) {
    const result = progress[m.key];
    const mark = result === undefined ? '·' : result.passed ? '✔' : '✖';
    const note = result && !result.passed ? `  (last check failed: run \`npm run ${m.check}\`)` : '';
    out(`  ${mark} ${m.id} ${m.title}${note}`);
  }
  const next = curriculum.find((m) => !progress[m.key]?.passed);
  out(
    next
      ? `Next: module ${next.id} — ${next.folder}/README.md, then \`npm run ${next.check}\``
      : 'All modules done!',
  );
  return 0;
}
