// Reads YAML front matter (`---` … `---` at the top of an article) for the title and aliases.
import { parse as parseYaml } from 'yaml';
import type { Span } from './types';

export interface FrontMatterResult {
  info: { span: Span; title?: string; aliases: string[]; error?: string };
  /** Offset where the YAML content starts and ends. */
  content: Span;
}

const OPEN = /^(?:\uFEFF)?---[ \t]*(?:\r\n|\r|\n)/;
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
  Object.assign(info, frontMatterFields(yamlText));
  return { info, content: { start: contentStart, end: contentEnd } };
}

/** The fields we read from front matter YAML: `title`, and `aliases` (or `alias`) as a list or a comma-separated string. */
export function frontMatterFields(yamlText: string): { title?: string; aliases: string[]; error?: string } {
  const fields: { title?: string; aliases: string[]; error?: string } = { aliases: [] };
  try {
    const data = parseYaml(yamlText, { maxAliasCount: 100, logLevel: 'error' }) as unknown;
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      const record = data as Record<string, unknown>;
      if (typeof record.title === 'string' || typeof record.title === 'number') fields.title = String(record.title).trim() || undefined;
      const aliases = record.aliases ?? record.alias;
      if (typeof aliases === 'string') fields.aliases = aliases.split(',').map((a) => a.trim()).filter(Boolean);
      else if (Array.isArray(aliases)) fields.aliases = aliases.filter((a) => typeof a === 'string' || typeof a === 'number').map((a) => String(a).trim()).filter(Boolean);
    }
  } catch (e) {
    fields.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
  if (fields.title === undefined) delete fields.title;
  return fields;
}
