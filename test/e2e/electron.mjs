// Runs the same end-to-end suite in a desktop VS Code downloaded by @vscode/test-electron: for machines with network
// access (a laptop, hosted CI). Offline, use run.mjs (the VS Code server + headless Chromium) instead.
//
//   node test/e2e/electron.mjs [--grep <pattern>]     (VSCODE_VERSION: default 'stable'; on Linux run it under xvfb-run)
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;

const build = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const { buildSuite } = await import('./build.mjs');
const extensionTestsPath = await buildSuite();

// A copy per run, writable: the tests edit, rename and create articles.
const work = mkdtempSync(join(tmpdir(), 'linked-articles-e2e-electron-'));
const wiki = join(work, 'wiki');
cpSync(join(root, 'test', 'e2e', 'fixture-wiki'), wiki, { recursive: true });
for (const f of readdirSync(wiki)) chmodSync(join(wiki, f), 0o644);

let code = 1;
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath,
    // Other extensions stay out, so the suite sees only this one's providers besides the built-in ones.
    launchArgs: [wiki, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(work, 'user')],
    extensionTestsEnv: grep ? { LINKED_ARTICLES_E2E_GREP: grep } : {},
  });
  code = 0;
} catch (error) {
  console.error(`[e2e electron] ${error instanceof Error ? error.message : error}`);
} finally {
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
}
process.exit(code);
