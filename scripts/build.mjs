// Builds the compiled CLIs into dist/: single files that run with plain `node`, no dev dependencies;
// and the live dashboard's page into dashboard/build/ (its libraries bundled: it works offline).
import { build } from 'esbuild';
import { buildDashboard } from '../dashboard/build.mjs';

await build({
  entryPoints: { producer: 'producer/cli.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // Bundled CommonJS dependencies (yargs, the SDK) still call require().
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
});

await buildDashboard();
