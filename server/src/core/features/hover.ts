// Hover: a preview of a link's target (title, lead, incoming links), a footnote's text, a glossary term's definition,
// or what a broken link is missing. Everything from the wiki is escaped: hovers are untrusted markdown.
import { lastSegment, nameKey } from '../names';
import { plainHeadingText } from '../decode';
import type { Article, Wiki } from '../wiki';
import type { Link } from '../types';
import type { HoverShape } from './shapes';
import type { GlossaryIndex } from './glossary';
import { escapeMarkdown, footnoteRefAt, linkAt, plainInline } from './text';

export function hover(wiki: Wiki, article: Article, text: string, offset: number, glossary?: GlossaryIndex): HoverShape | undefined {
  const link = linkAt(article, offset);
  if (link) {
    const markdown = linkHover(wiki, article, link);
    return markdown ? { markdown, range: article.lines.range(link.span) } : undefined;
  }
  const ref = footnoteRefAt(article, offset);
  if (ref) {
    const key = ref.label.toLowerCase();
    const def = article.syntax.footnoteDefs.find((d) => d.label.toLowerCase() === key);
    let body: string;
    if (!def) body = `*Footnote \\[^${escapeMarkdown(ref.label)}\\] has no definition.*`;
    else {
      // Closed articles keep no footnote text in the index; the text at hand has it.
      const defText = def.text || text.slice(def.labelSpan.end + 2, def.span.end);
      body = escapeMarkdown(plainInline(defText)) || '*(empty footnote)*';
    }
    return { markdown: `**Footnote ${escapeMarkdown(ref.label)}**\n\n${body}`, range: article.lines.range(ref.span) };
  }
  if (glossary) {
    const hit = glossary.termAt(wiki, text, offset);
    if (hit) {
      const parts = hit.value.slice(0, 3).map((t) => {
        const def = plainInline(t.definition).replace(new RegExp(`^${escapeRegExp(t.term)}\\s*[:—–-]\\s*`, 'i'), '');
        return `**${escapeMarkdown(t.term)}**: ${escapeMarkdown(def)}\n\n*from ${escapeMarkdown(t.article.title)} (${escapeMarkdown(t.article.rel)})*`;
      });
      return { markdown: parts.join('\n\n---\n\n'), range: article.lines.range({ start: hit.start, end: hit.end }) };
    }
  }
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The hover text of one link; exported for tests and for other features that describe a link. */
export function linkHover(wiki: Wiki, article: Article, link: Link): string | undefined {
  const r = wiki.resolve(link, article);
  switch (r.kind) {
    case 'article': {
      const a = r.article;
      const lines: string[] = [];
      let head = `**${escapeMarkdown(a.title)}**`;
      if (r.heading) head += ` › ${escapeMarkdown(plainHeadingText(r.heading.text))}`;
      lines.push(`${head}  \n\`${a.rel.replace(/`/g, "'")}\``);
      if (r.headingMissing) lines.push(`*No heading '${escapeMarkdown(link.heading ?? '')}' in this article.*`);
      if (a.lead) lines.push(escapeMarkdown(a.lead));
      const n = wiki.incomingCount(a);
      lines.push(`*${n === 1 ? '1 article links' : `${n} articles link`} here*`);
      return lines.join('\n\n');
    }
    case 'missing': {
      if (r.headingOnly) return `*No heading '${escapeMarkdown(link.heading ?? '')}' here.*`;
      const others = wantedBy(wiki, r.key, link);
      return `**No article named '${escapeMarkdown(r.name)}'**\n\n${
        others === 0 ? 'No other link wants it.' : `${plural(others, 'other link wants', 'other links want')} it.`
      }`;
    }
    case 'ambiguous':
      return `**'${escapeMarkdown(link.target)}' could mean:**\n\n${r.candidates.map((c) => `- ${escapeMarkdown(c.title)} (\`${c.rel.replace(/`/g, "'")}\`)`).join('\n')}`;
    case 'outside':
      return `**'${escapeMarkdown(link.target)}' is outside the wiki**; it is not shown.`;
    case 'category':
      return `**Category:** ${escapeMarkdown(r.name)}`;
    case 'interwiki':
      return `**Interwiki link** (${escapeMarkdown(r.prefix)}): ${escapeMarkdown(link.target)}`;
    case 'special':
      return `**Special page:** ${escapeMarkdown(r.name)}`;
    case 'attachment':
      return `**Attachment** \`${r.path.slice(r.path.lastIndexOf('/') + 1).replace(/`/g, "'")}\``;
  }
}

/** How many links besides `except` want the missing article with this key: only the articles that use the key are read. */
export function wantedBy(wiki: Wiki, key: string, except?: Link): number {
  let n = 0;
  for (const source of wiki.linkersOfKeys([key])) {
    for (const l of source.syntax.links) {
      if (l === except || !l.target) continue;
      if (nameKey(lastSegment(l.target).replace(/^:/, ''), wiki.settings.caseMode) !== key) continue;
      const r = wiki.resolve(l, source);
      if (r.kind === 'missing' && r.key === key) n++;
    }
  }
  return n;
}
