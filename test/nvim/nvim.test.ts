// A real LSP client: headless Neovim 0.7 runs check.lua against the bundled server on a fixture wiki; this asserts on what it saw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'dist/server.js');
const LUA = path.join(__dirname, 'check.lua');

interface Loc {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface Diag {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  message: string;
  severity: number;
  code?: string;
}
interface Result {
  ok?: boolean;
  error?: string;
  steps: string[];
  diagnostics: Diag[];
  diagnostics_settled: boolean;
  definition: { err?: unknown; locations: Loc[] };
  hover: { err?: unknown; text?: string };
  references: { err?: unknown; locations: Loc[] };
  workspace_symbols: { err?: unknown; timeout?: boolean; symbols: { name: string; kind: number; container?: string; uri: string; line?: number }[] };
  outline: { err?: unknown; timeout?: boolean; symbols: { name: string; depth: number; line: number }[] };
  footnote_hover: { err?: unknown; text?: string };
  footnote_definition: { err?: unknown; locations: Loc[] };
  convert: { err?: unknown; titles: string[]; line?: string };
  heading_completion: { labels: string[] };
  any_heading_completion: { items: { label: string; newText?: string }[] };
  block_fix: { newText?: string; label?: string; titles?: string[]; target?: string[] };
  block: { items: { label: string; newText?: string; command?: string }[]; command?: { err?: unknown; applied?: boolean }; glossary?: string[] };
  tag_completion: { items: { label: string; newText?: string; range?: { start: { character: number }; end: { character: number } } }[]; line: string };
  mention: { err?: unknown; titles: string[]; line?: string; definition?: Loc[] };
  glossary_hover: { err?: unknown; text?: string };
  backlinks: { err?: unknown; items: { uri: string; line: number; sentence: string }[] };
  lists: { err?: unknown; orphans: string[]; wanted: string[] };
  footnote_fix: { diagnostic: boolean; titles: string[]; lines?: string[]; cleared?: boolean };
  footnote_rename: { highlights: { line: number; kind: number }[]; placeholder?: string; err?: unknown; lines?: string[] };
  mentions: { err?: unknown; uris: string[]; line?: number; command?: { err?: unknown; applied?: boolean }; after?: string };
  outgoing: { links: string[]; mentions: { title: string; count: number }[]; quickfix: { file: string; line: number; col: number }[]; actions: { err?: unknown; timeout?: boolean; titles: string[] }; line?: string };
  completion: { items: { label: string; insertText?: string; newText?: string; range?: Loc['range'] }[] };
  completion_line: { line: number; text: string };
  edit_diagnostic: boolean;
  rename: { prepare_err?: unknown; prepare_ok?: boolean; err?: unknown; timeout?: boolean; applied?: boolean };
  create: { err?: unknown; timeout?: boolean; titles: string[]; applied?: boolean; diagnostic_gone?: boolean };
  diagnostics_after_edit: Diag[];
  code_lens: { shown: boolean; lenses: { line: number; title?: string }[]; ran: boolean; quickfix: { file: string; line: number }[] };
  redirect: { hover?: string; definition: Loc[] };
  workspace_scope: { found: boolean; loaded: boolean; messages: string[] };
  selection: { err?: unknown; ranges: Loc['range'][] };
  extract: { err?: unknown; titles: string[]; applied?: boolean; resolved?: boolean; home?: string[] };
}

const hasNvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
let wiki = '';
let result: Result | undefined;
let nvimLog = '';

function runNvim(env: Record<string, string>, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a hung run takes the server (nvim's child) down with it.
    const child = spawn('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${LUA}`], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout.on('data', (d) => (nvimLog += d));
    child.stderr.on('data', (d) => (nvimLog += d));
    const timer = setTimeout(() => {
      nvimLog += `\n(killed after ${timeoutMs} ms)`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

before(async () => {
  if (!hasNvim) return;
  if (!fs.existsSync(SERVER)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, `building dist/ failed:\n${b.stderr}`);
  }
  wiki = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-nvim-')));
  for (const f of fs.readdirSync(path.join(__dirname, 'fixture-wiki'))) fs.copyFileSync(path.join(__dirname, 'fixture-wiki', f), path.join(wiki, f));
  fs.copyFileSync(path.join(ROOT, 'test/fixtures/Marxism-Leninism.md'), path.join(wiki, 'Marxism-Leninism.md'));
  const resultFile = path.join(wiki, '..', path.basename(wiki) + '-result.json');
  const code = await runNvim({ LA_ROOT: wiki, LA_SERVER: SERVER, LA_RESULT: resultFile, LA_NODE: process.execPath, XDG_STATE_HOME: wiki + '-state', XDG_CACHE_HOME: wiki + '-state' }, 90_000);
  if (fs.existsSync(resultFile)) {
    result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Result;
    fs.rmSync(resultFile);
  }
  fs.rmSync(wiki + '-state', { recursive: true, force: true });
  assert.ok(result, `Neovim wrote no result (exit ${code}):\n${nvimLog}`);
  assert.equal(result.error, undefined, `check.lua failed after steps [${result.steps.join(', ')}]:\n${result.error}`);
  assert.equal(code, 0, nvimLog);
});

after(() => {
  if (wiki) fs.rmSync(wiki, { recursive: true, force: true });
});

const uriOf = (name: string) => pathToFileURL(path.join(wiki, name)).href;
const lines = (name: string) => fs.readFileSync(path.join(wiki, name), 'utf8').split('\n');

test('Neovim runs the whole script against the bundled server', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  assert.equal(result!.ok, true);
  assert.deepEqual(result!.steps, ['initialized', 'attached', 'diagnostics', 'definition', 'hover', 'references', 'workspace symbols', 'outline and footnotes', 'convert link', 'link a mention', 'link a mention by command', 'outgoing mentions', 'glossary hover', 'completion', 'heading completion', 'any heading completion', 'block completion', 'tag completion', 'edit diagnostics', 'rename', 'create quick fix', 'backlinks', 'wanted and orphans', 'footnote quick fix', 'footnote rename', 'code lens', 'redirect', 'selection range', 'extract section', 'block id quick fix', 'workspace scope']);
});

test('pushed diagnostics report the one broken link on its target once the index is built', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  assert.equal(result!.diagnostics_settled, true, JSON.stringify(result!.diagnostics));
  const line = lines('Home.md')[3];
  const col = line.indexOf('Vanguardism');
  assert.deepEqual(result!.diagnostics, [
    { lnum: 3, col, end_lnum: 3, end_col: col + 'Vanguardism'.length, message: "No article named 'Vanguardism'", severity: 2, code: 'broken-link' },
  ]);
});

test('an edit typed into the buffer gets a fresh pushed diagnostic without saving', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  assert.equal(result!.edit_diagnostic, true);
  const d = result!.diagnostics_after_edit.find((x) => x.message === "No article named 'Nowhere Yet'");
  assert.ok(d, JSON.stringify(result!.diagnostics_after_edit));
  const col = 'Now a new link to [['.length;
  assert.deepEqual([d.lnum, d.col, d.end_col], [result!.completion_line.line, col, col + 'Nowhere Yet'.length]);
  assert.ok(fs.readFileSync(path.join(wiki, 'Home.md'), 'utf8').indexOf('Nowhere Yet') < 0, 'the file on disk was not touched');
});

test('go to definition from [[Mutual Aid]] leads to Mutual_Aid.md', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  assert.equal(result!.definition.err, undefined);
  assert.deepEqual(result!.definition.locations.map((l) => l.uri), [uriOf('Mutual_Aid.md')]);
  assert.equal(result!.definition.locations[0].range.start.line, 0);
});

test('hover on the link previews the target: title, lead sentence and how many link to it', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const text = result!.hover.text ?? '';
  assert.match(text, /Mutual Aid/);
  assert.match(text, /voluntary, reciprocal exchange of resources/);
  assert.match(text, /\b3\b.*link/, 'Home, Other and Marxism-Leninism link to it');
});

test('references on the link list every link to the article from every article', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const locs = result!.references.locations;
  assert.deepEqual([...new Set(locs.map((l) => l.uri))].sort(), [uriOf('Home.md'), uriOf('Marxism-Leninism.md'), uriOf('Other.md')].sort());
  const other = locs.find((l) => l.uri === uriOf('Other.md'))!;
  const otherLine = lines('Other.md')[2];
  assert.equal(other.range.start.line, 2);
  assert.ok(otherLine.slice(other.range.start.character, other.range.end.character).includes('Mutual_Aid.md'));
  assert.equal(locs.filter((l) => l.uri === uriOf('Home.md')).length, 2, 'both links in Home.md, the one with #Origins too');
});

test('workspace symbols find the heading the query names in every article that has it, at its line', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const ws = result!.workspace_symbols;
  assert.equal(ws.err, undefined);
  const origins = ws.symbols.filter((s) => s.name === 'Origins');
  assert.deepEqual(
    origins.map((s) => `${s.uri}:${s.line}`).sort(),
    [`${uriOf('Mutual_Aid.md')}:${lines('Mutual_Aid.md').indexOf('## Origins')}`, `${uriOf('Marxism-Leninism.md')}:${lines('Marxism-Leninism.md').indexOf('## Origins')}`].sort(),
  );
  assert.deepEqual(origins.map((s) => s.container).sort(), ['Marxism-Leninism', 'Mutual Aid']);
});

test('completion after [[ offers the article and completes the link with its closing brackets', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const item = result!.completion.items.find((i) => i.label === 'Mutual Aid');
  assert.ok(item, `labels: ${result!.completion.items.map((i) => i.label).join(', ')}`);
  const line = result!.completion_line.text;
  const applied = item.range
    ? line.slice(0, item.range.start.character) + item.newText + line.slice(item.range.end.character)
    : line.slice(0, line.lastIndexOf('[[') + 2) + (item.insertText ?? item.label);
  assert.equal(applied.replace(/\$\d+|\$\{\d+(:[^}]*)?\}/g, ''), 'Now a new link to [[Mutual Aid]]');
});

test('completion after # offers the tags in use, and completes the tag being typed', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const { items, line } = result!.tag_completion;
  assert.deepEqual(items.map((i) => i.label), ['#organising']);
  const { range, newText } = items[0];
  assert.equal(line.slice(0, range!.start.character) + newText + line.slice(range!.end.character), 'Now tagged #organising');
});

test('rename from a link, applied by Neovim, renames the file and rewrites each link in its own syntax', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const r = result!.rename;
  assert.deepEqual([r.prepare_err, r.prepare_ok, r.err, r.applied], [undefined, true, undefined, true], JSON.stringify(r));
  assert.ok(fs.existsSync(path.join(wiki, 'Direct_Action_Now.md')), 'the file is renamed, keeping the underscores');
  assert.ok(!fs.existsSync(path.join(wiki, 'Direct_Action.md')), 'the old file is gone');
  assert.equal(lines('Tactics.md')[2], 'See [[Direct Action Now]] and [acting directly](Direct_Action_Now.md).');
});

test('the quick fix on a broken link, applied by Neovim, creates the missing article with its title', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const c = result!.create;
  assert.equal(c.err, undefined);
  assert.ok(c.titles.some((x) => x.startsWith("Create the article 'Vanguardism'")), c.titles.join(' | '));
  assert.equal(c.applied, true);
  assert.match(fs.readFileSync(path.join(wiki, 'Vanguardism.md'), 'utf8'), /^# Vanguardism\n/);
  assert.equal(c.diagnostic_gone, true, 'the broken-link diagnostic went once the article existed');
});

test('the outline of an article nests its sections under its title, each at its heading', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const o = result!.outline;
  assert.equal(o.err, undefined);
  const ml = lines('Marxism-Leninism.md');
  const at = (name: string) => o.symbols.find((s) => s.name === name);
  assert.deepEqual(at('Marxism-Leninism'), { name: 'Marxism-Leninism', depth: 0, line: 0 });
  assert.deepEqual(at('Origins'), { name: 'Origins', depth: 1, line: ml.indexOf('## Origins') });
  assert.deepEqual(at("Stalin's Codification"), { name: "Stalin's Codification", depth: 2, line: ml.indexOf("### Stalin's Codification") });
  assert.ok(o.symbols.some((s) => s.name === '[^1]'), 'footnote definitions are in the outline too');
});

test('hover on a footnote reference shows its text, and go to definition leads to it', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  assert.match(result!.footnote_hover.text ?? '', /Rachel Walker/);
  const defs = result!.footnote_definition.locations;
  assert.deepEqual(defs.map((l) => [l.uri, l.range.start.line]), [[uriOf('Marxism-Leninism.md'), lines('Marxism-Leninism.md').findIndex((l) => l.startsWith('[^1]:'))]]);
});

test('a wikilink converted to a markdown link by its refactoring keeps its target, applied by Neovim', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const c = result!.convert;
  assert.equal(c.err, undefined);
  assert.ok(c.titles.length >= 2, c.titles.join(' | '));
  assert.equal(c.line, lines('Home.md')[2].replace('[[Mutual Aid]]', '[Mutual Aid](Mutual_Aid.md)'));
});

test('completion after [[Title# offers the headings of that article', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  assert.deepEqual(result!.heading_completion.labels, ['Origins']);
});

test('completion after [[## offers any article\'s headings the words match, each inserting Title#Heading', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const items = result!.any_heading_completion.items;
  // The closing brackets not typed yet come with the link.
  assert.ok(items.some((i) => i.label === 'Origins' && i.newText === 'Mutual Aid#Origins]]'), JSON.stringify(items));
  assert.ok(items.every((i) => i.label === 'Origins' && /^[^#]+#Origins\]\]$/.test(i.newText ?? '')), JSON.stringify(items));
});

test('completion after [[Title#^ offers its paragraphs, and the chosen one\'s command, applied by Neovim, ends the paragraph with the new id', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const b = result!.block;
  assert.equal(b.items.length, 1, JSON.stringify(b.items));
  const [item] = b.items;
  // Its words, cut at 80 characters.
  assert.equal(item.label, 'Vanguard: a party of professional revolutionaries that claims to lead the worki…');
  assert.match(item.newText ?? '', /^\^[a-z0-9]{6}\]\]$/);
  assert.equal(item.command, 'linkedArticles.addBlockId');
  assert.deepEqual(b.command, { applied: true });
  const id = item.newText!.slice(0, -2);
  // The fixture as copied into the wiki (a later step saves every buffer).
  const onDisk = fs.readFileSync(path.join(__dirname, 'fixture-wiki/Glossary.md'), 'utf8').split('\n');
  assert.deepEqual(b.glossary, [...onDisk.slice(0, 2), `${onDisk[2]} ${id}`]);
});

test('a block link inserted without its command has the quick fix, applied by Neovim, that gives the paragraph the id', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const f = result!.block_fix;
  assert.match(f.newText ?? '', /^\^[a-z0-9]{6}\]\]$/);
  const id = f.newText!.slice(0, -2);
  assert.ok(f.titles?.includes(`Add the block id ${id} to 'Also read about mutual aid and Home.' in Other`), JSON.stringify(f.titles));
  assert.equal(f.label, 'Also read about mutual aid and Home.');
  assert.ok(f.target?.includes(`Also read about [mutual aid](Mutual_Aid.md) and [[Home]]. ${id}`), JSON.stringify(f.target));
});

test('a plain mention of a title is linked by its quick fix, applied by Neovim, and the new link leads to the article', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const m = result!.mention;
  assert.equal(m.err, undefined);
  assert.ok(m.titles.some((x) => x.startsWith("Link 'Mutual aid' to Mutual Aid")), m.titles.join(' | '));
  assert.ok(m.line && !m.line.startsWith('Mutual aid is'), m.line);
  assert.match(m.line!, /Mutual aid/, 'the words are kept as the link\'s text');
  assert.deepEqual((m.definition ?? []).map((l) => l.uri), [uriOf('Mutual_Aid.md')]);
});

test('hover on a word the glossary defines shows its definition', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  assert.equal(result!.glossary_hover.err, undefined);
  assert.match(result!.glossary_hover.text ?? '', /professional revolutionaries/);
});

test('unlinked mentions are found by the custom request, and the link command edits the open buffer through workspace/applyEdit', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const m = result!.mentions;
  assert.equal(m.err, undefined);
  assert.ok(m.uris.includes(uriOf('Marxism-Leninism.md')), m.uris.join(', '));
  assert.deepEqual(m.command, { applied: true });
  // The article as copied into the wiki (the buffer is written later, by the rename's edits).
  const before = fs.readFileSync(path.join(ROOT, 'test/fixtures/Marxism-Leninism.md'), 'utf8').split('\n')[m.line!];
  assert.match(before, /based on mutual aid and/);
  // The words kept as the link's text, in the syntax the article already uses (pandoc's anchors).
  assert.equal(m.after, before.replace('mutual aid', '<a href="Mutual_Aid.md" class="wikilink" title="Mutual Aid">mutual aid</a>'));
});

test('the articles a buffer names unlinked are listed by the custom request, and a code action on the selection, applied by Neovim, links each at its first mention', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const o = result!.outgoing;
  assert.deepEqual(o.links, ['Tactics']);
  assert.deepEqual(o.mentions, [{ title: 'Direct Action', count: 1 }, { title: 'Mutual Aid', count: 2 }]);
  // The README's :UnlinkedNames: each place in the quickfix list, at its line and (1-based) column.
  const sentence = 'On direct action and mutual aid; mutual aid again, see [[Tactics]].';
  assert.deepEqual(o.quickfix, [
    { file: 'Outgoing_Scratch.md', line: 3, col: sentence.indexOf('direct action') + 1 },
    { file: 'Outgoing_Scratch.md', line: 3, col: sentence.indexOf('mutual aid') + 1 },
    { file: 'Outgoing_Scratch.md', line: 3, col: sentence.lastIndexOf('mutual aid') + 1 },
  ]);
  assert.equal(o.actions.err, undefined);
  assert.equal(o.actions.timeout, false, 'the code actions were answered');
  assert.ok(o.actions.titles.includes('Link the first mention of 2 articles in the selection (Direct Action, Mutual Aid)'), JSON.stringify(o));
  assert.equal(o.line, 'On [[direct action]] and [[mutual aid]]; mutual aid again, see [[Tactics]].');
});

test('backlinks (the custom request) list each linking article with the sentence the link stands in', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const b = result!.backlinks;
  assert.equal(b.err, undefined);
  assert.deepEqual([...new Set(b.items.map((i) => i.uri))].sort(), [uriOf('Home.md'), uriOf('Marxism-Leninism.md'), uriOf('Other.md')].sort());
  const other = b.items.find((i) => i.uri === uriOf('Other.md'))!;
  assert.equal(other.line, 2);
  assert.match(other.sentence, /Also read about/);
});

test('the orphaned and wanted articles (the custom requests) follow the edits Neovim made', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const l = result!.lists;
  assert.equal(l.err, undefined);
  // Nothing links to these three; Direct Action, renamed by Neovim, is still linked from Tactics under its new name.
  assert.deepEqual(l.orphans, ['Glossary', 'Other', 'Tactics'], JSON.stringify(l));
  // Vanguardism was wanted by Home until its quick fix created it.
  assert.ok(!l.wanted.includes('Vanguardism'), l.wanted.join(', '));
});

test('a footnote typed without a definition is reported, and its quick fix, applied by Neovim, adds the definition', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const f = result!.footnote_fix;
  assert.equal(f.diagnostic, true, 'the missing definition was reported');
  assert.ok(f.titles.includes('Add a definition for footnote [^9]'), f.titles.join(' | '));
  assert.ok(f.lines?.some((l) => l.startsWith('[^9]:')), (f.lines ?? []).join('\n'));
  assert.equal(f.cleared, true, 'the diagnostic went once the definition was there');
});

test('a footnote\'s reference and definition are highlighted together, and its rename, applied by Neovim, rewrites both', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const f = result!.footnote_rename;
  const before = result!.footnote_fix.lines ?? [];
  const refLine = before.findIndex((l) => l.includes('source.[^9]'));
  const defLine = before.findIndex((l) => l.startsWith('[^9]:'));
  assert.deepEqual(f.highlights, [{ line: refLine, kind: 2 }, { line: defLine, kind: 3 }]);
  assert.equal(f.placeholder, '9');
  assert.equal(f.err, undefined);
  assert.deepEqual(f.lines, before.map((l) => l.replace('[^9]', '[^source]')));
});

test('code lenses count the backlinks above the title and the links to a section, and running one lists those links', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const c = result!.code_lens;
  assert.equal(c.shown, true, 'vim.lsp.codelens.get found lenses after a refresh');
  const title = c.lenses.find((l) => l.line === 0);
  const backlinks = Number(/^(\d+) backlinks$/.exec(title?.title ?? '')?.[1]);
  // Home links to the article and to its Origins section, Other.md and Marxism-Leninism.md too; the mention steps added links from Home.
  assert.ok(backlinks >= 4, JSON.stringify(c.lenses));
  assert.deepEqual(c.lenses.filter((l) => l.line !== 0), [{ line: lines('Mutual_Aid.md').indexOf('## Origins'), title: '1 link to this section' }]);
  assert.equal(c.ran, true, 'the lens on the title ran and filled the quickfix list');
  assert.equal(c.quickfix.length, backlinks, JSON.stringify(c.quickfix));
  assert.deepEqual([...new Set(c.quickfix.map((q) => q.file))].sort(), ['Home.md', 'Marxism-Leninism.md', 'Other.md']);
});

test('a link to a redirect page, open in a buffer and never saved, is hovered and followed to the article it leads to', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const r = result!.redirect;
  assert.match(r.hover ?? '', /^\*\*Mutual Aid\*\*/, r.hover);
  assert.match(r.hover ?? '', /Redirected from 'Redirect Scratch'/);
  assert.match(r.hover ?? '', /voluntary, reciprocal exchange of resources/);
  assert.deepEqual(r.definition.map((l) => [l.uri, l.range.start.line]), [[uriOf('Mutual_Aid.md'), 0]]);
});

test('with the workspace scope set while running, an article no buffer ever held gets its problems pushed', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const w = result!.workspace_scope;
  assert.equal(w.found, true, JSON.stringify(w));
  assert.equal(w.loaded, false, 'the file was never loaded into a buffer');
  assert.deepEqual(w.messages, ["No article named 'Nowhere At All'"]);
});

test('expand selection widens from a wiki link\'s label to the link, its paragraph, the article\'s section and the article', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const s = result!.selection;
  assert.equal(s.err, undefined);
  const text = ['# Select', '', 'Read [[Mutual Aid#Origins|the origins]] today.'];
  const slice = (r: Loc['range']) => {
    const joined = text.slice(r.start.line, r.end.line + 1).join('\n');
    return joined.slice(r.start.character, joined.length - ((text[r.end.line] ?? '').length - r.end.character));
  };
  assert.deepEqual(s.ranges.slice(0, 4).map(slice), ['the origins', '[[Mutual Aid#Origins|the origins]]', text[2], text.join('\n')]);
});

test('moving a section to a new article, applied by Neovim, makes the article and points the link to the section at it', (t) => {
  if (!hasNvim) return t.skip('nvim is not installed (apt-get install neovim)');
  const x = result!.extract;
  assert.equal(x.err, undefined);
  assert.deepEqual(x.titles, ["Move the section 'Origins' to a new article (Origins.md)"]);
  assert.equal(x.resolved, true, 'Neovim 0.7 resolves actions: the move came without its edit, and codeAction/resolve made it');
  assert.equal(x.applied, true);
  // Neovim 0.7 inserts the new file's text into a buffer that already holds one empty line, and writes that line too.
  assert.equal(fs.readFileSync(path.join(wiki, 'Origins.md'), 'utf8').replace(/\n+$/, '\n'), '# Origins\n\nPeter Kropotkin described it in *Mutual Aid: A Factor of Evolution*.\n');
  assert.ok(lines('Mutual_Aid.md').includes('Main article: [[Origins]]'), lines('Mutual_Aid.md').join('\n'));
  assert.ok(!lines('Mutual_Aid.md').some((l) => l.includes('Kropotkin')), 'the section left the article');
  assert.ok(x.home![2].includes('and in [[Origins]].'), `Home.md's buffer: ${x.home![2]}`);
});

