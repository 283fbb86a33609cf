/**
 * The attendee's side for real: `npm run join`, then a real check and `npm run status` (the CLI
 * as npm runs it, against a local cloud) report to the board; with the board stopped, or hanging,
 * the same commands end with the same exit code and the same output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curriculum, repoRoot } from '../core/curriculum.ts';
import { useLocalCloud } from '../testing/local-cloud.ts';
import { type BoardServer, startBoard } from './server.ts';

const CODE = 'CLI-TEST-ROOM';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('an attendee in a room', () => {
  const cloud = useLocalCloud();
  const state = mkdtempSync(join(tmpdir(), 'wildrydes-room-'));
  let board: BoardServer;

  /** The workshop CLI as `npm run …` runs it, in this attendee's own state folder. */
  const wildrydes = (...args: string[]): Promise<Run> => {
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|WILDRYDES_)/.test(k))),
      HOME: state,
      WILDRYDES_STATE_DIR: state,
      WILDRYDES_ENDPOINT: cloud().endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/wildrydes.ts'), ...args], {
      cwd: repoRoot,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  };

  beforeAll(async () => {
    board = await startBoard({
      port: 0,
      host: '127.0.0.1',
      code: CODE,
      modules: curriculum.map(({ id, key, title }) => ({ id, key, title })),
    });
  });
  afterAll(async () => {
    await board?.close();
  });

  const ada = () => board.room.snapshot(Date.now()).attendees.find((a) => a.name === 'Ada');

  it('joins with the code, and is refused with a wrong one', async () => {
    // Act
    const wrong = await wildrydes('join', board.url, '--code', 'WRONG-CODE-42', '--name', 'Ada');
    const joined = await wildrydes('join', board.url, '--code', CODE.toLowerCase(), '--name', 'Ada');

    // Assess
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^error: the board at .* refused: wrong room code/);
    expect(joined).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^✔ joined the room at .* as Ada/),
    });
    expect(JSON.parse(readFileSync(join(state, 'room.json'), 'utf8'))).toMatchObject({ name: 'Ada' });
    expect(ada()).toMatchObject({ module: 'module1', state: 'working', lastCommand: 'join' });
  }, 120_000);

  let checkUp: Run;
  let statusUp: Run;

  it("reports a real check's result and first failing step, and a status", async () => {
    // Act: module 2's check on a cloud where nothing is deployed
    checkUp = await wildrydes('check', 'module2', '--wait', '1');
    const afterCheck = ada();
    statusUp = await wildrydes('status');

    // Assess: the step the check printed as failing is the one on the board
    expect(checkUp.code).toBe(1);
    const failing = /^ {2}✖ (.+)$/m.exec(checkUp.stdout)?.[1];
    expect(failing).toBeDefined();
    expect(afterCheck).toMatchObject({
      module: 'module2',
      state: 'stuck',
      failedStep: failing,
      lastCheck: { module: 'module2', passed: false },
    });
    expect(statusUp.code).toBe(0);
    expect(ada()).toMatchObject({ lastCommand: 'status' });
  }, 120_000);

  it('ends a check and a status the same way with the board stopped', async () => {
    // Prepare
    await board.close();

    // Act
    const checkDown = await wildrydes('check', 'module2', '--wait', '1');
    const statusDown = await wildrydes('status');

    // Assess
    expect(checkDown).toEqual(checkUp);
    expect(statusDown).toEqual(statusUp);
  }, 120_000);

  it('ends a status the same way when the board takes the connection and never answers', async () => {
    // Prepare: a "board" that accepts and says nothing
    const sockets: Socket[] = [];
    const hanging: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as { port: number }).port;
    const room = JSON.parse(readFileSync(join(state, 'room.json'), 'utf8'));
    writeFileSync(join(state, 'room.json'), JSON.stringify({ ...room, url: `http://127.0.0.1:${port}` }));

    // Act
    const statusHanging = await wildrydes('status');

    // Assess: the report was sent, given up, and the command ended as before
    expect(sockets.length).toBeGreaterThan(0);
    expect(statusHanging).toEqual(statusUp);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => hanging.close(resolve));
  }, 120_000);
});
