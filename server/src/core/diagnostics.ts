// The problems in one article: broken and ambiguous links, broken headings, double redirects, and footnote and reference-link mistakes, with writer-friendly messages.
import { lastSegment, namesAFile, stripMarkdownExtension, titleFromFileName } from './names';
import type { CoreSettings } from './settings';
import type { Article, Wiki } from './wiki';
import type { Link, Problem, ProblemCode, Span } from './types';

type Severities = CoreSettings['severity'];

/**
 * `severity`: a folder's own severities, when they differ from the wiki's; `local`: the problems found from the
 * article alone (localProblems) when they were found already (a parallel check finds them first).
 */
export function articleProblems(wiki: Wiki, article: Article, options: { severity?: Severities; local?: Problem[] } = {}): Problem[] {
  const severity = options.severity ?? wiki.settings.severity;
  const problems = linkProblems(wiki, article, severity);
  for (const p of options.local ?? localProblems(article, severity)) problems.push(p);
  problems.sort((a, b) => a.span.start - b.span.start);
  return problems;
}

function reporter(severities: Severities, article: Article, problems: Problem[]) {
  return (code: ProblemCode, message: string, span: Span, data?: Record<string, unknown>) => {
    const severity = severities[code];
    if (severity === 'off') return;
    // A message is one line (the command line prints one problem a line): a target may hold a line break, as an
    // `<img src="jav⏎ascript:…">` in owasp-wiki does.
    if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) message = message.replace(/\s*[\r\n]+\s*/g, ' ');
    problems.push({ code, severity, message, span, range: article.lines.range(span), data });
  };
}

/** Broken and ambiguous links and broken headings: the problems that depend on the rest of the wiki. */
export function linkProblems(wiki: Wiki, article: Article, severity: Severities = wiki.settings.severity): Problem[] {
  const problems: Problem[] = [];
  const push = reporter(severity, article, problems);

  // Indexed: a check's slim article makes its links afresh on each read of `links`.
  const links = article.syntax.links;
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    const r = wiki.resolve(link, article);
    const where = link.target ? link.targetSpan : link.headingSpan ?? link.targetSpan;
    if (r.kind === 'article' && r.article.redirect !== undefined) {
      if (i === article.redirect) redirectProblems(wiki, article, link, where, push);
      else if (link.heading) {
        // A redirect page has no sections of its own: the fragment is the article's it redirects to.
        const t = wiki.resolveThrough(link, article);
        if (t.kind === 'article' && t.headingMissing && !t.loop) {
          push('broken-heading', `No ${placeWord(link.heading)} '${link.heading}' in '${t.article.title}' (where '${r.article.title}' redirects)`, link.headingSpan ?? where, {
            target: t.article.path,
            heading: link.heading,
          });
        }
      }
      continue;
    }
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
          push('broken-heading', `No ${placeWord(link.heading)} '${link.heading}' in ${name}`, link.headingSpan ?? where, {
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

/**
 * The problems of a redirect page's own redirect when it leads to another redirect page: MediaWiki does not follow
 * a second redirect, so its readers stop at the middle page ("double redirect"), or go round a loop.
 */
function redirectProblems(wiki: Wiki, article: Article, link: Link, where: Span, push: ReturnType<typeof reporter>): void {
  const t = wiki.resolveThrough(link, article);
  const via = t.via ?? [];
  const back = via.indexOf(article);
  if (back >= 0) {
    const names = [article, ...via.slice(0, back)].map((a) => `'${a.title}'`);
    let message = names.length === 1 ? 'This page redirects to itself' : `Redirect loop: ${[...names, names[0]].join(' → ')}`;
    // MediaWiki exports saved pages whose names differ only in case under one file name (anarwiki's `Dual_power.md`
    // is "Dual Power", redirecting to "Dual power", saved as `Dual_power(1).md`): say why the names met.
    const written = stripMarkdownExtension(lastSegment(link.target)).replace(/_/g, ' ').trim();
    if (names.length === 1 && written !== article.title && written !== titleFromFileName(article.path)) message += ` ('${written}' is its name when case is ignored; see caseMode)`;
    push('double-redirect', message, where, { target: link.target, loop: true });
    return;
  }
  if (t.loop) {
    push('double-redirect', `'${via[0].title}' is itself a redirect, into a loop: ${via.map((a) => `'${a.title}'`).join(' → ')} → '${t.kind === 'article' ? t.article.title : ''}'`, where, { target: link.target, loop: true });
    return;
  }
  const final = t.kind === 'article' ? t.article : undefined;
  const end = final ? `'${final.title}'` : t.kind === 'missing' ? `the missing '${t.name}'` : 'nowhere';
  push('double-redirect', `'${via[0].title}' is itself a redirect, to ${end}: readers stop there`, where, {
    target: link.target,
    ...(final ? { final: final.path, ...(t.kind === 'article' && t.heading ? { heading: t.heading.text } : {}) } : {}),
  });
}

/** The problems found from the article alone: its footnote and reference-link mistakes. */
export function localProblems(article: Article, severity: Severities): Problem[] {
  const problems = footnoteProblems(article, severity);
  const push = reporter(severity, article, problems);
  for (const x of article.syntax.referenceIssues ?? []) {
    if (x.kind === 'undefined') push('undefined-reference', `No link definition for [${x.label}]`, x.span, { label: x.label });
    else if (x.kind === 'unused') push('unused-link-definition', `Link definition [${x.label}] is never used`, x.span, { label: x.label });
    else push('duplicate-link-definition', `Link [${x.label}] is defined more than once; the first definition is the one used`, x.span, { label: x.label });
  }
  return problems;
}

/** Footnote mistakes: found from the article alone. */
function footnoteProblems(article: Article, severity: Severities): Problem[] {
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

/** What a fragment names: Obsidian's `#^quote-1` a block (see tagSyntax.ts), any other a heading. */
function placeWord(fragment: string | undefined): string {
  return fragment?.startsWith('^') ? 'block' : 'heading';
}
