import { describe, expect, it } from 'vitest';
import { rerunCommand } from './check.ts';

describe('rerunCommand: the `next:` line repeats the check as it was run', () => {
  const defaults = { target: 'local' as const, name: 'Shadowfax', wait: '90' };

  it('is the plain script when every option is the default', () => {
    expect(rerunCommand('check:module4', defaults)).toBe('npm run check:module4');
  });

  it('keeps the unicorn the learner named', () => {
    expect(rerunCommand('check:module4', { ...defaults, name: 'Bucephalus' })).toBe(
      'npm run check:module4 -- --name Bucephalus',
    );
  });

  it('keeps the target, the region and a longer wait, and quotes a name with a space', () => {
    expect(
      rerunCommand('check:module3', {
        target: 'aws',
        region: 'eu-west-1',
        name: "Silver Blaze's",
        wait: ' 120 ',
      }),
    ).toBe(`npm run check:module3 -- --name 'Silver Blaze'\\''s' --target aws --region eu-west-1 --wait 120`);
  });

  it('keeps --drive instead of the name, since a driven check names its own unicorn', () => {
    expect(rerunCommand('check:extra', { ...defaults, name: 'Bucephalus', drive: true })).toBe(
      'npm run check:extra -- --drive',
    );
  });
});
