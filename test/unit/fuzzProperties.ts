// The fuzzers' generators and properties, shared by test/unit/fuzz.test.ts (a bounded run) and scripts/fuzz.ts (a long one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { scanArticle } from '../../server/src/core/scan';
import { Wiki } from '../../server/src/core/wiki';
import { LineIndex } from '../../server/src/core/lineIndex';
import { articleProblems } from '../../server/src/core/diagnostics';
import { buildIndex } from '../../server/src/core/indexer';
import { defaultSettings } from '../../server/src/core/settings';
import { WikiService } from '../../server/src/core/service';
import { InMemoryWorkspace } from '../../server/src/core/workspace';
import { HeadingSearch, workspaceSymbols } from '../../server/src/core/features/symbols';
import type { ArticleSyntax, Range, Span } from '../../server/src/core/types';

export const CORPORA = path.resolve(__dirname, '../../../shared/corpora');

/**
 * fc.assert with the report cut short: a counterexample can be megabytes of text, and the seed and path
 * in the report's head are what reproduce it.
 */
export function check<T>(property: fc.IProperty<T>, params: fc.Parameters<T>): void {
  const details = fc.check(property, params);
  if (!details.failed) return;
  const report = fc.defaultReportMessage(details) ?? 'property failed';
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters in all)` : s);
  throw new Error(`${cut(report, 1500)}\ncause: ${cut(cause, 1500)}`);
}

/** Pieces of every syntax the scanner knows, and of the ways writers get them wrong. */
export const TOKENS = [
  '[[', ']]', '[', ']', '(', ')', '|', '\\|', '#', '# ', '## ', '\n', '\n\n', '\r\n', '\r', '\t', ' ', '    ', '> ', '>', '- ', '* ', '1. ',
  '```', '~~~', '```\n', '---\n', '...\n', '[^', ']:', '[^1]', '[^1]: ', '\\', '`', '``', '&amp;', '&#x41;', '&#', '%20', '%E2%82', '%',
  '<a href="', '<a href=\'', '" class="wikilink">', '">', '</a>', '<a', '<', '>', '<!--', '-->', '<div>', '</div>', '<pre>', '<script>',
  '<img src="', '<IMG SRC=', '" alt="', ' />', '<figure>\n', '</figure>\n', '[![', '](b.png)', '[^1]](',
  '<h2 id="', '<h2>', '</h2>', '<H3>', '</h3>\n', ' #tag', '#Tag/sub', 'tags: [a, ', ' #1', ' ^blk', ' ^q-1\n', '%%', '\n%%\n',
  '![[', '![', '](', '"', "'", '*', '_', '**', '=', '===\n', 'Category:', 'wikipedia:', 'file:///etc/passwd', '../', '/', '.md', 'http://x/',
  'Glossary', 'TERM: ', ': ', 'title: ', 'aliases: [', '𝕏', '🏴', 'é', '\u0301', '\uFEFF', '\u2028', '\u0000', '\uD800', '\uDC00',
  'Anarchism', 'Mutual Aid', 'Mutual_Aid', 'Capitalism', 'word', 'text ', 'Heading',
];

export const tokenArticle = (maxTokens = 80): fc.Arbitrary<string> =>
  fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) }), { maxLength: maxTokens, size: 'max' }).map((parts) => parts.join(''));

/**
 * A few tokens repeated thousands of times, with the odd word between: the shape of input that makes a
 * scanner quadratic (each unclosed opener searching to the end), which short random articles never reach.
 */
export const repetitiveArticle = (maxRepeats = 20_000): fc.Arbitrary<string> =>
  fc
    .tuple(fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 3 }), fc.integer({ min: 500, max: maxRepeats }), fc.constantFrom('', ' ', 'x', '\n'))
    .map(([unit, n, sep]) => (unit.join('') + sep).repeat(n));

/** Up to `limit` corpus articles (deterministically spread over the wikis), or none when the corpora are absent. */
export function corpusSample(limit: number): { name: string; text: string }[] {
  if (!fs.existsSync(CORPORA)) return [];
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && depth < 4) walk(full, depth + 1);
      else if (e.isFile() && /\.md$/.test(e.name)) files.push(full);
    }
  };
  walk(CORPORA, 0);
  const step = Math.max(1, Math.floor(files.length / limit));
  const out: { name: string; text: string }[] = [];
  for (let i = 0; i < files.length && out.length < limit; i += step) {
    const text = fs.readFileSync(files[i], 'utf8');
    if (text.length <= 200_000) out.push({ name: path.relative(CORPORA, files[i]), text });
  }
  return out;
}

type Mutation =
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'lineEndings'; to: '\r\n' | '\r' | '\n' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.noBias(fc.double({ min: 0, max: 1, noNaN: true })).map((x) => x), token: fc.constantFrom(...TOKENS) }) as fc.Arbitrary<Mutation> },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.noBias(fc.double({ min: 0, max: 1, noNaN: true })), length: fc.integer({ min: 1, max: 40 }) }) as fc.Arbitrary<Mutation> },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.noBias(fc.double({ min: 0, max: 1, noNaN: true })), length: fc.integer({ min: 1, max: 400 }) }) as fc.Arbitrary<Mutation> },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.noBias(fc.double({ min: 0, max: 1, noNaN: true })) }) as fc.Arbitrary<Mutation> },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lineEndings' as const), to: fc.constantFrom('\r\n' as const, '\r' as const, '\n' as const) }) as fc.Arbitrary<Mutation> },
);

export function mutate(text: string, ms: Mutation[]): string {
  for (const m of ms) {
    const at = 'at' in m ? Math.floor(m.at * text.length) : 0;
    switch (m.kind) {
      case 'insert':
        text = text.slice(0, at) + m.token + text.slice(at);
        break;
      case 'delete':
        text = text.slice(0, at) + text.slice(at + m.length);
        break;
      case 'duplicate':
        text = text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
        break;
      case 'truncate':
        text = text.slice(0, at);
        break;
      case 'lineEndings':
        text = text.replace(/\r\n|\r|\n/g, m.to);
        break;
    }
  }
  return text;
}

/** A corpus article with a few random mutations; a token article when there are no corpora. */
export function mutatedArticle(sample: { name: string; text: string }[]): fc.Arbitrary<string> {
  if (sample.length === 0) return tokenArticle();
  return fc.tuple(fc.integer({ min: 0, max: sample.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 })).map(([i, ms]) => mutate(sample[i].text, ms));
}

// ---------------------------------------------------------------- scanner

function inside(inner: Span | undefined, outer: Span): boolean {
  return !inner || (inner.start >= outer.start && inner.end <= outer.end && inner.start <= inner.end);
}

/** Every span inside the text, every part of a link inside its link; a message naming the first that is not. */
export function checkSyntax(text: string, s: ArticleSyntax): string | undefined {
  const whole: Span = { start: 0, end: text.length };
  const check = (what: string, span: Span | undefined, outer: Span = whole): string | undefined =>
    inside(span, outer) && inside(span, whole) ? undefined : `${what} ${JSON.stringify(span)} is not inside ${JSON.stringify(outer)} (text length ${text.length})`;
  if (s.frontMatter) {
    const e = check('front matter', s.frontMatter.span);
    if (e) return e;
  }
  for (const l of s.links) {
    const e =
      check('link', l.span) ??
      check(`target of ${l.syntax} link`, l.targetSpan, l.span) ??
      check('heading part of link', l.headingSpan, l.span) ??
      check('label of link', l.labelSpan, l.span);
    if (e) return e;
  }
  for (const h of s.headings) {
    const e = check('heading', h.span) ?? check('heading text', h.textSpan, h.span);
    if (e) return e;
  }
  for (const r of s.footnoteRefs) {
    const e = check('footnote reference', r.span) ?? check('footnote reference label', r.labelSpan, r.span);
    if (e) return e;
  }
  for (const d of s.footnoteDefs) {
    const e = check('footnote definition', d.span) ?? check('footnote definition label', d.labelSpan, d.span);
    if (e) return e;
  }
  for (const g of s.glossary) {
    const e = check('glossary entry', g.span) ?? check('glossary term', g.termSpan, g.span);
    if (e) return e;
  }
  return undefined;
}

/** A range whose ends are real places in the text: on an existing line, not past its content, not inside a CRLF. */
export function rangeInside(r: Range, lines: LineIndex): boolean {
  const ok = (p: Range['start']) => p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && lines.starts[p.line] + p.character <= lines.lineEnd(p.line);
  const before = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && before;
}

export interface ScanStats {
  docs: number;
  bytes: number;
  slowestMs: number;
}

/** The scanner's properties on one text: no exception, within the time bound, spans inside and well nested, problem ranges inside. */
export function scanProperty(bound: number | ((length: number) => number), stats: ScanStats) {
  return (text: string): void => {
    const boundMs = typeof bound === 'number' ? bound : bound(text.length);
    const t0 = performance.now();
    const syntax = scanArticle(text);
    const wiki = new Wiki(['/w']);
    wiki.upsert('/w/Other.md', '# Other\n\n## Part\n');
    const a = wiki.upsert('/w/Fuzzed.md', text, { open: true, version: 1 });
    const problems = articleProblems(wiki, a);
    const ms = performance.now() - t0;
    stats.docs++;
    stats.bytes += text.length;
    stats.slowestMs = Math.max(stats.slowestMs, ms);
    if (ms > boundMs) throw new Error(`scanning and checking ${text.length} characters took ${ms.toFixed(0)} ms (bound ${boundMs} ms)`);
    const e = checkSyntax(text, syntax) ?? checkSyntax(text, a.syntax);
    if (e) throw new Error(e);
    const lines = new LineIndex(text);
    for (const p of problems) if (!rangeInside(p.range, lines) || !inside(p.span, { start: 0, end: text.length })) throw new Error(`problem ${p.code} has range ${JSON.stringify(p.range)} outside the text`);
  };
}

// ---------------------------------------------------------------- index

const NAMES = ['Anarchism.md', 'Mutual_Aid.md', 'Capitalism.md', 'sub/Anarchism.md', 'sub/Commune.md', 'Glossary.md', 'Über.md'];
const LINKS = ['[[Anarchism]]', '[[Mutual Aid]]', '[[Capitalism#Part]]', '[[sub/Commune]]', '<a href="Mutual_Aid" class="wikilink">m</a>', '[c](Capitalism.md)', '[[Über]]', '[[Missing]]', '[[#Part]]'];

const articleText: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(fc.constantFrom('Anarchism', 'Commune', 'Other', 'Capitalism'), { nil: undefined }),
    fc.option(fc.constantFrom('Anarchy', 'Mutual Aid', 'Über', 'capitalism'), { nil: undefined }),
    fc.array(fc.oneof(fc.constantFrom(...LINKS), fc.constantFrom('\n\n## Part\n', 'AUTHORITY: power over others\n', ' text ', '\n')), { maxLength: 8 }),
  )
  .map(([title, alias, body]) => (title || alias ? `---\n${title ? `title: ${title}\n` : ''}${alias ? `aliases: [${alias}]\n` : ''}---\n` : '') + body.join(''));

export type IndexOp = { op: 'write'; name: string; text: string } | { op: 'delete'; name: string } | { op: 'rename'; from: string; to: string } | { op: 'open'; name: string; text: string } | { op: 'close'; name: string };

export const indexOps: fc.Arbitrary<IndexOp[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('write' as const), name: fc.constantFrom(...NAMES), text: articleText }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom(...NAMES) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('rename' as const), from: fc.constantFrom(...NAMES), to: fc.constantFrom(...NAMES) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('open' as const), name: fc.constantFrom(...NAMES), text: articleText }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), name: fc.constantFrom(...NAMES) }) },
  ),
  { maxLength: 25 },
);

const problemsOf = (svc: WikiService, path: string) => svc.problems(path).map((p) => `${p.code} ${p.message} ${JSON.stringify(p.range)}`);

/**
 * Replays edits on a live service (disk writes, deletes, renames as the watcher reports them, editor opens and
 * closes), then compares it with a service built afresh from the final state: the same maps, the same problems
 * in every article, the same completion after `[[`.
 */
export function indexProperty(ops: IndexOp[]): void {
  const ws = new InMemoryWorkspace(['/w']);
  ws.files.set('/w/Anarchism.md', '# Anarchism\n\nSee [[Mutual Aid]].\n');
  ws.files.set('/w/Mutual_Aid.md', '# Mutual Aid\n\n## Part\n');
  const live = new WikiService(ws, defaultSettings());
  buildIndex(live.wiki, ws);
  live.state = 'ready';
  const openTexts = new Map<string, string>();
  for (const o of ops) {
    if (o.op === 'write') {
      ws.files.set('/w/' + o.name, o.text);
      live.fileChanged('/w/' + o.name);
    } else if (o.op === 'delete') {
      ws.files.delete('/w/' + o.name);
      live.fileDeleted('/w/' + o.name);
    } else if (o.op === 'rename') {
      const text = ws.files.get('/w/' + o.from);
      if (text === undefined || o.from === o.to) continue;
      ws.files.delete('/w/' + o.from);
      ws.files.set('/w/' + o.to, text);
      live.fileDeleted('/w/' + o.from);
      live.fileChanged('/w/' + o.to);
    } else if (o.op === 'open') {
      const p = '/w/' + o.name;
      if (openTexts.has(p)) live.change(p, o.text, 2);
      else live.open(p, o.text, 1);
      openTexts.set(p, o.text);
    } else {
      const p = '/w/' + o.name;
      if (!openTexts.has(p)) continue;
      openTexts.delete(p);
      live.close(p);
    }
  }
  const fresh = new WikiService(ws, defaultSettings());
  buildIndex(fresh.wiki, ws, { skip: (p) => openTexts.has(p) });
  for (const [p, text] of openTexts) fresh.open(p, text, 1);
  fresh.state = 'ready';
  const a = live.wiki.snapshot();
  const b = fresh.wiki.snapshot();
  for (const k of Object.keys(b)) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) throw new Error(`${k} differs after the edits:\n  live:  ${JSON.stringify(a[k])}\n  fresh: ${JSON.stringify(b[k])}`);
  }
  for (const p of fresh.wiki.articles.keys()) {
    const x = problemsOf(live, p);
    const y = problemsOf(fresh, p);
    if (JSON.stringify(x) !== JSON.stringify(y)) throw new Error(`problems of ${p} differ:\n  live:  ${JSON.stringify(x)}\n  fresh: ${JSON.stringify(y)}`);
  }
  // Completion's title index is a cache of its own: it must follow the edits too.
  const probe = '/w/Probe.md';
  live.open(probe, '[[', 1);
  fresh.open(probe, '[[', 1);
  const labels = (svc: WikiService) => (svc.completion(probe, { line: 0, character: 2 }, 1000)?.items ?? []).map((i) => `${i.label} ${i.detail ?? ''}`).sort();
  const x = labels(live);
  const y = labels(fresh);
  if (JSON.stringify(x) !== JSON.stringify(y)) throw new Error(`completion after [[ differs:\n  live:  ${JSON.stringify(x)}\n  fresh: ${JSON.stringify(y)}`);
}

// ---------------------------------------------------------------- features in the core

export interface FeatureStats {
  requests: number;
  slowestMs: number;
  /** The request that took slowestMs, and the length of its document. */
  slowest?: string;
}

/**
 * A document and relative positions in it for the feature fuzzer: token soup, mutated corpus articles, and now and then
 * a long repetitive document, where a quadratic path in a feature shows (a footnote hover did).
 */
export function featureInput(sample: { name: string; text: string }[], maxTokens: number, maxPositions: number) {
  const doc = fc.oneof(
    { weight: 5, arbitrary: tokenArticle(maxTokens) },
    { weight: sample.length ? 5 : 0, arbitrary: sample.length ? mutatedArticle(sample) : tokenArticle(maxTokens) },
    { weight: 1, arbitrary: repetitiveArticle(3000) },
  );
  return fc.tuple(doc, fc.array(fc.noBias(fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: maxPositions }));
}

/**
 * Every position-taking feature of the language service at random positions of a fuzzed open document:
 * no exception, within `boundMs`, and every range it returns inside the document it names.
 */
export function featureProperty(boundMs: number, stats: FeatureStats) {
  const ws = new InMemoryWorkspace(['/w'], {
    'Anarchism.md': '# Anarchism\n\nA lead with <script>alert(1)</script> and [[Mutual Aid]].\n\n## Part\n',
    'Mutual_Aid.md': '---\ntitle: Mutual Aid\naliases: [Solidarity]\n---\nHelp. [[Anarchism#Part]] [x](command:workbench.action.x)\n',
    'Glossary.md': '# Glossary\n\nAUTHORITY: power over others\n\n**Affinity group**: a small group\n',
  });
  const svc = new WikiService(ws, defaultSettings());
  buildIndex(svc.wiki, ws);
  svc.state = 'ready';
  return ([text, positions]: [string, number[]]): void => {
    const path = '/w/Fuzzed.md';
    svc.open(path, text, 1);
    try {
      const lines = new LineIndex(text);
      const textOf = (p: string) => (p === path ? text : svc.textOf(p));
      const checkLoc = (what: string, p: string, r: Range) => {
        const t = textOf(p);
        if (t === undefined) throw new Error(`${what} points at ${p}, which has no text`);
        if (!rangeInside(r, new LineIndex(t))) throw new Error(`${what} range ${JSON.stringify(r)} is outside ${p}`);
        if (!p.startsWith('/w/')) throw new Error(`${what} points outside the workspace: ${p}`);
      };
      const timed = <T>(what: string, f: () => T): T => {
        const t0 = performance.now();
        const v = f();
        const ms = performance.now() - t0;
        stats.requests++;
        if (ms > stats.slowestMs) {
          stats.slowestMs = ms;
          stats.slowest = `${what} on ${text.length} characters`;
        }
        if (ms > boundMs) throw new Error(`${what} took ${ms.toFixed(0)} ms (bound ${boundMs} ms)`);
        return v;
      };
      timed('documentSymbols', () => svc.documentSymbols(path)).forEach((s) => {
        checkLoc('documentSymbol', path, s.range);
        checkLoc('documentSymbol selection', path, s.selectionRange);
      });
      for (const l of timed('documentLinks', () => svc.documentLinks(path))) {
        checkLoc('documentLink', path, l.range);
        if (!l.path.startsWith('/w/')) throw new Error(`documentLink opens ${l.path}, outside the workspace`);
      }
      for (const p of svc.problems(path)) checkLoc('diagnostic', path, p.range);
      // Semantic tokens: in order, apart, each on one line inside it.
      let last = { line: -1, end: 0 };
      for (const t of timed('semanticTokens', () => svc.semanticTokens(path))) {
        checkLoc('semantic token', path, { start: { line: t.line, character: t.character }, end: { line: t.line, character: t.character + t.length } });
        if (t.length <= 0 || t.line < last.line || (t.line === last.line && t.character < last.end)) throw new Error(`semantic token ${JSON.stringify(t)} overlaps or goes back from ${JSON.stringify(last)}`);
        if (t.character + t.length > lines.lineEnd(t.line) - lines.starts[t.line]) throw new Error(`semantic token ${JSON.stringify(t)} runs past its line's end`);
        last = { line: t.line, end: t.character + t.length };
      }
      // The preview's links, with the markdown of the embeds: within their caps, each embed the text of an article of the wiki.
      let embedded = 0;
      for (const l of timed('previewLinks', () => svc.previewLinks(path)) ?? []) {
        if (l.path && !l.path.startsWith('/w/')) throw new Error(`preview link leads outside the workspace: ${l.path}`);
        if (l.embed !== undefined) {
          embedded += l.embed.length;
          if (!l.path || !textOf(l.path)?.includes(l.embed.replace(/\n\n…$/, '').slice(0, 200))) throw new Error(`embed of ${l.path} is not its article's text: ${JSON.stringify(l.embed.slice(0, 100))}`);
        }
      }
      if (embedded > 200_000) throw new Error(`the embeds sent ${embedded} characters`);
      // Outgoing links and mentions: inside the text; each place's words name the page given as its target, outside
      // every link.
      const out = timed('outgoing', () => svc.outgoing(path));
      for (const l of out?.links ?? []) for (const r of l.links) checkLoc('outgoing link', path, r.range);
      const links = svc.article(path)?.syntax.links ?? [];
      for (const m of out?.mentions.mentions ?? []) {
        for (const p of m.places) {
          checkLoc('outgoing mention', path, p.range);
          if (text.slice(p.span.start, p.span.end) !== p.text || !svc.wiki.lookupName(p.text).includes(p.target)) throw new Error(`the mention ${JSON.stringify(p.text)} does not name ${p.target.title}`);
          if (links.some((l) => l.span.start < p.span.end && p.span.start < l.span.end)) throw new Error(`the mention ${JSON.stringify(p.text)} overlaps a link`);
        }
      }
      // Workspace symbols for a few letters cut from the document: the service's kept heading keys, after every edit
      // the fuzzer made, must answer as keys made afresh for this one query.
      const at = Math.floor(positions[0] * text.length);
      const query = text.slice(at, at + 1 + (at % 5)).replace(/\n/g, ' ');
      const kept = timed('workspaceSymbols', () => svc.workspaceSymbols(query, 50));
      for (const s of kept) checkLoc('workspace symbol', s.location.path, s.location.range);
      const fresh = workspaceSymbols(svc.wiki, query, svc.glossary, { maxItems: 50, titles: svc.titles, headings: new HeadingSearch() });
      if (JSON.stringify(kept) !== JSON.stringify(fresh)) throw new Error(`workspace symbols for ${JSON.stringify(query)} differ from a fresh search`);
      for (const frac of positions) {
        const offset = Math.floor(frac * (text.length + 1));
        const pos = lines.positionAt(offset);
        const c = timed('completion', () => svc.completion(path, pos, 200));
        for (const [n, listed] of (c?.items ?? []).entries()) {
          checkLoc('completion edit', path, listed.textEdit.range);
          for (const e of listed.additionalTextEdits ?? []) checkLoc('completion additional edit', path, e.range);
          // As an editor does, the documentation of the first few items is asked for.
          const item = n < 5 ? svc.resolveCompletion(listed) : listed;
          if (item.documentation && /\]\(command:|<script|onerror=/i.test(item.documentation.value)) throw new Error(`completion documentation carries active content: ${item.documentation.value}`);
        }
        const h = timed('hover', () => svc.hover(path, pos));
        if (h) {
          checkLoc('hover', path, h.range);
          if (/\]\(command:|<script|onerror=/i.test(h.markdown)) throw new Error(`hover carries active content: ${h.markdown}`);
        }
        for (const d of timed('definition', () => svc.definition(path, pos))) checkLoc('definition', d.path, d.range);
        for (const chain of timed('selectionRanges', () => svc.selectionRanges(path, [pos]))) {
          for (let r: typeof chain | undefined = chain; r; r = r.parent) checkLoc('selection range', path, r.range);
        }
        // The link to this place: one link, read back as the scanner reads it, that leads to this article (to a block
        // whose id is not added yet, with that fragment missing).
        const here = timed('linkToHere', () => svc.linkToHere(path, pos));
        if (here) {
          const read = scanArticle(here.link).links;
          const r = read.length === 1 ? svc.wiki.resolve(read[0], svc.article(path)!) : undefined;
          if (r?.kind !== 'article' || r.article.path !== path || (r.headingMissing && !here.addBlockId)) throw new Error(`the link to here ${JSON.stringify(here.link)} leads to ${JSON.stringify(r && r.kind)}`);
        }
        for (const r of timed('references', () => svc.references(path, pos, true))) checkLoc('reference', r.path, r.range);
      }
    } finally {
      svc.close(path);
    }
  };
}
