import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRoom, roomFile, writeRoom } from './membership.ts';

const ADA = { url: 'http://192.168.1.20:4570', code: 'K7QM-2XPD-9TRA', name: 'Ada', attendee: 'a1b2c3d4e5' };

describe('the joined room in the state folder', () => {
  const env = { ...process.env };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wildrydes-membership-'));
    process.env.WILDRYDES_STATE_DIR = dir;
    delete process.env.WILDRYDES_ATTENDEE;
  });
  afterEach(() => {
    for (const name of ['WILDRYDES_STATE_DIR', 'WILDRYDES_ATTENDEE']) {
      if (env[name] === undefined) delete process.env[name];
      else process.env[name] = env[name];
    }
  });

  it('keeps one room per attendee sharing a checkout, and forgets it on leave', async () => {
    // Act
    await writeRoom(ADA);
    process.env.WILDRYDES_ATTENDEE = 'bob';
    await writeRoom({ ...ADA, name: 'Bob' });
    const bob = await readRoom();
    delete process.env.WILDRYDES_ATTENDEE;
    const ada = await readRoom();
    await writeRoom(undefined);

    // Assess
    expect(bob?.name).toBe('Bob');
    expect(ada?.name).toBe('Ada');
    expect(readdirSync(dir)).toEqual(['room-bob.json']);
  });

  it.each(['null', '[]', '{"url": "http://x", "code": "", "name": "Ada", "attendee": "a1b2c3d4e5"}', '{'])(
    'reads %s as not joined',
    async (content) => {
      writeFileSync(roomFile(), content);
      expect(await readRoom()).toBeUndefined();
    },
  );
});
