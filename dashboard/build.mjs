// Bundles the dashboard's page (dashboard/page/) with its libraries (Leaflet, uPlot) into
// dashboard/build/: no CDN, so it works offline. Run by `npm run build` (and so by `npm install`),
// by `npm run dashboard:build`, and by the dashboard's server when the bundle is missing.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the bundle goes (git-ignored). */
export const dashboardBuildDir = join(here, 'build');

/** Builds the page into `outdir`: index.html, app.js, app.css. */
export async function buildDashboard(outdir = dashboardBuildDir) {
  // esbuild is a dev dependency: imported only when a build is needed.
  const { build } = await import('esbuild');
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { app: join(here, 'page', 'main.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    // Leaflet's stylesheet names a few small images; they go inside app.css.
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    logLevel: 'warning',
  });
  await copyFile(join(here, 'page', 'index.html'), join(outdir, 'index.html'));
  return outdir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildDashboard();
  console.log(`built the dashboard into ${dashboardBuildDir}`);
}
