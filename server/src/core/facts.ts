// A compact encoding of analysed articles (one string table + one Int32Array) for index workers' messages and the on-disk cache.
// Structured clone of Article object graphs costs a few µs per link; a typed array is copied as one block and the
// string table as one array, measured in bench/cloneCost.ts. Decoding gives PackedArticles, which keep the record and
// decode their syntax on demand: the same facts `Wiki.analyse` finds.
import { LineIndex } from './lineIndex';
import { headingKey } from './names';
import type { Article } from './wiki';
import type { ArticleSyntax, FootnoteDef, FootnoteRef, GlossaryEntry, Heading, HtmlHeading, Link, LinkSyntax, ReferenceIssue, Span, Tag } from './types';

// Three bits of a link's first number: room for one more.
const SYNTAXES: LinkSyntax[] = ['wiki', 'embed', 'anchor', 'markdown', 'image', 'reference', 'img'];
const SYNTAX_CODE: Record<LinkSyntax, number> = { wiki: 0, embed: 1, anchor: 2, markdown: 3, image: 4, reference: 5, img: 6 };
/** A link's first int: its syntax in the low 3 bits, then whether `angle` is set, and to what. */
const ANGLE_FALSE = 8;
const ANGLE_TRUE = 16;

/** Ints per link in a record: fixed, so that one link can be read without the others (PackedArticle.linksWithKeys). */
const LINK_INTS = 14;
/** Ints per heading: level, text, slug, two spans, and the keys of its text and slug. */
const HEADING_INTS = 9;
/**
 * Ints per entry of the syntax part's lists, in record order: headings, links, footnote refs, footnote defs, glossary,
 * anchors, reference issues, tags, HTML headings.
 */
const SYNTAX_LIST_INTS = [HEADING_INTS, LINK_INTS, 5, 6, 6, 3, 4, 4, 6];
const TAGS_LIST = 7;
const HTML_HEADINGS_LIST = 8;
const ISSUE_KINDS: ReferenceIssue['kind'][] = ['undefined', 'unused', 'duplicate'];

/** Where each link's key is in `linkKeys`; computed from the targets for an article built without the index. */
function keyIndexOf(a: Article): (i: number) => number {
  if (a.linkKeyIndex) {
    const index = a.linkKeyIndex;
    return (i) => index[i];
  }
  throw new Error(`${a.path} has no link key index`);
}

export interface FactsBatch {
  strings: string[];
  ints: Int32Array;
}

/**
 * Gives each distinct string one id, in the order first seen. An open-addressed table of ids by a hash computed here:
 * with a Map of up to 150,000 strings, finding each of about 200 strings per article had been half of the encoding
 * and a quarter of an index worker's time; this table made the encoding of 5,000 bench articles about a fifth faster
 * (565 → 403 ms, side by side). It never reads a stored string to grow, and its index is typed arrays, which the
 * garbage collector does not trace.
 */
export class StringIds {
  readonly strings: string[] = [];
  /** Id + 1 of the string in each slot; 0 is empty. At most half full. */
  private slots = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 11);

  /**
   * `copy`: keep a copy of each string rather than the string itself, when strings cut from texts would otherwise
   * keep every text alive for as long as the table lives (an index worker's, the whole build).
   */
  constructor(private readonly copy = false) {}

  idOf(s: string): number {
    const h = hashString(s);
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = slots[i];
      if (v === 0) break;
      if (this.hashes[v - 1] === h && this.strings[v - 1] === s) return v - 1;
    }
    const id = this.strings.length;
    // Slicing a concatenation flattens it into a new string: a copy that does not point into the text.
    this.strings.push(this.copy && s.length > 12 ? (' ' + s).slice(1) : s);
    if (id === this.hashes.length) {
      const next = new Int32Array(id * 2);
      next.set(this.hashes);
      this.hashes = next;
    }
    this.hashes[id] = h;
    if ((id + 1) * 2 > slots.length) {
      const grown = new Int32Array(slots.length * 2);
      for (let k = 0; k <= id; k++) place(grown, k, this.hashes[k]);
      this.slots = grown;
    } else place(slots, id, h);
    return id;
  }
}

function place(slots: Int32Array, id: number, h: number): void {
  const mask = slots.length - 1;
  let i = h & mask;
  while (slots[i] !== 0) i = (i + 1) & mask;
  slots[i] = id + 1;
}

/**
 * FNV-1a of the string's length and its characters, of only the first and last 16 of a longer one: such strings
 * (labels, headings) rarely differ in the middle alone, and when they do the table compares them in full.
 */
export function hashString(s: string): number {
  const n = s.length;
  let h = (0x811c9dc5 ^ n) | 0;
  if (n <= 32) for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  else {
    for (let i = 0; i < 16; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    for (let i = n - 16; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h;
}

/** Builds one batch: articles appended one after another, each prefixed by its length in ints. */
export class FactsEncoder {
  private readonly ids: StringIds;
  readonly strings: string[];
  private buf = new Int32Array(1 << 14);
  length = 0;
  count = 0;
  /** How many of `strings` earlier batches of `takeBatch` have sent. */
  private sent = 0;

  /** `copyStrings`: as StringIds' `copy`. */
  constructor(copyStrings = false) {
    this.ids = new StringIds(copyStrings);
    this.strings = this.ids.strings;
  }

  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Int32Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  private int(v: number): void {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = v;
  }

  private str(s: string | undefined): void {
    this.int(s === undefined ? -1 : this.idOf(s));
  }

  private idOf(s: string): number {
    return this.ids.idOf(s);
  }

  private span(s: Span | undefined): void {
    if (!s) {
      this.int(-1);
      this.int(-1);
    } else {
      this.int(s.start);
      this.int(s.end);
    }
  }

  add(a: Article): void {
    if (a instanceof PackedArticle) return a.copyTo(this);
    const at = this.length;
    this.int(0);
    this.str(a.path);
    this.int(a.size);
    this.int(a.hash | 0);
    this.str(a.title);
    this.span(a.titleSpan);
    this.int(a.redirect ?? -1);
    this.int(a.aliases.length);
    for (const s of a.aliases) this.str(s);
    this.int(a.keys.length);
    for (const s of a.keys) this.str(s);
    this.int(a.linkKeys.length);
    for (const s of a.linkKeys) this.str(s);
    const starts = a.lines.starts;
    this.int(a.lines.length);
    this.int(starts.length);
    this.grow(starts.length);
    this.buf.set(starts, this.length);
    this.length += starts.length;
    const syn = a.syntax;
    const fm = syn.frontMatter;
    if (fm) {
      this.int(1);
      this.span(fm.span);
      this.str(fm.title);
      this.str(fm.error);
    } else this.int(0);
    this.int(syn.headings.length);
    for (const h of syn.headings) {
      this.int(h.level);
      const text = this.idOf(h.text);
      const slug = this.idOf(h.slug);
      this.int(text);
      this.int(slug);
      this.span(h.span);
      this.span(h.textSpan);
      // The keys a `#fragment` is compared with, so a closed article's heading is found without decoding any.
      // A key is often the string it folds (a slug is already folded): comparing the two is cheaper than a lookup.
      const textKey = headingKey(h.text);
      const slugKey = headingKey(h.slug);
      this.int(textKey === h.text ? text : this.idOf(textKey));
      this.int(slugKey === h.slug ? slug : this.idOf(slugKey));
    }
    this.int(syn.links.length);
    this.grow(syn.links.length * LINK_INTS);
    const keyIndex = keyIndexOf(a);
    for (let i = 0; i < syn.links.length; i++) {
      const l = syn.links[i];
      this.int(SYNTAX_CODE[l.syntax] | (l.angle === undefined ? 0 : l.angle ? ANGLE_TRUE : ANGLE_FALSE));
      this.span(l.span);
      const raw = this.idOf(l.rawTarget);
      this.int(raw);
      this.span(l.targetSpan);
      // Most targets are their raw text, the same string: no second lookup.
      this.int(l.target === l.rawTarget ? raw : this.idOf(l.target));
      this.str(l.heading);
      this.span(l.headingSpan);
      this.str(l.label);
      this.span(l.labelSpan);
      this.int(keyIndex(i));
    }
    this.int(syn.footnoteRefs.length);
    for (const r of syn.footnoteRefs) {
      this.str(r.label);
      this.span(r.span);
      this.span(r.labelSpan);
    }
    this.int(syn.footnoteDefs.length);
    for (const d of syn.footnoteDefs) {
      this.str(d.label);
      this.span(d.span);
      this.span(d.labelSpan);
      this.str(d.text);
    }
    this.int(syn.glossary.length);
    for (const g of syn.glossary) {
      this.str(g.term);
      this.str(g.definition);
      this.span(g.termSpan);
      this.span(g.span);
    }
    this.int(syn.anchors.length);
    for (const a of syn.anchors) {
      this.str(a.id);
      this.span(a.span);
    }
    const issues = syn.referenceIssues ?? [];
    this.int(issues.length);
    for (const x of issues) {
      this.int(ISSUE_KINDS.indexOf(x.kind));
      this.str(x.label);
      this.span(x.span);
    }
    const tags = syn.tags ?? [];
    this.int(tags.length);
    for (const t of tags) {
      this.str(t.name);
      this.span(t.span);
      this.int(t.front ? 1 : 0);
    }
    const html = syn.htmlHeadings ?? [];
    this.int(html.length);
    for (const h of html) {
      this.int(h.level);
      this.str(h.text);
      this.span(h.span);
      this.span(h.textSpan);
    }
    this.buf[at] = this.length - at;
    this.count++;
  }

  /** Per batch copied from (its string table), each of its string ids translated into this batch's, plus one; 0 not yet. */
  private readonly translations = new WeakMap<string[], Int32Array>();

  /**
   * The translation of a batch's string ids, grown with its table (a worker's table grows from batch to batch): most
   * strings recur from record to record (link targets, headings), and hashing each again had been two thirds of
   * writing the index cache (1.5 of 2.8 s of CPU at 50,000 articles; now 1.0 s in all).
   */
  private translation(strings: string[]): Int32Array {
    let t = this.translations.get(strings);
    if (!t || t.length < strings.length) {
      const grown = new Int32Array(Math.max(strings.length, 1024));
      if (t) grown.set(t);
      this.translations.set(strings, (t = grown));
    }
    return t;
  }

  /**
   * Appends a record from another batch as it is, its string ids translated into this batch's: the cache is written
   * from packed articles without decoding them (decoding and re-encoding 10,000 articles left 70 MB of garbage).
   */
  copyRecord(ints: Int32Array, at: number, strings: string[]): void {
    const len = ints[at];
    this.grow(len);
    const out = this.buf;
    const base = this.length;
    out.set(ints.subarray(at, at + len), base);
    let p = 1;
    const known = this.translation(strings);
    const s = () => {
      const id = out[base + p];
      if (id !== -1) {
        let to = known[id] - 1;
        if (to < 0) {
          const v = strings[id];
          if (v === undefined) throw new Error(`bad string id ${id}`);
          to = this.idOf(v);
          known[id] = to + 1;
        }
        out[base + p] = to;
      }
      p++;
    };
    const skip = (n: number) => (p += n);
    const list = (each: () => void) => {
      const n = out[base + p++];
      for (let i = 0; i < n; i++) each();
    };
    // The layout `add` writes, field by field: s() for a string id, skip(n) for n plain ints.
    s(); // path
    skip(2); // size, hash
    s(); // title
    skip(2); // titleSpan
    skip(1); // redirect
    list(s); // aliases
    list(s); // keys
    list(s); // linkKeys
    skip(1); // text length
    list(() => skip(1)); // line starts
    if (out[base + p++] === 1) {
      skip(2);
      s();
      s();
    }
    list(() => (skip(1), s(), s(), skip(4), s(), s())); // headings
    list(() => (skip(3), s(), skip(2), s(), s(), skip(2), s(), skip(3))); // links
    list(() => (s(), skip(4))); // footnote references
    list(() => (s(), skip(4), s())); // footnote definitions
    list(() => (s(), s(), skip(4))); // glossary
    list(() => (s(), skip(2))); // anchors
    list(() => (skip(1), s(), skip(2))); // reference issues
    list(() => (s(), skip(3))); // tags
    list(() => (skip(1), s(), skip(4))); // HTML headings
    if (p !== len) throw new Error(`record at ${at} copied ${p} of ${len} ints`);
    this.length += len;
    this.count++;
  }

  /**
   * The records added since the last call, with only the strings they were the first to use: an index worker sends
   * each string once for the whole build, and the receiver appends them to its table of that worker's strings (10,000
   * bench articles: 920,000 strings had been sent batch by batch; the heap after indexing went from 78 to 53 MB).
   */
  takeBatch(): FactsBatch & { stringBase: number } {
    const batch = { strings: this.strings.slice(this.sent), stringBase: this.sent, ints: this.buf.slice(0, this.length) };
    this.sent = this.strings.length;
    this.length = 0;
    this.count = 0;
    return batch;
  }

  /** The ints encoded since the last call, to be written out before the next `add` (a view, not a copy); strings are kept. */
  drainInts(): Int32Array {
    const ints = this.buf.subarray(0, this.length);
    this.length = 0;
    return ints;
  }

  finish(): FactsBatch {
    return { strings: this.strings, ints: this.buf.slice(0, this.length) };
  }

  /** The batch without copying it: valid until the next `add`. */
  view(): FactsBatch {
    return { strings: this.strings, ints: this.buf.subarray(0, this.length) };
  }
}

/** Reads a batch record by record; `strings` may be mapped (e.g. interned) before decoding. */
export class FactsDecoder {
  pos = 0;
  constructor(
    private readonly ints: Int32Array,
    private readonly strings: string[],
  ) {}

  get done(): boolean {
    return this.pos >= this.ints.length;
  }

  /** The record at the current position without decoding it: its path, size and hash; advances past it. */
  peek(): { at: number; path: string; size: number; hash: number } {
    const at = this.pos;
    const len = this.ints[at];
    if (!(len > 3) || at + len > this.ints.length) throw new Error(`bad record length ${len} at ${at}`);
    const path = this.s(this.ints[at + 1]);
    if (path === undefined) throw new Error(`record at ${at} has no path`);
    this.pos = at + len;
    return { at, path, size: this.ints[at + 2], hash: this.ints[at + 3] };
  }

  private s(id: number): string | undefined {
    if (id === -1) return undefined;
    const v = this.strings[id];
    if (v === undefined) throw new Error(`bad string id ${id}`);
    return v;
  }

  /**
   * The article whose record starts at `at` (a position `peek` returned): its names and line table at once
   * (the line table is a view into `ints`, not a copy), its syntax decoded only when asked (PackedArticle).
   */
  article(at: number, folderOf: (path: string) => string | undefined): Article {
    const I = this.ints;
    let p = at + 1;
    const int = () => I[p++];
    const req = () => this.s(I[p++]) ?? '';
    const path = req();
    const size = int();
    // hashText gives a signed 32-bit value (its last step is an XOR), kept as is.
    const hash = int();
    const title = req();
    const start = int();
    const end = int();
    const titleSpan = start === -1 ? undefined : { start, end };
    const redirect = int();
    const aliases: string[] = new Array(int());
    for (let i = 0; i < aliases.length; i++) aliases[i] = req();
    const keys: string[] = new Array(int());
    for (let i = 0; i < keys.length; i++) keys[i] = req();
    p += 1 + I[p]; // linkKeys: read from the record when asked (PackedArticle.linkKeys)
    const textLength = int();
    const nStarts = int();
    const lines = Object.create(LineIndex.prototype) as { starts: Uint32Array; length: number };
    lines.starts = new Uint32Array(I.buffer, I.byteOffset + p * 4, nStarts);
    lines.length = textLength;
    p += nStarts;
    const folder = folderOf(path) ?? path.slice(0, path.lastIndexOf('/'));
    const rel = path.startsWith(folder + '/') ? path.slice(folder.length + 1) : path.slice(path.lastIndexOf('/') + 1);
    return new PackedArticle(I, this.strings, at, p, { path, folder, rel, title, titleSpan, ...(redirect === -1 ? {} : { redirect }), aliases, lines: lines as unknown as LineIndex, keys, size, hash });
  }
}

type Header = Omit<Article, 'syntax' | 'linkKeys'>;

/**
 * Decoded syntax of packed articles, oldest first. Bounded, so that a walk over every article (wanted articles, a
 * rebuild of the cache) leaves garbage, not a second copy of the wiki; large enough that the articles one request
 * touches (a hub's linkers, a completion's candidates) are decoded once.
 */
const decodedSyntax = new Map<PackedArticle, ArticleSyntax>();
const DECODED_SYNTAX_LIMIT = 1024;

/** For tests: the partial readers of a record (PackedArticle.headings) must be tested without the memo's help. */
export function forgetDecodedSyntax(): void {
  decodedSyntax.clear();
}

/** For tests: how many packed articles have had their whole syntax decoded since forgetDecodedSyntax (up to the memo's bound). */
export function decodedSyntaxCount(): number {
  return decodedSyntax.size;
}

/**
 * An article not open in an editor: its names and line table as fields, its links, headings, footnotes and glossary
 * kept in the packed form of its record (about 60 bytes a link instead of about 220 as objects with span objects)
 * and decoded on demand. Halves the index's memory and spares the main thread building objects nobody reads.
 */
export class PackedArticle implements Article {
  path!: string;
  folder!: string;
  rel!: string;
  title!: string;
  titleSpan?: Span;
  redirect?: number;
  aliases!: string[];
  lines!: LineIndex;
  keys!: string[];
  size!: number;
  hash!: number;
  open?: boolean;
  placeholder?: boolean;
  version?: number;

  constructor(
    private readonly ints: Int32Array,
    private readonly strings: string[],
    /** Where its record starts (the length word) and where the syntax part of the record starts. */
    private readonly recordAt: number,
    private readonly syntaxAt: number,
    header: Header,
  ) {
    Object.assign(this, header);
  }

  get syntax(): ArticleSyntax {
    let s = decodedSyntax.get(this);
    if (s === undefined) {
      s = this.decodeSyntax();
      if (decodedSyntax.size >= DECODED_SYNTAX_LIMIT) decodedSyntax.delete(decodedSyntax.keys().next().value!);
      decodedSyntax.set(this, s);
    }
    return s;
  }

  /**
   * The keys of the names its links point at, read from the record each time: kept as arrays, those of the
   * 10,000-article bench wiki took 2.6 MB of heap, and only indexing and backlinks read them.
   */
  get linkKeys(): string[] {
    const I = this.ints;
    // The header: length, path, size, hash, title, title span (2), redirect, then the counted lists of aliases, keys, linkKeys.
    let p = this.recordAt + 8;
    p += 1 + I[p];
    p += 1 + I[p];
    const n = I[p++];
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.strings[I[p + i]];
    return out;
  }

  /** Where a list of the syntax part starts (its count), by SYNTAX_LIST_INTS: each entry of each list has a fixed size. */
  private listAt(list: number): number {
    const I = this.ints;
    let p = this.syntaxAt;
    p += I[p] === 1 ? 5 : 1;
    for (let k = 0; k < list; k++) p += 1 + I[p] * SYNTAX_LIST_INTS[k];
    return p;
  }

  /** Where the link count is in the record: after the front matter and the headings. */
  private get linksAt(): number {
    return this.listAt(1);
  }

  /**
   * Its front matter's title alone: the name a link may use for it (wikiName), asked of each of a hundred articles a
   * completion list offers, where decoding their whole syntax took 10 ms.
   */
  frontMatterTitle(): string | undefined {
    const cached = decodedSyntax.get(this);
    if (cached) return cached.frontMatter?.title;
    const I = this.ints;
    const p = this.syntaxAt;
    // The front matter, when present: a flag, its span (2), its title, its error.
    if (I[p] !== 1) return undefined;
    const id = I[p + 3];
    return id === -1 ? undefined : this.strings[id];
  }

  /**
   * Its headings alone, without the rest of its syntax: workspace symbols read every article's headings, and
   * decoding each whole record (and churning the memo of decoded ones) made a query at 50,000 articles take 1.4–3.3 s.
   */
  headings(): Heading[] {
    const cached = decodedSyntax.get(this);
    if (cached) return cached.headings;
    const I = this.ints;
    let p = this.listAt(0);
    const n = I[p++];
    const out: Heading[] = new Array(n);
    for (let i = 0; i < n; i++, p += HEADING_INTS) out[i] = decodeHeading(I, this.strings, p);
    return out;
  }

  /**
   * Each heading's text and where it starts, read from the record without making Heading objects: keying every
   * heading of a wiki for workspace symbols (HeadingSearch) spent more on those objects and their collection than
   * on the keys.
   */
  headingTexts(): { texts: string[]; starts: number[] } {
    const I = this.ints;
    let p = this.listAt(0);
    const n = I[p++];
    const texts: string[] = new Array(n);
    const starts: number[] = new Array(n);
    for (let i = 0; i < n; i++, p += HEADING_INTS) {
      texts[i] = I[p + 1] === -1 ? '' : this.strings[I[p + 1]];
      starts[i] = I[p + 3];
    }
    return { texts, starts };
  }

  /** Its HTML headings (`<h2 id="purpose">PURPOSE</h2>`), decoded alone, as `headings` decodes the markdown ones. */
  htmlHeadings(): HtmlHeading[] {
    const cached = decodedSyntax.get(this);
    if (cached) return cached.htmlHeadings ?? [];
    const I = this.ints;
    let p = this.listAt(HTML_HEADINGS_LIST);
    const n = I[p++];
    const out: HtmlHeading[] = new Array(n);
    const str = (id: number) => (id === -1 ? '' : this.strings[id]);
    for (let i = 0; i < n; i++, p += SYNTAX_LIST_INTS[HTML_HEADINGS_LIST]) {
      out[i] = { level: I[p], text: str(I[p + 1]), span: { start: I[p + 2], end: I[p + 3] }, textSpan: { start: I[p + 4], end: I[p + 5] } };
    }
    return out;
  }

  /** Its tags' names as written, read without decoding the rest of its syntax: the wiki's tag index reads every article's. */
  tagNames(): string[] {
    const cached = decodedSyntax.get(this);
    if (cached) return (cached.tags ?? []).map((t) => t.name);
    const I = this.ints;
    let p = this.listAt(TAGS_LIST);
    const n = I[p++];
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++, p += SYNTAX_LIST_INTS[TAGS_LIST]) out[i] = this.strings[I[p]];
    return out;
  }

  /** How many glossary entries it has, read without decoding them. */
  get glossaryCount(): number {
    return this.ints[this.listAt(4)];
  }

  /** The links whose name key is one of `keys`, decoded alone, without the rest of the article's syntax. */
  linksWithKeys(keys: readonly string[]): Link[] {
    const wanted = this.linkKeys.map((k) => keys.includes(k));
    if (!wanted.includes(true)) return [];
    const cached = decodedSyntax.get(this);
    const I = this.ints;
    const at = this.linksAt;
    const n = I[at];
    const out: Link[] = [];
    for (let i = 0, p = at + 1; i < n; i++, p += LINK_INTS) {
      const k = I[p + LINK_INTS - 1];
      if (k >= 0 && wanted[k]) out.push(cached ? cached.links[i] : decodeLink(I, this.strings, p));
    }
    return out;
  }

  /** One link, decoded alone: a redirect page's redirect is read so, without the rest of its syntax (redirectLinkOf in wiki.ts). */
  link(i: number): Link | undefined {
    const cached = decodedSyntax.get(this);
    if (cached) return cached.links[i];
    const at = this.linksAt;
    return i >= 0 && i < this.ints[at] ? decodeLink(this.ints, this.strings, at + 1 + i * LINK_INTS) : undefined;
  }

  /**
   * Each link's target, read from the record without decoding the links: all that wanted articles need of them.
   * `except`: links of this syntax are left out.
   */
  linkTargets(except: LinkSyntax[] = []): string[] {
    const I = this.ints;
    const at = this.linksAt;
    const n = I[at];
    let skip = 0;
    for (const s of except) skip |= 1 << SYNTAX_CODE[s];
    const out: string[] = [];
    for (let i = 0, p = at + 1; i < n; i++, p += LINK_INTS) {
      if (!(skip & (1 << (I[p] & 7)))) out.push(I[p + 6] >= 0 ? this.strings[I[p + 6]] : '');
    }
    return out;
  }

  copyTo(enc: FactsEncoder): void {
    enc.copyRecord(this.ints, this.recordAt, this.strings);
  }

  decodeSyntax(): ArticleSyntax {
    return decodeSyntax(this.ints, this.strings, this.syntaxAt, this.recordAt + this.ints[this.recordAt], this.aliases);
  }

  /**
   * The first heading a fragment names (or the `nth` after it), by the keys the record keeps (see `findHeading` in
   * wiki.ts for the rule), decoding none but the one found.
   */
  findHeading(key: string, slug: string, nth = 0): Heading | undefined {
    const I = this.ints;
    const strings = this.strings;
    let p = this.syntaxAt;
    p += I[p] === 1 ? 5 : 1;
    const n = I[p++];
    for (let i = 0; i < n; i++, p += HEADING_INTS) {
      const hSlug = strings[I[p + 2]];
      if ((strings[I[p + 7]] === key || hSlug === key || hSlug === slug || strings[I[p + 8]] === key) && nth-- === 0) return decodeHeading(I, strings, p);
    }
    return undefined;
  }
}

function decodeHeading(I: Int32Array, strings: string[], p: number): Heading {
  const str = (id: number) => (id === -1 ? '' : strings[id]);
  return { level: I[p], text: str(I[p + 1]), slug: str(I[p + 2]), span: { start: I[p + 3], end: I[p + 4] }, textSpan: { start: I[p + 5], end: I[p + 6] } };
}

function decodeLink(I: Int32Array, strings: string[], p: number): Link {
  const str = (id: number): string | undefined => (id === -1 ? undefined : strings[id]);
  const span = (at: number): Span | undefined => (I[at] === -1 ? undefined : { start: I[at], end: I[at + 1] });
  const code = I[p];
  const l: Link = { syntax: SYNTAXES[code & 7], span: span(p + 1) ?? { start: 0, end: 0 }, rawTarget: str(I[p + 3]) ?? '', targetSpan: span(p + 4) ?? { start: 0, end: 0 }, target: str(I[p + 6]) ?? '' };
  const heading = str(I[p + 7]);
  const headingSpan = span(p + 8);
  const label = str(I[p + 10]);
  const labelSpan = span(p + 11);
  if (heading !== undefined) l.heading = heading;
  if (headingSpan) l.headingSpan = headingSpan;
  if (label !== undefined) l.label = label;
  if (labelSpan) l.labelSpan = labelSpan;
  if (code & (ANGLE_FALSE | ANGLE_TRUE)) l.angle = (code & ANGLE_TRUE) !== 0;
  return l;
}

/** The syntax part of a record, from `p` up to `end` (the record's end, checked). */
function decodeSyntax(I: Int32Array, strings: string[], p: number, end: number, aliases: string[]): ArticleSyntax {
  const s = (id: number): string | undefined => {
    if (id === -1) return undefined;
    const v = strings[id];
    if (v === undefined) throw new Error(`bad string id ${id}`);
    return v;
  };
  const int = () => I[p++];
  const str = () => s(I[p++]);
  const req = () => s(I[p++]) ?? '';
  const span = (): Span | undefined => {
    const start = I[p++];
    const end = I[p++];
    return start === -1 ? undefined : { start, end };
  };
  const reqSpan = (): Span => span() ?? { start: 0, end: 0 };
  const syntax: ArticleSyntax = { headings: [], links: [], footnoteRefs: [], footnoteDefs: [], glossary: [], anchors: [] };
  if (int() === 1) {
    const fmSpan = reqSpan();
    const fmTitle = str();
    const error = str();
    syntax.frontMatter = { span: fmSpan, aliases };
    if (fmTitle !== undefined) syntax.frontMatter.title = fmTitle;
    if (error !== undefined) syntax.frontMatter.error = error;
  }
  const nh = int();
  for (let i = 0; i < nh; i++, p += HEADING_INTS) syntax.headings.push(decodeHeading(I, strings, p));
  const nl = int();
  const links: Link[] = new Array(nl);
  for (let i = 0; i < nl; i++, p += LINK_INTS) links[i] = decodeLink(I, strings, p);
  syntax.links = links;
  const nr = int();
  for (let i = 0; i < nr; i++) {
    const r: FootnoteRef = { label: req(), span: reqSpan(), labelSpan: reqSpan() };
    syntax.footnoteRefs.push(r);
  }
  const nd = int();
  for (let i = 0; i < nd; i++) {
    const d: FootnoteDef = { label: req(), span: reqSpan(), labelSpan: reqSpan(), text: req() };
    syntax.footnoteDefs.push(d);
  }
  const ng = int();
  for (let i = 0; i < ng; i++) {
    const g: GlossaryEntry = { term: req(), definition: req(), termSpan: reqSpan(), span: reqSpan() };
    syntax.glossary.push(g);
  }
  const na = int();
  for (let i = 0; i < na; i++) syntax.anchors.push({ id: req(), span: reqSpan() });
  const ni = int();
  if (ni > 0) syntax.referenceIssues = [];
  for (let i = 0; i < ni; i++) syntax.referenceIssues!.push({ kind: ISSUE_KINDS[int()] ?? 'undefined', label: req(), span: reqSpan() });
  const nt = int();
  if (nt > 0) syntax.tags = [];
  for (let i = 0; i < nt; i++) {
    const t: Tag = { name: req(), span: reqSpan() };
    if (int() === 1) t.front = true;
    syntax.tags!.push(t);
  }
  const nx = int();
  if (nx > 0) syntax.htmlHeadings = [];
  for (let i = 0; i < nx; i++) syntax.htmlHeadings!.push({ level: int(), text: req(), span: reqSpan(), textSpan: reqSpan() });
  if (p !== end) throw new Error(`record ending at ${end} decoded to ${p}`);
  return syntax;
}
