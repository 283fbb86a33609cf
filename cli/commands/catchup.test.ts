import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDeployment } from '../../core/state.ts';
import { freePort as closedPort } from '../../testing/ports.ts';
import { catchup } from './deploy.ts';

describe('npm run catchup', () => {
  const env = { ...process.env };
  afterEach(() => {
    for (const name of ['WILDRYDES_ENDPOINT', 'WILDRYDES_STATE_DIR']) {
      if (env[name] === undefined) delete process.env[name];
      else process.env[name] = env[name];
    }
  });

  it.each(['0x1', '1e0', '1.0', 'abc'])('refuses %s as a module number', async (module) => {
    // Act & Assess
    await expect(catchup({ module, target: 'local' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('catch up to a module from 1 to'),
    });
  });

  it('records nothing as caught up when the local cloud is down', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'wildrydes-catchup-'));
    process.env.WILDRYDES_STATE_DIR = dir;
    process.env.WILDRYDES_ENDPOINT = `http://127.0.0.1:${await closedPort()}`;

    // Act & Assess
    await expect(catchup({ module: '2', target: 'local' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/the local cloud is not running/),
    });
    expect((await readDeployment(dir)).solutions).toEqual([]);
  });
});
