// The on-disk cache of `check --cache DIR`: for each article its file's stat, its text's length and hash, its names and headings, the keys its links name, and its problems; a later check reads, scans and checks again only what an edit can have changed.
// An article's problems depend on its own text and on the rest of the wiki only through the names and headings of the
// articles its links name and the files they point at: the rule by which the server decides whose diagnostics an
// edit can change (service.ts, exportsOf). So an article whose text is unchanged keeps its cached problems unless one
// of its link keys names an article that came, went, or changed its names or headings (its stand-in, stubs.ts), or a
// file that came or went. Those few are checked against stand-ins for all the others, as a parallel check does, so
// the cache holds no index: a check needs neither the index cache nor any article it does not check.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { cacheKey, fnv, type FileStamp } from './cache';
import { basename, nameKey } from './names';
import type { CoreSettings } from './settings';
import { encodeStub, type StubBatch } from './stubs';
import type { Problem } from './types';
import type { Article } from './wiki';

/** Bumped when the layout or the meaning of an entry changes. */
const FORMAT = 15;
const MAGIC = 'linked-articles-check';

/** One article as the last check saw it; a file too large to index, never read, has fileSize and mtimeMs -1. */
export interface CheckEntry extends FileStamp {
  /** Its names and headings: a stand-in (stubs.ts) for the articles that link to it. */
  stub: StubBatch;
  /** The keys its links name (Article.linkKeys), as indexes into the stored table of keys. */
  linkKeys: number[];
  problems: Problem[];
}

interface Stored {
  magic: string;
  key: string;
  writtenAt: number;
  attachments: string[];
  keys: string[];
  articles: Record<string, CheckEntry>;
}

/** The last check, as loaded: its entries, with their link keys as strings again. */
export interface CheckCache {
  writtenAt: number;
  attachments: string[];
  entries: Map<string, CheckEntry & { keys: string[] }>;
}

export function stubOf(a: Article): StubBatch {
  const out: StubBatch = [];
  encodeStub(a, out);
  return out;
}

export function sameStub(a: StubBatch, b: StubBatch): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The name keys in a stand-in (after its path and title, counted). */
export function stubKeys(stub: StubBatch): string[] {
  return stub.slice(3, 3 + (stub[2] as number)) as string[];
}

function problemsFile(dir: string, folders: string[]): string {
  return nodePath.join(dir, `check-${fnv(folders.join('\n'))}.json`);
}

/** Everything besides the files that problems depend on: the whole settings (severities too), folders and code. */
function key(folders: string[], settings: CoreSettings): string {
  return JSON.stringify({ FORMAT, index: cacheKey(folders, settings), settings });
}

/**
 * The last check's cache for these folders, settings and code; undefined when there is none, or it is corrupt or of
 * the wrong shape (said through `log`).
 */
export function loadCheckCache(dir: string, folders: string[], settings: CoreSettings, log: (msg: string) => void): CheckCache | undefined {
  const file = problemsFile(dir, folders);
  let stored: Stored;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Stored;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`check cache: ignoring ${file}: ${(e as Error).message}`);
    return undefined;
  }
  if (!stored || stored.magic !== MAGIC || typeof stored.articles !== 'object' || !stored.articles) {
    log(`check cache: ignoring ${file}: not a check cache`);
    return undefined;
  }
  if (stored.key !== key(folders, settings)) return undefined;
  // Valid JSON of the wrong shape (a file edited by hand, or cut short and patched) must not reach the output.
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (typeof stored.writtenAt !== 'number' || !strings(stored.attachments) || !strings(stored.keys)) {
    log(`check cache: ignoring ${file}: malformed`);
    return undefined;
  }
  const entries = new Map<string, CheckEntry & { keys: string[] }>();
  for (const [path, e] of Object.entries(stored.articles)) {
    if (!wellFormed(e, stored.keys.length)) {
      log(`check cache: ignoring ${file}: the entry of ${path} is malformed`);
      return undefined;
    }
    entries.set(path, { ...e, keys: e.linkKeys.map((k) => stored.keys[k]) });
  }
  return { writtenAt: stored.writtenAt, attachments: stored.attachments, entries };
}

function wellFormed(e: CheckEntry, keyCount: number): boolean {
  const num = (x: unknown) => typeof x === 'number';
  const position = (p: Problem['range']['start'] | undefined) => !!p && num(p.line) && num(p.character);
  return (
    !!e &&
    num(e.fileSize) &&
    num(e.mtimeMs) &&
    num(e.size) &&
    num(e.hash) &&
    wellFormedStub(e.stub) &&
    Array.isArray(e.linkKeys) &&
    e.linkKeys.every((k) => Number.isInteger(k) && k >= 0 && k < keyCount) &&
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

/** One stand-in, exactly: path, title, counted keys, counted (level, text, slug) headings, counted anchor ids. */
function wellFormedStub(s: StubBatch): boolean {
  if (!Array.isArray(s) || typeof s[0] !== 'string' || typeof s[1] !== 'string' || !Number.isInteger(s[2])) return false;
  let i = 3 + (s[2] as number);
  for (let k = 3; k < i; k++) if (typeof s[k] !== 'string') return false;
  const headings = s[i++];
  if (!Number.isInteger(headings) || (headings as number) < 0 || s.length < i + 3 * (headings as number) + 1) return false;
  for (const end = i + 3 * (headings as number); i < end; i += 3) if (typeof s[i] !== 'number' || typeof s[i + 1] !== 'string' || typeof s[i + 2] !== 'string') return false;
  const anchors = s[i++];
  if (!Number.isInteger(anchors) || (anchors as number) < 0 || s.length < i + (anchors as number) + 1) return false;
  for (const end = i + (anchors as number); i < end; i++) if (typeof s[i] !== 'string') return false;
  // The redirect: 0, or 1 with its target and heading.
  if (s[i] === 0) return s.length === i + 1;
  return s[i] === 1 && s.length === i + 3 && typeof s[i + 1] === 'string' && typeof s[i + 2] === 'string';
}

/** Writes the check's cache, replacing the file at once (a check cut short leaves the old one whole). */
export function saveCheckCache(
  dir: string,
  folders: string[],
  settings: CoreSettings,
  attachments: string[],
  entries: Map<string, CheckEntry & { keys: string[] }>,
  log: (msg: string) => void,
): void {
  const file = problemsFile(dir, folders);
  const table = new Map<string, number>();
  const stored: Stored = { magic: MAGIC, key: key(folders, settings), writtenAt: Date.now(), attachments, keys: [], articles: {} };
  for (const [path, e] of entries) {
    const linkKeys = e.keys.map((k) => {
      let at = table.get(k);
      if (at === undefined) table.set(k, (at = table.size));
      return at;
    });
    stored.articles[path] = { fileSize: e.fileSize, mtimeMs: e.mtimeMs, size: e.size, hash: e.hash, stub: e.stub, linkKeys, problems: e.problems };
  }
  stored.keys = [...table.keys()];
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(stored));
    fs.renameSync(tmp, file);
  } catch (e) {
    log(`check cache: cannot write ${file}: ${(e as Error).message}`);
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // `force` covers a missing file, not a cache path that runs through a file
    }
  }
}

/**
 * Which cached articles an edit can have changed the problems of: the keys of articles that came, went, or have
 * another stand-in than before, and of attachments that came or went.
 */
export function changedKeys(
  cache: CheckCache | undefined,
  now: Map<string, { stub: StubBatch }>,
  attachments: string[],
  mode: CoreSettings['caseMode'],
): Set<string> {
  const keys = new Set<string>();
  for (const [path, e] of now) {
    const old = cache?.entries.get(path);
    if (old && (old.stub === e.stub || sameStub(old.stub, e.stub))) continue;
    for (const k of stubKeys(e.stub)) keys.add(k);
    if (old) for (const k of stubKeys(old.stub)) keys.add(k);
  }
  if (cache) for (const [path, old] of cache.entries) if (!now.has(path)) for (const k of stubKeys(old.stub)) keys.add(k);
  const before = new Set(cache?.attachments ?? []);
  for (const p of attachments) if (!before.delete(p)) keys.add(nameKey(basename(p), mode));
  for (const p of before) keys.add(nameKey(basename(p), mode));
  return keys;
}
