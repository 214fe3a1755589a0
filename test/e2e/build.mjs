// Bundles the end-to-end mocha suite (test/e2e/suite/*.ts) into out/e2e/, one file per entry,
// so that index.js can hand the compiled *.test.js files to mocha. `vscode` is provided by
// the extension host; mocha is required from the project's node_modules.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteDir = join(root, 'test', 'e2e', 'suite');
const outdir = join(root, 'out', 'e2e');

export async function buildSuite() {
  rmSync(outdir, { recursive: true, force: true }); // no stale test files from a renamed source
  const entryPoints = readdirSync(suiteDir).filter((f) => f.endsWith('.ts')).map((f) => join(suiteDir, f));
  await esbuild.build({
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildSuite();
