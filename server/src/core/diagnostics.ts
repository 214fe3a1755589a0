// The problems in one article: broken and ambiguous links, broken headings, and footnote mistakes, with writer-friendly messages.
import { namesAFile } from './names';
import type { CoreSettings } from './settings';
import type { Article, Wiki } from './wiki';
import type { Problem, ProblemCode, Span } from './types';

type Severities = CoreSettings['severity'];

/**
 * `severity`: a folder's own severities, when they differ from the wiki's; `footnotes`: the article's footnote
 * problems when they were found already (a parallel check finds them first).
 */
export function articleProblems(wiki: Wiki, article: Article, options: { severity?: Severities; footnotes?: Problem[] } = {}): Problem[] {
  const severity = options.severity ?? wiki.settings.severity;
  const problems = linkProblems(wiki, article, severity);
  for (const p of options.footnotes ?? footnoteProblems(article, severity)) problems.push(p);
  problems.sort((a, b) => a.span.start - b.span.start);
  return problems;
}

function reporter(severities: Severities, article: Article, problems: Problem[]) {
  return (code: ProblemCode, message: string, span: Span, data?: Record<string, unknown>) => {
    const severity = severities[code];
    if (severity === 'off') return;
    problems.push({ code, severity, message, span, range: article.lines.range(span), data });
  };
}

/** Broken and ambiguous links and broken headings: the problems that depend on the rest of the wiki. */
export function linkProblems(wiki: Wiki, article: Article, severity: Severities = wiki.settings.severity): Problem[] {
  const problems: Problem[] = [];
  const push = reporter(severity, article, problems);

  for (const link of article.syntax.links) {
    const r = wiki.resolve(link, article);
    const where = link.target ? link.targetSpan : link.headingSpan ?? link.targetSpan;
    switch (r.kind) {
      case 'missing':
        if (r.headingOnly) break;
        // A wiki exported without its media misses them all: a code of their own can be turned off alone.
        if (namesAFile(link)) push('missing-file', `No file '${link.target}' in the wiki`, where, { target: link.target, key: r.key });
        else push('broken-link', `No article named '${r.name}'`, where, { target: link.target, key: r.key });
        break;
      case 'outside':
        push('broken-link', `'${link.target}' is outside the wiki`, where, { target: link.target, outside: true });
        break;
      case 'ambiguous':
        push(
          'ambiguous-link',
          `'${link.target}' could mean ${r.candidates.map((c) => c.rel).sort().join(' or ')}`,
          where,
          { target: link.target, candidates: r.candidates.map((c) => c.path) },
        );
        break;
      case 'article':
        if (r.headingMissing) {
          const name = r.article === article ? 'this article' : `'${r.article.title}'`;
          push('broken-heading', `No heading '${link.heading}' in ${name}`, link.headingSpan ?? where, {
            target: r.article.path,
            heading: link.heading,
          });
        }
        break;
      default:
        break;
    }
  }
  return problems;
}

/** Footnote mistakes: found from the article alone. */
export function footnoteProblems(article: Article, severity: Severities): Problem[] {
  const problems: Problem[] = [];
  const push = reporter(severity, article, problems);
  const defs = new Map<string, Span[]>();
  for (const d of article.syntax.footnoteDefs) {
    const key = d.label.toLowerCase();
    const list = defs.get(key);
    if (list) list.push(d.labelSpan);
    else defs.set(key, [d.labelSpan]);
  }
  const referenced = new Set<string>();
  for (const ref of article.syntax.footnoteRefs) {
    const key = ref.label.toLowerCase();
    referenced.add(key);
    if (!defs.has(key)) push('missing-footnote-definition', `Footnote [^${ref.label}] has no definition`, ref.labelSpan, { label: ref.label });
  }
  for (const d of article.syntax.footnoteDefs) {
    const key = d.label.toLowerCase();
    const same = defs.get(key)!;
    if (same.length > 1 && same[0] !== d.labelSpan) {
      push('duplicate-footnote-definition', `Footnote [^${d.label}] is defined more than once (first on line ${article.lines.positionAt(same[0].start).line + 1})`, d.labelSpan, { label: d.label });
    }
    if (!referenced.has(key) && same[0] === d.labelSpan) {
      push('unused-footnote-definition', `Footnote [^${d.label}] is defined but never referenced`, d.labelSpan, { label: d.label });
    }
  }
  return problems;
}
