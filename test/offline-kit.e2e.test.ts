import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../core/curriculum.ts';
import { KIT_PLATFORMS } from '../scripts/kit-platforms.mjs';

// `npm run kit` as an instructor runs it, then the kit on a machine with no network at all: a
// network namespace whose only interface is loopback (`unshare --net`; CI runs as root, and
// --map-root-user lets a user with namespaces run it too).

const run = promisify(execFile);
const MINUTES = 60_000;

describe('the offline kit', () => {
  let work = '';
  let kit = '';
  let built = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'wildrydes-kit-test-'));
    kit = join(work, 'wildrydes-kit.tgz');
    built = (
      await run(process.execPath, [join(repoRoot, 'scripts/kit.mjs'), '--out', kit], {
        cwd: repoRoot,
        maxBuffer: 16 * 1024 * 1024,
      })
    ).stdout;
  }, 15 * MINUTES);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('holds the attendee install, esbuild for each platform it names, and no contributor tools', async () => {
    // Act
    const { stdout } = await run('tar', ['tzf', kit], { maxBuffer: 256 * 1024 * 1024 });
    const entries = new Set(stdout.split('\n'));

    // Assess
    expect(built).toMatch(/kit: .*wildrydes-kit\.tgz \(\d+ MB\)/);
    for (const platform of KIT_PLATFORMS)
      expect(entries.has(`wildrydes/node_modules/@esbuild/${platform}/package.json`), platform).toBe(true);
    for (const needed of ['dist/producer.mjs', 'node_modules/aws-cdk-lib/package.json', 'package-lock.json'])
      expect(entries.has(`wildrydes/${needed}`), needed).toBe(true);
    for (const devOnly of ['vitest', '@biomejs/biome', '@docusaurus/core', 'playwright-core'])
      expect(entries.has(`wildrydes/node_modules/${devOnly}/package.json`), devOnly).toBe(false);
  });

  it(
    'unpacks with no network to a workshop where npm start and check:module2 pass',
    async () => {
      // Arrange
      const offline = join(work, 'offline');
      await mkdir(offline);

      // Act
      const { stdout } = await run(
        'unshare',
        ['--net', '--map-root-user', 'bash', join(repoRoot, 'test/fixtures/offline-kit.sh'), kit, offline],
        { maxBuffer: 16 * 1024 * 1024, timeout: 10 * MINUTES },
      ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`offline run failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      });

      // Assess
      expect(stdout).toContain('network: none');
      expect(stdout).toContain('is running at');
      expect(stdout).toContain('✔ deployed WildRydesStreaming');
      expect(stdout).toContain('10 records from Shadowfax');
      expect(stdout).toContain('✔ Module 2 is done');
    },
    12 * MINUTES,
  );
});
