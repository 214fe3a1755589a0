// The blocks of an article a link can name with Obsidian's `#^id` (paragraphs and list items), and the edit that gives one an id.
import { commentSpans } from '../comments';
import { plainInline } from '../decode';
import { insideAny } from '../proseSpans';
import { EditBuilder, EditRefused, type ToUri, type WorkspaceEdit } from '../edits';
import { scanArticle, type Paragraph } from '../scan';
import type { ArticleSyntax } from '../types';
import { hashText, type Wiki } from '../wiki';
import { readArticle, type DocumentReader } from './editing';

/** A paragraph or list item, with the id it ends in or the place one would go. */
export interface LinkableBlock {
  kind: 'paragraph' | 'list item';
  /** What a reader sees of it: markup removed, white space folded, the id left out. */
  text: string;
  /** Its id as links write it (`^quote-1`), when it has one. */
  id?: string;
  /** Where its text starts and ends (past the end, ` ^id` is added; for a list item, its first paragraph's). */
  start: number;
  end: number;
  /** Identifies the block's source text, so that an id is added to the block chosen even when the text moved. */
  key: number;
}

/**
 * Longer articles offer only the blocks that already have ids. The paragraphs are the scanner's (linear in the text,
 * about 150 MB/s), so the id added is one the scanner reads; remark-parse, tried first, took 0.4 s on 16 KB of one
 * long list and 20 s on 64 KB of nested quotes and lists.
 */
export const BLOCKS_MAX_TEXT = 4 * 1024 * 1024;

/** The last few texts' blocks: completion is asked again for the same closed article as the writer goes on typing. */
const recent = new Map<string, LinkableBlock[]>();
const RECENT_MAX = 4;

const TABLE_ROW = /^[ \t]*\|/;
/** The quote markers that open each line after a paragraph's first, in a quote. */
const QUOTE_MARKERS = /(\r\n|\r|\n)[ \t]*(?:>[ \t]?)*/g;
/** Quote and list markers opening a block's text: no paragraph starts with one, so they are a nested block's. */
const NESTED_MARKERS = /^(?:(?:>|[-+*]|\d{1,9}[.)])(?:[ \t]+|$))+/;

/**
 * The article's paragraphs and list items, in order, that a block id can end: not in code, HTML, tables, headings,
 * front matter, footnote definitions or `%%` comments. Undefined for a text longer than BLOCKS_MAX_TEXT.
 */
export function linkableBlocks(text: string, syntax: ArticleSyntax): LinkableBlock[] | undefined {
  if (text.length > BLOCKS_MAX_TEXT) return undefined;
  const kept = recent.get(text);
  if (kept) return kept;
  const blocks = readBlocks(text, syntax);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(text, blocks);
  return blocks;
}

function readBlocks(text: string, syntax: ArticleSyntax): LinkableBlock[] {
  const paragraphs: Paragraph[] = [];
  scanArticle(text, { noGlossary: true, paragraphs });
  const comments = commentSpans(text, syntax.frontMatter?.span.end ?? 0);
  const ids = syntax.anchors.filter((a) => a.id.startsWith('^'));
  const out: LinkableBlock[] = [];
  // Both in text order: the ids before a paragraph are passed once, not searched again for each one.
  let next = 0;
  for (const p of paragraphs) {
    const start = p.start;
    let end = p.end;
    while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
    // In a comment (or holding the end of one) it is no block: the scanner reads no id there.
    if (insideAny(comments, start, end)) continue;
    const raw = text.slice(start, end);
    // A table is a paragraph to CommonMark; an id after its last row would be a cell.
    if (TABLE_ROW.test(raw)) continue;
    while (next < ids.length && ids[next].span.start < start) next++;
    let id: (typeof ids)[number] | undefined;
    for (let k = next; k < ids.length && ids[k].span.end <= end; k++) if (!text.slice(ids[k].span.end, end).trim()) id = ids[k];
    const words = (id ? text.slice(start, id.span.start) : raw).replace(QUOTE_MARKERS, ' ');
    // A quote or list the scanner reads as an item's text (`> - > - a`: CommonMark nests them) is not its words.
    const shown = plainInline(words.replace(/\s+/g, ' ')).trim().replace(NESTED_MARKERS, '');
    // A paragraph of nothing but an id names the block above it, as Obsidian writes one after a table.
    if (!shown) continue;
    // Keyed by its text without its id, so that a block that was given its id is still the block chosen.
    const key = hashText(id ? text.slice(start, id.span.start).trimEnd() : raw);
    out.push({ kind: p.listItem ? 'list item' : 'paragraph', text: shown, ...(id ? { id: id.id } : {}), start, end, key });
  }
  return out;
}

const ID_LENGTH = 6;

/**
 * A new id for a block, as Obsidian makes one (six letters and digits), taken from the block's text so that the same
 * block is offered the same id each time; another is chosen while `taken` has it.
 */
export function newBlockId(block: LinkableBlock, taken: (id: string) => boolean, from = 0): string {
  for (let n = from; ; n++) {
    const id = `^${(hashText(`${block.key}:${n}`) >>> 0).toString(36).padStart(ID_LENGTH, '0').slice(-ID_LENGTH)}`;
    if (!taken(id)) return id;
  }
}

/**
 * The id each block has, or the new one it is offered with: unlike every id of the article and every new one before
 * it. The same for completion and for the quick fix that adds an id a completion inserted (in an editor that does
 * not run the item's command), so the fix finds the block the link was meant for.
 */
export function blockIdsOf(blocks: LinkableBlock[], anchors: readonly { id: string }[]): string[] {
  const taken = new Set(anchors.map((a) => a.id));
  // Blocks alike (the same words) start their search past the ids of those before them: each trying its way past
  // them all took 4 s for 3,000 alike.
  const alike = new Map<number, number>();
  return blocks.map((b) => {
    if (b.id) return b.id;
    const before = alike.get(b.key) ?? 0;
    alike.set(b.key, before + 1);
    const id = newBlockId(b, (x) => taken.has(x), before);
    taken.add(id);
    return id;
  });
}

/** What completion hands the command that adds an id: the block by its start and text, and the id. */
export interface AddBlockIdArgs {
  path: string;
  start: number;
  key: number;
  id: string;
}

/**
 * The edit that ends the block `args` names with its new id (` ^id`), in the article's current text: found where it
 * was, else by its text wherever it moved; undefined when the block already has that id (nothing to do). Refused
 * when the block is gone or changed, or the id is taken by another block.
 */
export function addBlockIdEdit(wiki: Wiki, read: DocumentReader, args: AddBlockIdArgs, toUri?: ToUri): WorkspaceEdit | undefined {
  const { article, text, version } = readArticle(wiki, read, args.path);
  const blocks = linkableBlocks(text, article.syntax) ?? [];
  const same = blocks.filter((b) => b.key === args.key);
  const block = same.find((b) => b.start === args.start) ?? (same.length === 1 ? same[0] : undefined);
  if (block?.id === args.id) return undefined;
  if (!block) throw new EditRefused(`The paragraph was changed or removed in ${article.title}; no block id was added`);
  if (block.id) throw new EditRefused(`The paragraph already has the id ${block.id} in ${article.title}`);
  if (article.syntax.anchors.some((a) => a.id === args.id)) throw new EditRefused(`${article.title} already has a block ${args.id}; no block id was added`);
  const edits = new EditBuilder(toUri);
  edits.replace(args.path, article.lines, version, { start: block.end, end: block.end }, ` ${args.id}`);
  return edits.build();
}
