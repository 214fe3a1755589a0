// Runs the built command line (dist/cli.js) for the tests, building it first when a test file is run on its own.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist/cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** npm test builds first; a direct run of one test file builds the bundle only if there is none. */
export function ensureCliBuilt(): void {
  if (!fs.existsSync(CLI)) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `building dist/ failed:\n${r.stderr}`);
  }
}

/** Spawns the CLI; `asUser` runs it as another user (setpriv), for permission tests run as root. */
export function runCli(args: string[], options: { cwd?: string; asUser?: number } = {}): Promise<CliRun> {
  const [cmd, argv] = options.asUser !== undefined
    ? ['setpriv', [`--reuid=${options.asUser}`, `--regid=${options.asUser}`, '--clear-groups', process.execPath, CLI, ...args]]
    : [process.execPath, [CLI, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: options.cwd ?? os.tmpdir() });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
