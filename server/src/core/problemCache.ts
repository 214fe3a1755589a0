// The on-disk cache of a check's problems (`check --cache DIR`): each article's problems, kept for as long as neither its text nor any name or heading it can point at has changed.
// An article's problems depend on its own text and on the rest of the wiki only through the names and headings of the
// articles its links name and the files they point at (`exportsOf`, the same rule by which the server decides whose
// diagnostics an edit can change). So an article whose text is unchanged keeps its cached problems unless a link of
// its names a key of an article that was added, removed, renamed or given other headings, or of an attachment that
// came or went. Like ESLint's and tsc's caches, it is a file of its own, beside the index cache, written only by checks.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { cacheKey, fnv } from './cache';
import { basename, nameKey } from './names';
import type { CoreSettings } from './settings';
import type { Problem } from './types';
import { exportsOf, type Article, type Wiki } from './wiki';

/** Bumped when the layout or the meaning of an entry changes. */
const FORMAT = 1;
const MAGIC = 'linked-articles-problems';

/** One article as the last check saw it. */
interface Entry {
  size: number;
  hash: number;
  /** fnv of exportsOf(article).names and .headings. */
  names: string;
  headings: string;
  /** Its name keys then: when it has gone or been renamed, the articles that link to them must be checked again. */
  keys: string[];
  problems: Problem[];
}

interface Stored {
  magic: string;
  key: string;
  attachments: string[];
  articles: Record<string, Entry>;
}

export interface ProblemCache {
  /** The problems of an article whose cached ones still hold, else undefined. */
  reuse(article: Article): Problem[] | undefined;
  /** How many articles must be checked afresh (changed, new, or affected by another's change). */
  readonly stale: number;
  /** The entry of an article whose text is unchanged, whose names and headings need not be worked out again. */
  unchanged(article: Article): Entry | undefined;
}

function problemsFile(dir: string, folders: string[]): string {
  return nodePath.join(dir, `problems-${fnv(folders.join('\n'))}.json`);
}

/** Everything besides the files that problems depend on: the whole settings (severities too), folders and code. */
function key(folders: string[], settings: CoreSettings): string {
  return JSON.stringify({ FORMAT, index: cacheKey(folders, settings), settings });
}

/**
 * Reads the last check's problems and works out which of them still hold for the wiki as indexed now; undefined
 * when there are none for these folders, settings and code, or the file is corrupt (said through `log`).
 */
export function loadProblemCache(dir: string, wiki: Wiki, log: (msg: string) => void): ProblemCache | undefined {
  const file = problemsFile(dir, wiki.folders);
  let stored: Stored;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Stored;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`problem cache: ignoring ${file}: ${(e as Error).message}`);
    return undefined;
  }
  if (!stored || stored.magic !== MAGIC || typeof stored.articles !== 'object' || !Array.isArray(stored.attachments)) {
    log(`problem cache: ignoring ${file}: not a problem cache`);
    return undefined;
  }
  if (stored.key !== key(wiki.folders, wiki.settings)) return undefined;
  // Valid JSON of the wrong shape (a file edited by hand, or cut short and patched) must not reach the output.
  const bad = Object.entries(stored.articles).find(([, e]) => !wellFormed(e));
  if (bad || !stored.attachments.every((p) => typeof p === 'string')) {
    log(`problem cache: ignoring ${file}: ${bad ? `the entry of ${bad[0]} is malformed` : 'malformed attachments'}`);
    return undefined;
  }

  const mode = wiki.settings.caseMode;
  const changed = new Set<Article>();
  const keys = new Set<string>();
  for (const a of wiki.articles.values()) {
    const e = stored.articles[a.path];
    if (e && e.size === a.size && e.hash === a.hash) continue;
    changed.add(a);
    // An article whose text changed is checked again; others with it only when its names or headings changed.
    const now = exportsOf(a);
    if (!e || e.names !== fnv(now.names) || e.headings !== fnv(now.headings)) {
      for (const k of a.keys) keys.add(k);
      for (const k of e?.keys ?? []) keys.add(k);
    }
  }
  for (const [path, e] of Object.entries(stored.articles)) if (!wiki.articles.has(path)) for (const k of e.keys) keys.add(k);
  const before = new Set(stored.attachments);
  const now = wiki.attachmentPaths();
  for (const p of now) if (!before.delete(p)) keys.add(nameKey(basename(p), mode));
  for (const p of before) keys.add(nameKey(basename(p), mode));
  const stale = new Set<Article>([...changed, ...wiki.linkersOfKeys(keys)]);
  return {
    reuse: (a) => (stale.has(a) ? undefined : stored.articles[a.path]?.problems),
    stale: stale.size,
    unchanged: (a) => (changed.has(a) ? undefined : stored.articles[a.path]),
  };
}

function wellFormed(e: Entry): boolean {
  const num = (x: unknown) => typeof x === 'number';
  const position = (p: Problem['range']['start'] | undefined) => !!p && num(p.line) && num(p.character);
  return (
    !!e &&
    num(e.size) &&
    num(e.hash) &&
    typeof e.names === 'string' &&
    typeof e.headings === 'string' &&
    Array.isArray(e.keys) &&
    e.keys.every((k) => typeof k === 'string') &&
    Array.isArray(e.problems) &&
    e.problems.every(
      (p) =>
        !!p &&
        typeof p.code === 'string' &&
        typeof p.severity === 'string' &&
        typeof p.message === 'string' &&
        !!p.span &&
        num(p.span.start) &&
        num(p.span.end) &&
        !!p.range &&
        position(p.range.start) &&
        position(p.range.end),
    )
  );
}

/** Writes every article's problems, replacing the file at once (a check cut short leaves the old one whole). */
export function saveProblemCache(
  dir: string,
  wiki: Wiki,
  articles: { article: Article; problems: Problem[] }[],
  previous: ProblemCache | undefined,
  log: (msg: string) => void,
): void {
  const file = problemsFile(dir, wiki.folders);
  const stored: Stored = { magic: MAGIC, key: key(wiki.folders, wiki.settings), attachments: wiki.attachmentPaths(), articles: {} };
  for (const { article: a, problems } of articles) {
    // Working out the headings of an unchanged article would decode its record for nothing.
    const old = previous?.unchanged(a);
    let names = old?.names;
    let headings = old?.headings;
    if (names === undefined || headings === undefined) {
      const ex = exportsOf(a);
      names = fnv(ex.names);
      headings = fnv(ex.headings);
    }
    stored.articles[a.path] = { size: a.size, hash: a.hash, names, headings, keys: a.keys, problems };
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(stored));
    fs.renameSync(tmp, file);
  } catch (e) {
    log(`problem cache: cannot write ${file}: ${(e as Error).message}`);
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // `force` covers a missing file, not a cache path that runs through a file
    }
  }
}
