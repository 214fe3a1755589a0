// `npm run bench`: measures the language server over the real protocol and the command line on generated wikis and the corpora, and prints medians and spreads.
// Sizes: `npm run bench -- 1000 10000` or BENCH_SIZES=1000,10000 (default 1k, 10k, 50k); BENCH_RUNS (default 3);
// `--no-lsp`, `--no-cli`, `--no-corpora` leave parts out. Wikis are generated once into bench/.wikis/.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initialize, startServer, stopServer, uriOf, withTimeout, type Server } from './lspSession';
import { generate, SPECIAL } from './generate';

const ROOT = path.resolve(__dirname, '..');
/**
 * The bundles are run from a private copy: a rebuild of dist/ during the run (others work in this tree) would
 * otherwise change the code under measurement and, rightly, invalidate the index cache between runs.
 */
const BIN = fs.mkdtempSync(path.join(os.tmpdir(), 'la-bench-dist-'));
const SERVER = path.join(BIN, 'server.js');
const CLI = path.join(BIN, 'cli.js');
const FLOOR = path.join(__dirname, 'floor.mjs');
const CORPORA = path.resolve(ROOT, '../shared/corpora');

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const sizes = (args.filter((a) => /^\d+$/.test(a)).map(Number).length ? args.filter((a) => /^\d+$/.test(a)).map(Number) : (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number)).filter((n) => n > 0);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 50);
/** Typing speed: keys closer together than the server's burst window would measure its debounce, not its work. */
const KEY_INTERVAL_MS = 150;
const TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------- statistics and output

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const median = (xs: number[]) => quantile(xs, 0.5);
function ms(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`;
}
/** Median with the spread of the runs. */
function spread(xs: number[], unit: (x: number) => string = ms): string {
  if (!xs.length) return '–';
  if (xs.length === 1) return unit(xs[0]);
  return `${unit(median(xs))} (${unit(Math.min(...xs))}–${unit(Math.max(...xs))})`;
}
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
/** Median and p95 of many operations. */
const mp95 = (xs: number[]) => (xs.length ? `${ms(median(xs))} / ${ms(quantile(xs, 0.95))}` : '–');

interface Column {
  name: string;
  rows: Map<string, string>;
}
const columns: Column[] = [];

function printTable(): void {
  const rowNames: string[] = [];
  for (const c of columns) for (const r of c.rows.keys()) if (!rowNames.includes(r)) rowNames.push(r);
  const header = ['', ...columns.map((c) => c.name)];
  const lines = [header, header.map(() => '---'), ...rowNames.map((r) => [r, ...columns.map((c) => c.rows.get(r) ?? '')])];
  console.log('\n' + lines.map((l) => '| ' + l.join(' | ') + ' |').join('\n') + '\n');
}

function log(s: string): void {
  process.stderr.write(s + '\n');
}

const load = () => os.loadavg()[0].toFixed(1);

// ---------------------------------------------------------------- the command line and the floor

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Wall time, and CPU time (user + system, all threads) and peak RSS when /usr/bin/time is there. */
function timeProcess(argv: string[]): { wall: number; cpu: number; rssKb: number } {
  const out = path.join(os.tmpdir(), `la-bench-time-${process.pid}.txt`);
  const cmd = TIME ? [TIME, '-f', '%U %S %M', '-o', out, process.execPath, ...argv] : [process.execPath, ...argv];
  const t = performance.now();
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const wall = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited with ${r.status}: ${r.stderr?.toString().slice(0, 500)}`);
  if (!TIME) return { wall, cpu: NaN, rssKb: NaN };
  const [user, sys, rss] = fs.readFileSync(out, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
  fs.rmSync(out, { force: true });
  return { wall, cpu: (user + sys) * 1000, rssKb: rss };
}

/** `editable`: a generated wiki, which the bench may edit (never a shared corpus). */
function benchCli(dir: string, col: Column, editable: boolean): void {
  const floor: ReturnType<typeof timeProcess>[] = [];
  const check: ReturnType<typeof timeProcess>[] = [];
  const cached: ReturnType<typeof timeProcess>[] = [];
  const cold: ReturnType<typeof timeProcess>[] = [];
  const edited: ReturnType<typeof timeProcess>[] = [];
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'la-bench-cli-'));
  // An article in the middle of the wiki gets a new heading: the articles that link to it are checked again.
  const files = listMarkdown(dir).sort();
  const victim = files[Math.floor(files.length / 2)];
  const original = fs.readFileSync(victim);
  try {
    for (let i = 0; i < RUNS; i++) {
      floor.push(timeProcess([FLOOR, dir]));
      check.push(timeProcess([CLI, 'check', dir]));
    }
    for (let i = 0; i < RUNS; i++) {
      fs.rmSync(cacheDir, { recursive: true, force: true });
      cold.push(timeProcess([CLI, 'check', dir, '--cache', cacheDir]));
    }
    for (let i = 0; i < RUNS; i++) cached.push(timeProcess([CLI, 'check', dir, '--cache', cacheDir]));
    for (let i = 0; editable && i < RUNS; i++) {
      fs.appendFileSync(victim, `\n\n## A heading the bench added ${i}\n`);
      edited.push(timeProcess([CLI, 'check', dir, '--cache', cacheDir]));
      fs.writeFileSync(victim, original);
      timeProcess([CLI, 'check', dir, '--cache', cacheDir]);
    }
  } finally {
    if (editable) fs.writeFileSync(victim, original);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  const wall = (xs: typeof floor) => xs.map((x) => x.wall);
  const cpu = (xs: typeof floor) => xs.map((x) => x.cpu);
  col.rows.set('floor: read + one regex pass (wall; CPU)', `${spread(wall(floor))}; ${ms(median(cpu(floor)))}`);
  col.rows.set('`check` (wall; CPU; peak RSS)', `${spread(wall(check))}; ${ms(median(cpu(check)))}; ${mb(median(check.map((x) => x.rssKb)))}`);
  col.rows.set('`check` ÷ floor (wall; CPU)', `${spread(check.map((c, i) => c.wall / floor[i].wall), (x) => `${x.toFixed(1)}×`)}; ${(median(cpu(check)) / median(cpu(floor))).toFixed(1)}×`);
  col.rows.set('`check --cache`, no cache yet (wall; CPU; peak RSS)', `${spread(wall(cold))}; ${ms(median(cpu(cold)))}; ${mb(median(cold.map((x) => x.rssKb)))}`);
  col.rows.set('`check --cache`, nothing changed (wall; ÷ floor)', `${spread(wall(cached))}; ${(median(wall(cached)) / median(wall(floor))).toFixed(1)}×`);
  if (editable) col.rows.set('`check --cache`, one article given a heading (wall; ÷ floor)', `${spread(wall(edited))}; ${(median(wall(edited)) / median(wall(floor))).toFixed(1)}×`);
  log(`  cli: floor ${ms(median(wall(floor)))}, check ${ms(median(wall(check)))} (CPU ${ms(median(cpu(check)))}), cached ${ms(median(wall(cached)))} (load ${load()})`);
}

// ---------------------------------------------------------------- the language server


/** CPU time (user + system) a process has used, all its threads, finished ones included. */
function cpuTime(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** VmHWM (peak) and VmRSS (now) of a process, in KB. */
function memory(pid: number): { peak: number; now: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await f();
  return [performance.now() - t, r];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let last = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i + 1;
  }
  return { line, character: offset - last };
}

/** What to measure in a wiki: an article to type in, a hub, an ordinary article. */
interface Targets {
  keystroke: string;
  huge?: string;
  hub: string;
  hubTitle: string;
  ordinary: string;
  /** A title to complete headings of after `[[Title#`. */
  headingTitle: string;
  /** Where to ask for the hub's references and rename when its title is not written in it (MediaWiki exports): a link to it. */
  hubLink?: { file: string; offset: number };
  /** The same for the ordinary article, and an offset inside a link of the keystroke article (for hover). */
  ordinaryLink?: { file: string; offset: number };
  hoverOffset?: number;
}

class Doc {
  version = 1;
  constructor(
    readonly s: Server,
    readonly uri: string,
    public text: string,
  ) {}
  async open(): Promise<number> {
    const t = performance.now();
    const d = this.s.diagnostics(this.uri, this.version);
    await this.s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: this.uri, languageId: 'markdown', version: this.version, text: this.text } });
    return (await withTimeout(d, TIMEOUT_MS, 'diagnostics after open')) - t;
  }
  /** Replaces [start, end) by `insert`; resolves with the time to the diagnostics of the new version. */
  async edit(start: number, end: number, insert: string, wait = true): Promise<number> {
    const range = { start: positionAt(this.text, start), end: positionAt(this.text, end) };
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
    this.version++;
    const d = wait ? this.s.diagnostics(this.uri, this.version) : undefined;
    const t = performance.now();
    await this.s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: this.uri, version: this.version }, contentChanges: [{ range, text: insert }] });
    if (!d) return 0;
    return (await withTimeout(d, 10_000, `diagnostics of version ${this.version}`)) - t;
  }
  close(): Promise<void> {
    return this.s.conn.sendNotification('textDocument/didClose', { textDocument: { uri: this.uri } });
  }
}

/** Types `n` keys before a broken link (so each version's diagnostics differ: their columns move); returns the latencies. */
async function keystrokes(s: Server, file: string, n: number): Promise<{ latencies: number[]; open: number }> {
  const doc = new Doc(s, uriOf(file), fs.readFileSync(file, 'utf8'));
  const open = await doc.open();
  const broken = /\[\[Missing Topic|Missing_Topic_|\]\([^)]*Nope/.exec(doc.text);
  let at = broken ? doc.text.lastIndexOf('\n', broken.index) + 1 : Math.floor(doc.text.length / 2);
  const latencies: number[] = [];
  let last = 0;
  for (let i = 0; i < n; i++) {
    const wait = KEY_INTERVAL_MS - (performance.now() - last);
    if (wait > 0) await sleep(wait);
    last = performance.now();
    latencies.push(await doc.edit(at, at, 'x'));
    at++;
  }
  await doc.edit(at - n, at, '', false);
  await doc.close();
  return { latencies, open };
}

/** Runs one measurement; a request the server does not support (yet) is reported in its row, not fatal. */
async function part(col: Column, row: string, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (e) {
    const msg = (e as Error).message;
    col.rows.set(row, /Unhandled method/.test(msg) ? 'not supported' : `failed: ${msg.slice(0, 80)}`);
    log(`  ${row}: ${msg}`);
  }
}

async function benchRequests(s: Server, t: Targets, col: Column): Promise<void> {
  await part(col, 'keystroke', () => benchTyping(s, t, col));
  await part(col, 'completion after `[[` (median / p95)', () => benchCompletionHover(s, t, col));
  await part(col, 'backlinks of an ordinary article (median / p95)', () => benchBacklinks(s, t, col));
  await part(col, 'code lenses of an ordinary / a hub article: first, after a keystroke (median)', () => benchCodeLens(s, t, col));
  await part(col, 'graph view: an ordinary article, one step / two steps; a hub, one step (median of 5)', () => benchGraph(s, t, col));
  await part(col, 'rename of a hub article (prepare + rename)', () => benchHub(s, t, col));
  await part(col, 'outgoing links and unlinked mentions: the 20 KB article / the 1 MB one (median of 10 / of 3)', () => benchOutgoing(s, t, col));
  if (t.huge) await part(col, '1 MB article: keystroke → diagnostics (median / p95 of 15)', () => benchHuge(s, t, col));
  await part(col, 'workspace symbols, query typed letter by letter (median / p95)', () => benchWorkspaceSymbols(s, col));
  await part(col, 'wanted / orphaned articles, first request', () => benchWikiLists(s, t, col));
  await part(col, 'workspace scope: every article\'s problems pushed, then taken back (wall; server CPU; articles)', () => benchWorkspaceScope(s, col));
}

/**
 * `diagnostics.scope` set to `workspace` while running, as a writer would, then back: the server pushes every article's
 * problems in slices, and says in its log when the pass is done (and how many it sent).
 */
async function benchWorkspaceScope(s: Server, col: Column): Promise<void> {
  const pass = async (scope: 'workspace' | null) => {
    s.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => (scope ? { diagnostics: { scope } } : null)));
    const from = s.logs.length;
    const cpu0 = cpuTime(s.child.pid!);
    const t0 = performance.now();
    await s.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const until = t0 + TIMEOUT_MS * 4;
    let line: string | undefined;
    while (!(line = s.logs.slice(from).find((m) => m.startsWith('Problems of the articles not open:'))) && performance.now() < until) await sleep(20);
    if (!line) throw new Error('the server did not say it had sent the problems');
    return `${ms(performance.now() - t0)}; ${ms(cpuTime(s.child.pid!) - cpu0)}; ${/: (\d+) sent/.exec(line)![1]}`;
  };
  const on = await pass('workspace');
  const off = await pass(null);
  col.rows.set("workspace scope: every article's problems pushed, then taken back (wall; server CPU; articles)", `${on} / ${off}`);
}

/**
 * The Wanted and Orphaned Articles views ask again after each pause in typing: the first answer resolves every link of
 * the wiki, a later one (after a keystroke in a 20 KB article) only what the edit changed.
 */
async function benchWikiLists(s: Server, t: Targets, col: Column): Promise<void> {
  const ask = (method: string) => timed(() => withTimeout(s.conn.sendRequest(method, { limit: 500 }), TIMEOUT_MS, method));
  const [wantedFirst] = await ask('linkedArticles/wanted');
  const [orphansFirst, orphans] = await ask('linkedArticles/orphans');
  col.rows.set('wanted / orphaned articles, first request', `${ms(wantedFirst)} / ${ms(orphansFirst)} (${(orphans as unknown[]).length} orphans)`);
  const doc = new Doc(s, uriOf(t.keystroke), fs.readFileSync(t.keystroke, 'utf8'));
  await doc.open();
  const wanted: number[] = [];
  const orphaned: number[] = [];
  for (let i = 0; i < 10; i++) {
    await doc.edit(doc.text.length, doc.text.length, ' x');
    wanted.push((await ask('linkedArticles/wanted'))[0]);
    orphaned.push((await ask('linkedArticles/orphans'))[0]);
  }
  await doc.close();
  col.rows.set('wanted / orphaned articles after a keystroke (median of 10)', `${ms(median(wanted))} / ${ms(median(orphaned))}`);
}

/** Queries as the Go to Symbol in Workspace picker (Ctrl+T) sends them: one per letter typed, each answered in turn. */
const SYMBOL_QUERIES = ['w', 'wi', 'win', 'wint', 'winte', 'winter', 'a', 'ai', 'aid', 'aid ', 'aid s', 'aid so', 'aid sou', 'r', 're', 'ref', 'refe', 'xq', 'xqz'];

async function benchWorkspaceSymbols(s: Server, col: Column): Promise<void> {
  const times: number[] = [];
  let found = 0;
  for (let round = 0; round < 3; round++) {
    for (const query of SYMBOL_QUERIES) {
      const [dt, r] = await timed(() => withTimeout(s.conn.sendRequest('workspace/symbol', { query }), TIMEOUT_MS, 'workspace/symbol'));
      times.push(dt);
      if (query === 'winter') found = (r as unknown[] | null)?.length ?? 0;
    }
  }
  col.rows.set('workspace symbols, query typed letter by letter (median / p95)', `${mp95(times)} (${found} for "winter")`);
}

async function benchTyping(s: Server, t: Targets, col: Column): Promise<void> {
  const ks = await keystrokes(s, t.keystroke, KEYSTROKES);
  col.rows.set('open a 20 KB article → diagnostics', ms(ks.open));
  col.rows.set(`keystroke → diagnostics, 20 KB article (median / p95 of ${KEYSTROKES})`, mp95(ks.latencies));
}

async function benchCompletionHover(s: Server, t: Targets, col: Column): Promise<void> {

  // Completion, hover: in the same article, as a writer would.
  const doc = new Doc(s, uriOf(t.keystroke), fs.readFileSync(t.keystroke, 'utf8'));
  await doc.open();
  const end = doc.text.indexOf('\n\n', 200) + 1;
  await doc.edit(end, end, '\n[[', false);
  const afterBrackets = positionAt(doc.text, end + 3);
  const completion: number[] = [];
  let items = 0;
  for (let i = 0; i < 30; i++) {
    const [dt, r] = await timed(() => withTimeout(s.conn.sendRequest('textDocument/completion', { textDocument: { uri: doc.uri }, position: afterBrackets, context: { triggerKind: 2, triggerCharacter: '[' } }), TIMEOUT_MS, 'completion'));
    completion.push(dt);
    const list = r as { items?: unknown[] } | unknown[] | null;
    items = Array.isArray(list) ? list.length : (list?.items?.length ?? 0);
  }
  col.rows.set('completion after `[[` (median / p95)', `${mp95(completion)} (${items} items)`);
  const withTitle = `${t.headingTitle}#`;
  await doc.edit(end + 3, end + 3, withTitle, false);
  const afterHash = positionAt(doc.text, end + 3 + withTitle.length);
  const headingCompletion: number[] = [];
  for (let i = 0; i < 30; i++) {
    const [dt, r] = await timed(() => withTimeout(s.conn.sendRequest('textDocument/completion', { textDocument: { uri: doc.uri }, position: afterHash, context: { triggerKind: 2, triggerCharacter: '#' } }), TIMEOUT_MS, 'completion'));
    headingCompletion.push(dt);
    const list = r as { items?: unknown[] } | unknown[] | null;
    items = Array.isArray(list) ? list.length : (list?.items?.length ?? 0);
  }
  col.rows.set('completion after `[[Title#` (median / p95)', `${mp95(headingCompletion)} (${items} items)`);
  await doc.edit(end + 3, end + 3 + withTitle.length, '', false);

  // `[[##` and a heading's words typed letter by letter: every article's headings searched at each letter. The first
  // query keys them all (as workspace symbols' first does); the figures are the letters after it.
  const words = '##history open';
  const anyHeading: number[] = [];
  for (let n = 1; n <= words.length; n++) {
    await doc.edit(end + 3 + n - 1, end + 3 + n - 1, words[n - 1], false);
    if (n < 2) continue;
    const at = positionAt(doc.text, end + 3 + n);
    const [dt, r] = await timed(() => withTimeout(s.conn.sendRequest('textDocument/completion', { textDocument: { uri: doc.uri }, position: at, context: { triggerKind: 3 } }), TIMEOUT_MS, 'completion'));
    if (n > 2) anyHeading.push(dt);
    const list = r as { items?: unknown[] } | unknown[] | null;
    items = Array.isArray(list) ? list.length : (list?.items?.length ?? 0);
  }
  col.rows.set("completion after `[[##` and a heading's words, letter by letter (median / p95)", `${mp95(anyHeading)} (${items} items)`);
  await doc.edit(end, end + 3 + words.length, '', false);

  const link = /\[\[([^\]|#\n]+)/.exec(doc.text);
  const hoverAt = t.hoverOffset ?? (link ? link.index + 3 : undefined);
  if (hoverAt !== undefined) {
    const pos = positionAt(doc.text, hoverAt);
    const hover: number[] = [];
    for (let i = 0; i < 20; i++) hover.push((await timed(() => withTimeout(s.conn.sendRequest('textDocument/hover', { textDocument: { uri: doc.uri }, position: pos }), TIMEOUT_MS, 'hover')))[0]);
    col.rows.set('hover on a link (median / p95)', mp95(hover));
  }
  await doc.close();
}

async function benchBacklinks(s: Server, t: Targets, col: Column): Promise<void> {
  const ordinaryUri = uriOf(t.ordinary);
  const backlinks: number[] = [];
  let n = 0;
  for (let i = 0; i < 20; i++) {
    const [dt, r] = await timed(() => withTimeout(s.conn.sendRequest('linkedArticles/backlinks', { uri: ordinaryUri }), TIMEOUT_MS, 'backlinks'));
    backlinks.push(dt);
    n = (r as unknown[] | null)?.length ?? 0;
  }
  col.rows.set('backlinks of an ordinary article (median / p95)', `${mp95(backlinks)} (${n} links)`);
  const refs: number[] = [];
  const where = t.ordinaryLink ?? { file: t.ordinary, offset: 3 };
  const od = new Doc(s, uriOf(where.file), fs.readFileSync(where.file, 'utf8'));
  await od.open();
  const refPos = positionAt(od.text, where.offset);
  for (let i = 0; i < 20; i++) {
    const [dt, r] = await timed(() => withTimeout(s.conn.sendRequest('textDocument/references', { textDocument: { uri: od.uri }, position: refPos, context: { includeDeclaration: false } }), TIMEOUT_MS, 'references'));
    refs.push(dt);
    n = (r as unknown[] | null)?.length ?? 0;
  }
  await od.close();
  col.rows.set('references on an ordinary article (median / p95)', `${mp95(refs)} (${n} links)`);
}

/** The Outgoing Links view's request (linkedArticles/outgoing): its mentions are looked for in every word of the article. */
async function benchOutgoing(s: Server, t: Targets, col: Column): Promise<void> {
  const outgoing = async (file: string, runs: number) => {
    const times: number[] = [];
    let found = '';
    for (let i = 0; i < runs; i++) {
      const [dt, r] = await timed(() => withTimeout(s.conn.sendRequest('linkedArticles/outgoing', { uri: uriOf(file) }), TIMEOUT_MS, 'outgoing'));
      times.push(dt);
      const o = r as { links: unknown[]; mentions: unknown[]; complete: boolean } | null;
      found = o ? `${o.links.length} linked, ${o.mentions.length} named${o.complete ? '' : ', cut short'}` : 'none';
    }
    return `${ms(median(times))} (${found})`;
  };
  col.rows.set('outgoing links and unlinked mentions: the 20 KB article / the 1 MB one (median of 10 / of 3)', `${await outgoing(t.keystroke, 10)} / ${t.huge ? await outgoing(t.huge, 3) : '–'}`);
}

/** The graph view's request (linkedArticles/graph, at most 150 nodes): its cost grows with the backlinks it follows. */
async function benchGraph(s: Server, t: Targets, col: Column): Promise<void> {
  const graph = async (file: string, depth: number) => {
    const times: number[] = [];
    let nodes = 0;
    for (let i = 0; i < 5; i++) {
      const [dt, r] = await timed(() => withTimeout(s.conn.sendRequest('linkedArticles/graph', { uri: uriOf(file), depth, maxNodes: 150 }), TIMEOUT_MS, 'graph'));
      times.push(dt);
      nodes = (r as { nodes: unknown[] } | null)?.nodes.length ?? 0;
    }
    return `${ms(median(times))} (${nodes} nodes)`;
  };
  col.rows.set('graph view: an ordinary article, one step / two steps; a hub, one step (median of 5)', `${await graph(t.ordinary, 1)} / ${await graph(t.ordinary, 2)} / ${await graph(t.hub, 1)}`);
}

/**
 * Code lenses count an article's backlinks per heading: VS Code asks for them on opening and again after each edit.
 * The first answer counts; after a keystroke that changes no link (a letter typed at the end) the counts are kept.
 */
async function benchCodeLens(s: Server, t: Targets, col: Column): Promise<void> {
  const lenses = async (file: string) => {
    const doc = new Doc(s, uriOf(file), fs.readFileSync(file, 'utf8'));
    await doc.open();
    const ask = () => timed(() => withTimeout(s.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: doc.uri } }), TIMEOUT_MS, 'codeLens'));
    const [first, r] = await ask();
    const title = (r as { command?: { title: string } }[] | null)?.[0]?.command?.title ?? '';
    const later: number[] = [];
    await doc.edit(doc.text.length, doc.text.length, '\n', false);
    for (let i = 0; i < 10; i++) {
      // Requests are answered in order after the change: the lens request sees the new text.
      await doc.edit(doc.text.length, doc.text.length, 'x', false);
      later.push((await ask())[0]);
    }
    await doc.close();
    return { first: ms(first), later: ms(median(later)), title };
  };
  const ordinary = await lenses(t.ordinary);
  const hub = await lenses(t.hub);
  col.rows.set('code lenses of an ordinary / a hub article: first, after a keystroke (median)', `${ordinary.first}, ${ordinary.later} / ${hub.first}, ${hub.later} (${ordinary.title}; ${hub.title})`);
}

async function benchHub(s: Server, t: Targets, col: Column): Promise<void> {
  let n = 0;

  const at = t.hubLink ?? { file: t.hub, offset: Math.max(0, fs.readFileSync(t.hub, 'utf8').indexOf(t.hubTitle)) + 1 };
  const hub = new Doc(s, uriOf(at.file), fs.readFileSync(at.file, 'utf8'));
  await hub.open();
  const titlePos = positionAt(hub.text, at.offset);
  const refs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [dt, r] = await timed(() => withTimeout(s.conn.sendRequest('textDocument/references', { textDocument: { uri: hub.uri }, position: titlePos, context: { includeDeclaration: false } }), TIMEOUT_MS, 'references'));
    refs.push(dt);
    n = (r as unknown[] | null)?.length ?? 0;
  }
  col.rows.set('references on a hub article', `${spread(refs)} (${n} links)`);
  const rename: number[] = [];
  let edits = 0;
  for (let i = 0; i < 3; i++) {
    const [dt, r] = await timed(async () => {
      await withTimeout(s.conn.sendRequest('textDocument/prepareRename', { textDocument: { uri: hub.uri }, position: titlePos }), TIMEOUT_MS, 'prepareRename');
      return withTimeout(s.conn.sendRequest('textDocument/rename', { textDocument: { uri: hub.uri }, position: titlePos, newName: t.hubTitle + ' Renamed' }), TIMEOUT_MS, 'rename');
    });
    rename.push(dt);
    const we = r as { documentChanges?: { edits?: unknown[] }[]; changes?: Record<string, unknown[]> } | null;
    edits = we?.documentChanges ? we.documentChanges.reduce((k, c) => k + (c.edits?.length ?? 0), 0) : Object.values(we?.changes ?? {}).reduce((k, e) => k + e.length, 0);
  }
  col.rows.set('rename of a hub article (prepare + rename)', `${spread(rename)} (${edits} edits)`);
  await hub.close();
}

async function benchHuge(s: Server, t: Targets, col: Column): Promise<void> {
  {
    const big = await keystrokes(s, t.huge!, 15);
    col.rows.set('1 MB article, 5,000 links: open → diagnostics', ms(big.open));
    col.rows.set('1 MB article: keystroke → diagnostics (median / p95 of 15)', mp95(big.latencies));
  }
}

/**
 * The server's RSS once it has stopped falling: V8 gives memory back some 20 s after the work stops (its memory
 * reducer shrinks the young generation; in one bench run it had not come 30 s after the cache was written), which is
 * what a user has at rest. Read each second for at least 45 s, until it has not fallen by 1 MB for 20 s, for at most
 * two minutes.
 */
async function settledRss(pid: number): Promise<number> {
  const start = performance.now();
  let low = memory(pid).now;
  let lowSince = start;
  while (performance.now() - start < 120_000 && (performance.now() - start < 45_000 || performance.now() - lowSince < 20_000)) {
    await sleep(1000);
    const now = memory(pid).now;
    if (now < low - 1024) lowSince = performance.now();
    low = Math.min(low, now);
  }
  return low;
}

async function benchServer(dir: string, t: Targets, col: Column): Promise<void> {
  const coldStart: number[] = [];
  const warmStart: number[] = [];
  const coldCpu: number[] = [];
  const warmCpu: number[] = [];
  let idleRss = NaN;
  const peak: number[] = [];
  const after: number[] = [];
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'la-bench-storage-'));
  const ordinaryUri = uriOf(t.ordinary);
  try {
    for (let i = 0; i < RUNS * 2; i++) {
      const warm = i >= RUNS;
      if (!warm) fs.rmSync(storage, { recursive: true, force: true });
      fs.mkdirSync(storage, { recursive: true });
      const s = startServer(SERVER, (m) => process.env.BENCH_VERBOSE && log(`    server: ${m}`));
      try {
        await initialize(s, dir, storage);
        await withTimeout(s.ready, TIMEOUT_MS * 2, 'index ready');
        await withTimeout(s.conn.sendRequest('linkedArticles/backlinks', { uri: ordinaryUri }), TIMEOUT_MS, 'first backlinks');
        const dt = performance.now() - s.t0;
        (warm ? warmStart : coldStart).push(dt);
        (warm ? warmCpu : coldCpu).push(cpuTime(s.child.pid!));
        const m = memory(s.child.pid!);
        if (!warm) {
          peak.push(m.peak);
          after.push(m.now);
        }
        log(`  server ${warm ? 'warm' : 'cold'} start ${ms(dt)}, peak ${mb(m.peak)}, now ${mb(m.now)} (load ${load()})`);
        if (i === RUNS - 1) {
          // The cache is written in the background after the index is ready; the warm runs need it.
          const until = performance.now() + 120_000;
          while (!fs.readdirSync(storage, { recursive: true }).some((f) => String(f).endsWith('.bin')) && performance.now() < until) await sleep(100);
          idleRss = await settledRss(s.child.pid!);
        }
        if (i === RUNS * 2 - 1) {
          await benchRequests(s, t, col);
          const m2 = memory(s.child.pid!);
          // At once it holds the requests' garbage (a hub's rename, its references); at rest what a user keeps.
          col.rows.set('server RSS after the requests (at once; at rest)', `${mb(m2.now)}; ${mb(await settledRss(s.child.pid!))}`);
        }
      } catch (e) {
        log(`  server failed: ${(e as Error).message}\n${s.stderr.join('').slice(-2000)}`);
        throw e;
      } finally {
        await stopServer(s);
      }
    }
  } finally {
    fs.rmSync(storage, { recursive: true, force: true });
  }
  col.rows.set('cold start → first backlinks answer (wall; server CPU)', `${spread(coldStart)}; ${ms(median(coldCpu))}`);
  col.rows.set('restart with the on-disk cache → first backlinks answer (wall; server CPU)', `${spread(warmStart)}; ${ms(median(warmCpu))}`);
  col.rows.set('server peak RSS (VmHWM) during indexing', spread(peak, mb));
  col.rows.set('server RSS after indexing (at once; at rest)', `${spread(after, mb)}; ${mb(idleRss)}`);
}

// ---------------------------------------------------------------- targets in each wiki

function listMarkdown(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = d + '/' + e.name;
      if (e.isDirectory()) stack.push(p);
      else if (e.name.endsWith('.md')) out.push(p);
    }
  }
  return out.sort();
}

function syntheticTargets(dir: string): Targets {
  const top = fs.readdirSync(dir).filter((f) => f.endsWith('.md') && !/^(Hub_|Bench_)/.test(f)).sort();
  return {
    keystroke: path.join(dir, SPECIAL.keystroke),
    huge: path.join(dir, SPECIAL.huge),
    hub: path.join(dir, SPECIAL.hub),
    hubTitle: SPECIAL.hubTitle,
    ordinary: path.join(dir, top[Math.floor(top.length / 2)]),
    headingTitle: 'Hub Topic 1',
  };
}

/** In a real wiki: the most linked article (by the command line's own resolver), a 20 KB article, an ordinary one. */
async function corpusTargets(dir: string): Promise<Targets> {
  const { buildIndex } = await import('../server/src/core/indexer');
  const { Wiki } = await import('../server/src/core/wiki');
  const { NodeWorkspace } = await import('../server/src/core/workspace');
  const { defaultSettings } = await import('../server/src/core/settings');
  const s = defaultSettings();
  const ws = new NodeWorkspace([dir], s);
  const wiki = new Wiki(ws.folders, s);
  buildIndex(wiki, ws, { log: () => {} });
  const articles = [...wiki.articles.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  const byIncoming = articles.map((a) => ({ a, n: wiki.incomingCount(a) })).sort((x, y) => y.n - x.n);
  const hub = byIncoming[0].a;
  const withLinks = byIncoming.filter((x) => x.n > 0);
  const ordinary = withLinks[Math.floor(withLinks.length / 2)].a;
  const keystroke = [...articles].sort((a, b) => Math.abs(a.size - 20000) - Math.abs(b.size - 20000))[0];
  const headingTitle = articles.find((a) => a.syntax.headings.length > 3 && !/[#|\]]/.test(a.title))?.title ?? hub.title;
  // Exported wikis rarely write the title in the article: references and rename are asked on a link to it instead.
  const link = wiki.backlinks(hub).find((b) => b.link.target);
  const hubLink = link ? { file: link.source.path, offset: link.link.targetSpan.start + 1 } : undefined;
  const toOrdinary = wiki.backlinks(ordinary).find((b) => b.link.target);
  const ordinaryLink = toOrdinary ? { file: toOrdinary.source.path, offset: toOrdinary.link.targetSpan.start + 1 } : undefined;
  const first = keystroke.syntax.links.find((l) => l.target);
  return { keystroke: keystroke.path, hub: hub.path, hubTitle: hub.title, ordinary: ordinary.path, headingTitle, hubLink, ordinaryLink, hoverOffset: first ? first.targetSpan.start + 1 : undefined };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  for (const f of ['server.js', 'cli.js', 'indexWorker.js']) {
    const from = path.join(ROOT, 'dist', f);
    if (!fs.existsSync(from)) throw new Error(`dist/${f} is missing: npm run bench builds first (npm run build)`);
    fs.copyFileSync(from, path.join(BIN, f));
  }
  process.on('exit', () => fs.rmSync(BIN, { recursive: true, force: true }));
  log(`Linked Articles benchmark: ${os.availableParallelism()} cores, node ${process.version}, ${RUNS} runs, sizes ${sizes.join(', ')}`);
  const wikis: { name: string; dir: string; synthetic: boolean; info: string }[] = [];
  for (const n of sizes) {
    const g = generate(n, log);
    wikis.push({ name: `${n.toLocaleString('en-US')} articles`, dir: g.dir, synthetic: true, info: `${(g.bytes / 1e6).toFixed(0)} MB` });
  }
  if (!flag('--no-corpora')) {
    for (const [name, sub] of [
      ['owasp-wiki', 'owasp-wiki'],
      ['anarwiki', 'anarwiki/pages'],
    ]) {
      const dir = path.join(CORPORA, sub);
      if (fs.existsSync(dir)) wikis.push({ name, dir, synthetic: false, info: '' });
      else log(`(${dir} not present: skipped)`);
    }
  }
  for (const w of wikis) {
    const files = listMarkdown(w.dir);
    const bytes = w.info || `${(files.reduce((n, f) => n + fs.statSync(f).size, 0) / 1e6).toFixed(0)} MB`;
    const col: Column = { name: `${w.name} (${bytes})`, rows: new Map() };
    columns.push(col);
    log(`${w.name}: ${files.length} files, ${bytes} (load ${load()})`);
    col.rows.set('load average at start (1 min)', load());
    if (!flag('--no-cli')) benchCli(w.dir, col, w.synthetic);
    if (!flag('--no-lsp')) {
      const t = w.synthetic ? syntheticTargets(w.dir) : await corpusTargets(w.dir);
      await benchServer(w.dir, t, col);
    }
    printTable();
  }
  console.log(`Machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}; ${RUNS} runs per figure: median (min–max).`);
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
