// What a parallel check keeps of articles: slim copies of a worker's own, and stand-ins (names and headings) for the other workers'.
// A check resolves each worker's own links in that worker (indexer.ts, checkWholeWiki), so the full facts of every
// article never cross a thread: only the stand-ins, all a link is resolved and checked against. They are flat arrays
// of strings and numbers, cheap to clone, and need no string table (interning every string of a full record was a
// quarter of an index worker's time at 10,000 articles).
import { localProblems } from './diagnostics';
import { StringIds } from './facts';
import { LineIndex } from './lineIndex';
import { hashText, linkKeyOf, redirectLinkOf, type Article, type Wiki } from './wiki';
import type { Anchor, ArticleSyntax, Heading, Link, LinkSyntax, Problem } from './types';

/**
 * One batch of stand-ins: per article its path, title, keys, headings as (level, text, slug), HTML anchors' ids, and
 * for a redirect page where it redirects (1, target, heading; else 0). Placeholders for files too large to index are
 * not among them: every worker makes its own from the file list.
 */
export type StubBatch = (string | number)[];

export function encodeStub(a: Article, out: StubBatch): void {
  out.push(a.path, a.title, a.keys.length, ...a.keys, a.syntax.headings.length);
  for (const h of a.syntax.headings) out.push(h.level, h.text, h.slug);
  const anchors = a.syntax.anchors;
  out.push(anchors.length);
  for (const x of anchors) out.push(x.id);
  const redirect = redirectLinkOf(a);
  if (redirect) out.push(1, redirect.target, redirect.heading ?? '');
  else out.push(0);
}

/** A batch cut into the stand-ins of its articles, each a batch of one, by path. */
export function splitStubs(batch: StubBatch): { path: string; stub: StubBatch }[] {
  const out: { path: string; stub: StubBatch }[] = [];
  let i = 0;
  while (i < batch.length) {
    const start = i;
    i = redirectFlagAt(batch, i);
    i += batch[i] === 1 ? 3 : 1;
    out.push({ path: batch[start] as string, stub: batch.slice(start, i) });
  }
  return out;
}

/** Where the redirect flag of the stand-in starting at `i` is: after its path, title, keys, headings and ids. */
function redirectFlagAt(batch: StubBatch, i: number): number {
  i += 2;
  i += 1 + (batch[i] as number);
  i += 1 + 3 * (batch[i] as number);
  return i + 1 + (batch[i] as number);
}

/** Whether the stand-in of one article is a redirect page's. */
export function isRedirectStub(stub: StubBatch): boolean {
  return stub[redirectFlagAt(stub, 0)] === 1;
}

const NO_LINES = new LineIndex('');
const NOWHERE = { start: 0, end: 0 };

/**
 * The stand-ins of one batch, as Articles without text, links or footnotes. Their spans are empty: a check only
 * asks whether a name or heading exists, never where it is written.
 */
export function decodeStubs(batch: StubBatch, folderOf: (path: string) => string | undefined): Article[] {
  const out: Article[] = [];
  let i = 0;
  while (i < batch.length) {
    const path = batch[i++] as string;
    const title = batch[i++] as string;
    const nKeys = batch[i++] as number;
    const keys = batch.slice(i, i + nKeys) as string[];
    i += nKeys;
    const nHeadings = batch[i++] as number;
    const headings: Heading[] = new Array(nHeadings);
    for (let k = 0; k < nHeadings; k++, i += 3) {
      headings[k] = { level: batch[i] as number, text: batch[i + 1] as string, slug: batch[i + 2] as string, span: NOWHERE, textSpan: NOWHERE };
    }
    const nAnchors = batch[i++] as number;
    const anchors: Anchor[] = new Array(nAnchors);
    for (let k = 0; k < nAnchors; k++) anchors[k] = { id: batch[i++] as string, span: NOWHERE };
    const links: Link[] = [];
    if (batch[i++] === 1) {
      const target = batch[i++] as string;
      const heading = batch[i++] as string;
      links.push({ syntax: 'wiki', span: NOWHERE, rawTarget: target, targetSpan: NOWHERE, target, ...(heading ? { heading } : {}) });
    }
    const folder = folderOf(path) ?? '';
    out.push({
      path,
      folder,
      rel: path.slice(folder.length + 1),
      title,
      aliases: [],
      ...(links.length ? { redirect: 0 } : {}),
      syntax: { headings, links, footnoteRefs: [], footnoteDefs: [], glossary: [], anchors },
      lines: NO_LINES,
      keys,
      linkKeys: [],
      linkKeyIndex: [],
      size: 0,
      hash: 0,
    });
  }
  return out;
}

/**
 * What a worker keeps of one of its own articles until the others' stand-ins come: names, headings, links and line
 * starts, with every string copied out of the text. Keeping the analysed article itself kept its text alive through
 * the strings cut from it, and the young-generation collections copying those texts doubled a worker's time; the
 * links are kept as numbers and shared target strings (a wiki links to the same names over and over; `targets` is
 * a copying table, StringIds, faster than a Map at this), and become Link objects again only while they are checked,
 * for the same reason. The numbers are an Int32Array, whose contents live outside V8's heap: as an array they were
 * copied by each young-generation collection they survived (in-thread check of the 10,000-article bench wiki, sums of
 * --trace-gc: scavenges 371–399 → 311–334 ms, heap at the end 120 → 100 MB). `ids`, when given, receives each link's
 * target's id in `targets`.
 */
export function slimForCheck(a: Article, targets: StringIds, ids?: number[]): Article {
  const links = a.syntax.links;
  const linkTargets: string[] = new Array(links.length);
  const fragments: (string | undefined)[] = new Array(links.length);
  const numbers = new Int32Array(links.length * LINK_NUMBERS);
  for (let i = 0, k = 0; i < links.length; i++, k += LINK_NUMBERS) {
    const l = links[i];
    const id = targets.idOf(l.target);
    if (ids) ids[i] = id;
    linkTargets[i] = targets.strings[id];
    fragments[i] = l.heading === undefined ? undefined : copy(l.heading);
    numbers[k] = SYNTAXES.indexOf(l.syntax);
    numbers[k + 1] = l.span.start;
    numbers[k + 2] = l.span.end;
    numbers[k + 3] = l.targetSpan.start;
    numbers[k + 4] = l.targetSpan.end;
    numbers[k + 5] = l.headingSpan ? l.headingSpan.start : -1;
    numbers[k + 6] = l.headingSpan ? l.headingSpan.end : -1;
  }
  const headings = a.syntax.headings.map((h) => ({ level: h.level, text: copy(h.text), slug: copy(h.slug), span: NOWHERE, textSpan: NOWHERE }));
  const anchors = a.syntax.anchors.map((x) => ({ id: copy(x.id), span: NOWHERE }));
  return {
    path: a.path,
    folder: a.folder,
    rel: a.rel,
    title: copy(a.title),
    aliases: [],
    ...(a.redirect === undefined ? {} : { redirect: a.redirect }),
    syntax: new SlimSyntax(headings, anchors, linkTargets, fragments, numbers),
    lines: a.lines,
    keys: a.keys.map(copy),
    linkKeys: [],
    linkKeyIndex: [],
    size: a.size,
    hash: a.hash,
  };
}

/** What a check that keeps a cache (problemCache.ts) records of an article beside its problems. */
export interface CheckRecord {
  size: number;
  hash: number;
  stub: StubBatch;
  linkKeys: string[];
}

/**
 * Puts analysed articles into a check's wiki as a check keeps them (slimForCheck), with each one's local problems (footnotes, reference links),
 * which only the whole article can tell, and, for a check that keeps a cache, its CheckRecord. One per check worker,
 * and one for a check done in this thread: both keep their articles so.
 */
export class CheckKeeper {
  /** The link targets the slim articles share. */
  private readonly targets = new StringIds(true);
  /** Per id in `targets`: the link key of that target, made once for the many links to it. */
  private readonly keyById: (string | undefined)[] = [];

  constructor(
    private readonly wiki: Wiki,
    private readonly recording: boolean,
  ) {}

  keep(a: Article, text: string): { article: Article; local: Problem[]; record?: CheckRecord } {
    const local = localProblems(a, this.wiki.settings.severity);
    const ids: number[] | undefined = this.recording ? [] : undefined;
    const article = slimForCheck(a, this.targets, ids);
    this.wiki.put(article);
    if (!ids) return { article, local };
    const stub: StubBatch = [];
    encodeStub(article, stub);
    return { article, local, record: { size: a.size, hash: hashText(text), stub, linkKeys: this.linkKeys(a, ids) } };
  }

  private linkKeys(a: Article, ids: number[]): string[] {
    const keys = new Set<string>();
    const links = a.syntax.links;
    for (let i = 0; i < links.length; i++) {
      if (!links[i].target) continue;
      keys.add((this.keyById[ids[i]] ??= linkKeyOf(links[i].target, this.wiki.settings.caseMode)));
    }
    return [...keys];
  }
}

const SYNTAXES: LinkSyntax[] = ['wiki', 'embed', 'anchor', 'markdown', 'image', 'reference', 'img'];
/** Per link: syntax, span, target span, heading span (-1 when none). */
const LINK_NUMBERS = 7;

/** A slim article's syntax: only headings and links (without labels or raw targets), the links made on each read. */
class SlimSyntax implements ArticleSyntax {
  readonly footnoteRefs = [];
  readonly footnoteDefs = [];
  readonly glossary = [];

  constructor(
    readonly headings: Heading[],
    readonly anchors: Anchor[],
    private readonly targets: string[],
    private readonly fragments: (string | undefined)[],
    private readonly numbers: Int32Array,
  ) {}

  get links(): Link[] {
    const n = this.numbers;
    return this.targets.map((target, i) => {
      const k = i * LINK_NUMBERS;
      const link: Link = { syntax: SYNTAXES[n[k]], span: { start: n[k + 1], end: n[k + 2] }, rawTarget: '', targetSpan: { start: n[k + 3], end: n[k + 4] }, target };
      const heading = this.fragments[i];
      if (heading !== undefined) {
        link.heading = heading;
        link.headingSpan = { start: n[k + 5], end: n[k + 6] };
      }
      return link;
    });
  }
}

/** A string that does not point into the text it was cut from (V8 slices strings of 13 characters or more). */
function copy(s: string): string {
  return s.length > 12 ? (' ' + s).slice(1) : s;
}
