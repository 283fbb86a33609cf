import { describe, expect, it } from 'vitest';
import { cdkArgs } from './deploy.ts';

describe('the cdk command line of --target aws', () => {
  it("carries the attendee as context, so `--all` means the attendee's stacks", () => {
    // Act
    const args = cdkArgs('deploy', [], { solutions: [1, 2], attendee: 'ada' });

    // Assess
    expect(args.slice(0, 2)).toEqual(['deploy', '--all']);
    expect(args.join(' ')).toContain('-c attendee=ada');
  });

  it('is as before without an attendee', () => {
    // Act
    const args = cdkArgs('destroy', ['WildRydesStreaming'], { solutions: [] });

    // Assess
    expect(args.join(' ')).not.toContain('attendee');
  });
});
