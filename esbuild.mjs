// Bundles the VS Code client (and its graph view's page), the language server and the command line into dist/.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const builds = [
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The graph view's page runs in a webview, a browser: its own bundle, with d3-force inside.
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { graph: 'client/webview/graph.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts', indexWorker: 'server/src/core/indexWorker.ts' }, outdir: 'dist' },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
