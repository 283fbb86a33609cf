// `npm run kit`: the offline kit, one file an instructor hands out on a USB stick. It holds the
// workshop's files, the attendee dependencies (the lean install) with esbuild's binaries for the
// common platforms, and the built producer and dashboard: `tar xzf wildrydes-kit.tgz && cd wildrydes
// && npm start` works with no network at all. Building it needs the registry (or a warm npm cache).
// Usage: node scripts/kit.mjs [--out path/to/wildrydes-kit.tgz]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIT_PLATFORMS } from './kit-platforms.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? (process.argv[outIndex + 1] ?? '') : join(root, 'wildrydes-kit.tgz'));
const npm = 'npm';

/** Runs a command; on failure, one line saying which, and exit 1. */
function run(command, args, cwd) {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // The line that says why (an esbuild or npm error), not the stack trace under it.
    const lines = String(error.stderr || error.message)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const detail = lines.find((line) => /error/i.test(line)) ?? lines.at(-1);
    console.error(`kit: \`${command} ${args.join(' ')}\` failed: ${detail}`);
    process.exit(1);
  }
}

const work = mkdtempSync(join(tmpdir(), 'wildrydes-kit-'));
const stage = join(work, 'wildrydes');
try {
  // 1. The workshop's files as they are in this checkout: tracked and new ones, not the ignored.
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root)
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue; // deleted locally, not yet committed
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    cpSync(join(root, file), join(stage, file));
  }
  // The built site, if the instructor built it: `npm start` serves it, offline too.
  if (existsSync(join(root, 'site/build/index.html')))
    cpSync(join(root, 'site/build'), join(stage, 'site/build'), { recursive: true });

  // 2. The lean install from the lockfile. Install scripts stay off: esbuild's would swap its
  // portable launcher for this machine's binary, and the kit must run on other machines.
  console.log('kit: installing the attendee dependencies (npm ci --omit=dev)…');
  run(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], stage);
  run(npm, ['run', 'build'], stage);

  // 3. esbuild's binary for each platform the kit serves (the lockfile has them all; npm installs
  // only this machine's).
  const esbuild = JSON.parse(readFileSync(join(stage, 'node_modules/esbuild/package.json'), 'utf8')).version;
  for (const platform of KIT_PLATFORMS) {
    const target = join(stage, 'node_modules/@esbuild', platform);
    if (existsSync(target)) continue;
    const tarball = run(
      npm,
      ['pack', `@esbuild/${platform}@${esbuild}`, '--pack-destination', work, '--silent'],
      work,
    ).trim();
    mkdirSync(target, { recursive: true });
    run('tar', ['xzf', join(work, tarball.split('\n').pop()), '-C', target, '--strip-components=1'], work);
  }

  // 4. One file.
  rmSync(out, { force: true });
  run('tar', ['czf', out, '-C', work, 'wildrydes'], work);
  const mb = (statSync(out).size / 1024 / 1024).toFixed(0);
  console.log(`kit: ${out} (${mb} MB), for ${KIT_PLATFORMS.join(', ')} with Node.js 20.19+, 22 or 24.`);
  console.log('kit: on the attendee machine: tar xzf wildrydes-kit.tgz && cd wildrydes && npm start');
} finally {
  rmSync(work, { recursive: true, force: true });
}
