// The comparison behind scanEquivalence.test.ts: one readable line per fact of each analysis, and a worker that compares a share of the files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { LineIndex } from '../../server/src/core/lineIndex';
import { analyseArticle } from '../../server/src/core/remarkAnalysis';
import { scanArticle } from '../../server/src/core/scan';
import type { ArticleSyntax } from '../../server/src/core/types';

export function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(path));
    else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out.sort();
}

/** One comparable line per fact: what must agree, with positions as line:column for a reader. */
function facts(text: string, syntax: ArticleSyntax): Map<string, string[]> {
  const lines = new LineIndex(text);
  const at = (offset: number) => {
    const p = lines.positionAt(offset);
    return `${p.line + 1}:${p.character + 1}`;
  };
  const span = (s: { start: number; end: number }) => `${at(s.start)}-${at(s.end)}`;
  return new Map([
    [
      'links',
      syntax.links.map(
        (l) => `${l.syntax} ${span(l.span)} target ${span(l.targetSpan)} ${JSON.stringify(l.target)}${l.heading !== undefined ? ` #${JSON.stringify(l.heading)}` : ''}`,
      ),
    ],
    ['headings', syntax.headings.map((h) => `h${h.level} ${span(h.textSpan)} ${JSON.stringify(h.text)}`)],
    ['anchors', syntax.anchors.map((a) => `${span(a.span)} ${JSON.stringify(a.id)}`)],
    ['tags', (syntax.tags ?? []).map((t) => `${span(t.span)} ${JSON.stringify(t.name)}${t.front ? ' front' : ''}`)],
    ['HTML headings', (syntax.htmlHeadings ?? []).map((h) => `h${h.level} ${span(h.span)} ${JSON.stringify(h.text)}`)],
    ['footnote references', syntax.footnoteRefs.map((r) => `[^${r.label}] ${span(r.labelSpan)}`)],
    ['footnote definitions', syntax.footnoteDefs.map((d) => `[^${d.label}]: ${span(d.labelSpan)}`)],
    [
      'front matter',
      syntax.frontMatter ? [`title ${JSON.stringify(syntax.frontMatter.title)} aliases ${JSON.stringify(syntax.frontMatter.aliases)}`] : [],
    ],
  ]);
}

/** The differences of one text, as readable lines; empty when both analyses agree. */
export function differences(text: string): string[] {
  const fast = facts(text, scanArticle(text));
  const reference = facts(text, analyseArticle(text));
  const out: string[] = [];
  for (const [kind, mine] of fast) {
    const theirs = reference.get(kind)!;
    const theirSet = new Set(theirs);
    const mineSet = new Set(mine);
    const onlyFast = mine.filter((x) => !theirSet.has(x));
    const onlyRemark = theirs.filter((x) => !mineSet.has(x));
    if (onlyFast.length === 0 && onlyRemark.length === 0 && mine.length === theirs.length) continue;
    out.push(`  ${kind}: scanner ${mine.length}, remark ${theirs.length}`);
    for (const x of onlyFast.slice(0, 5)) out.push(`    - scanner only: ${x}`);
    for (const x of onlyRemark.slice(0, 5)) out.push(`    + remark only:  ${x}`);
  }
  return out;
}

export interface FileDifference {
  file: string;
  lines: string[];
}

export function compareFiles(files: string[]): FileDifference[] {
  const out: FileDifference[] = [];
  for (const file of files) {
    const lines = differences(readFileSync(file, 'utf8'));
    if (lines.length > 0) out.push({ file, lines });
  }
  return out;
}

if (!isMainThread && parentPort && Array.isArray(workerData?.files)) {
  parentPort.postMessage(compareFiles(workerData.files as string[]));
}
