// Refactorings across the real wikis: moving sections to new articles and renaming categories break no link anywhere.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { articleProblems } from '../../server/src/core/diagnostics';
import { applyWorkspaceEdit, fileUri, uriToPath, type WorkspaceEdit } from '../../server/src/core/edits';
import { extractSection } from '../../server/src/core/features/extractSection';
import { renameCategory } from '../../server/src/core/features/rename';
import { linkKeyOf } from '../../server/src/core/wiki';
import type { Heading, ProblemCode } from '../../server/src/core/types';
import { Wiki } from '../../server/src/core/wiki';
import { markdownFiles } from './equivalence';

const corpora = resolve(__dirname, '../../../shared/corpora');

/** What a move must not add to, over the articles it touches (a footnote both keep may hold a broken link twice, so as a set). */
const KEPT: ProblemCode[] = ['broken-link', 'broken-heading', 'ambiguous-link', 'missing-footnote-definition', 'undefined-reference'];

/** A corpus indexed in process, with every file's text by path (a refactoring's edit is applied to these). */
function corpusWiki(dir: string): { wiki: Wiki; texts: Map<string, string> } {
  const wiki = new Wiki([dir]);
  const texts = new Map<string, string>();
  for (const file of markdownFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    texts.set(file, text);
    wiki.upsert(file, text);
  }
  return { wiki, texts };
}

/** The files an edit changes, with their new texts. */
function changedBy(texts: Map<string, string>, edit: WorkspaceEdit): (readonly [string, string])[] {
  const after = applyWorkspaceEdit(new Map([...texts].map(([p, s]) => [fileUri(p), s])), edit, new Map());
  return [...after].map(([u, s]) => [uriToPath(u), s] as const).filter(([p, s]) => texts.get(p) !== s);
}

for (const [name, step] of [['anarwiki', 25], ['libsocwiki', 25], ['owasp-wiki', 150]] as const) {
  test(`in ${name}, moving the most linked section of every ${step}th article, and of 15 that others link into by heading, breaks nothing and loses no footnote`, (t) => {
    const dir = join(corpora, name);
    if (!existsSync(dir)) return t.skip(`corpus ${dir} is absent`);
    const { wiki, texts } = corpusWiki(dir);
    const problems = (paths: Iterable<string>) => {
      const out = new Set<string>();
      for (const p of paths) {
        const a = wiki.articles.get(p);
        if (a) for (const problem of articleProblems(wiki, a)) if (KEPT.includes(problem.code)) out.add(`${problem.code}: ${problem.message}`);
      }
      return out;
    };
    let moved = 0;
    let retargeted = 0;
    const sections = (a: (typeof candidates)[number]) => a.syntax.headings.filter((h) => h.level >= 2);
    const candidates = [...wiki.articles.values()].filter((a) => a.redirect === undefined && a.syntax.headings.filter((h) => h.level >= 2).length >= 2).sort((a, b) => a.path.localeCompare(b.path));
    // Every `step`th article, and the first 15 that other articles link into by heading, each at its most linked section.
    const linkedInto = candidates.filter((a) => sections(a).some((h) => wiki.backlinksThrough(a, h).some((b) => b.source.path !== a.path))).slice(0, 15);
    const sample = [...new Set([...candidates.filter((_, i) => i % step === 0), ...linkedInto])];
    for (const article of sample) {
      const text = texts.get(article.path)!;
      const incoming = (h: Heading) => wiki.backlinksThrough(article, h).filter((b) => b.source.path !== article.path).length;
      const heading = sections(article).reduce((best, h) => (incoming(h) > incoming(best) ? h : best));
      const result = extractSection(wiki, article, text, null, heading, { read: (p) => (texts.has(p) ? { text: texts.get(p)!, version: null } : undefined) });
      if (!result) continue;
      const touched = result.edit.documentChanges.flatMap((c) => ('textDocument' in c ? [uriToPath(c.textDocument.uri)] : []));
      const before = problems(touched);
      const changed = changedBy(texts, result.edit);
      for (const [p, s] of changed) wiki.upsert(p, s);
      try {
        const added = [...problems(changed.map(([p]) => p))].filter((m) => !before.has(m));
        assert.deepEqual(added, [], `${result.title} from ${article.rel}`);
        const created = changed.find(([p]) => !texts.has(p))!;
        const refs = (s: string) => (s.match(/\[\^[^\]\s]+\](?!:)/g) ?? []).length;
        const original = changed.find(([p]) => p === article.path)![1];
        assert.equal(refs(created[1]) + refs(original), refs(text), `every footnote reference of ${article.rel} is in one of the two`);
        moved++;
        retargeted += changed.length - 2;
      } finally {
        for (const [p] of changed) {
          if (texts.has(p)) wiki.upsert(p, texts.get(p)!);
          else wiki.remove(p);
        }
      }
    }
    assert.ok(moved >= 10, `${moved} sections moved`);
    assert.ok(retargeted > 0, 'links from other articles were pointed at a new article');
    t.diagnostic(`${moved} sections moved, ${retargeted} other articles' links pointed at the new ones`);
  });
}

for (const name of ['anarwiki', 'libsocwiki']) {
  test(`in ${name}, renaming the most used category moves every article in it to the new name and touches nothing else`, (t) => {
    const dir = join(corpora, name);
    if (!existsSync(dir)) return t.skip(`corpus ${dir} is absent`);
    const { wiki, texts } = corpusWiki(dir);
    const counts = new Map<string, number>();
    for (const a of wiki.articles.values()) for (const k of a.linkKeys) if (/^category:/.test(k)) counts.set(k, (counts.get(k) ?? 0) + 1);
    const [key] = [...counts].sort((x, y) => y[1] - x[1])[0];
    const members = (k: string) => new Set(wiki.categoryLinks(k).map((m) => m.source.path));
    const before = members(key);
    assert.ok(before.size >= 20, `${key}: ${before.size} articles`);
    const edit = renameCategory(wiki, key, 'Renamed By The Test', { read: (p) => (texts.has(p) ? { text: texts.get(p)!, version: null } : undefined) });
    const changed = changedBy(texts, edit);
    for (const [p, s] of changed) wiki.upsert(p, s);
    assert.deepEqual(changed.map(([p]) => p).sort(), [...before].sort(), 'exactly the articles in the category changed');
    assert.equal(members(key).size, 0, 'none is left in the old category');
    assert.deepEqual([...members(linkKeyOf('Category:Renamed By The Test', wiki.settings.caseMode))].sort(), [...before].sort());
    t.diagnostic(`${key}: ${before.size} articles moved to the new name`);
  });
}

