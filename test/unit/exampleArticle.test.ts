// Checks the engine on the two real example documents (copied into test/fixtures) and on every glossary form.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core/lineIndex';
import { analyseArticle } from '../../server/src/core/remarkAnalysis';
import { scanArticle } from '../../server/src/core/scan';
import type { Link, Span } from '../../server/src/core/types';
import { Wiki } from '../../server/src/core/wiki';

const fixtures = resolve(__dirname, '../fixtures');
const article = readFileSync(join(fixtures, 'Marxism-Leninism.md'), 'utf8');
const essay = readFileSync(join(fixtures, 'Smashing_the_Orderly_Party.txt'), 'utf8');
const lines = new LineIndex(article);
const syntax = scanArticle(article);

/** A span as `line:character-line:character`, 0-based like LSP. */
function range(span: Span, index = lines): string {
  const a = index.positionAt(span.start);
  const b = index.positionAt(span.end);
  return `${a.line}:${a.character}-${b.line}:${b.character}`;
}

function linkAt(line: number, character: number): Link {
  const offset = lines.offsetAt({ line, character });
  const link = syntax.links.find((l) => l.span.start === offset);
  assert.ok(link, `no link starts at ${line}:${character}`);
  return link;
}

test('all 120 anchors of the example article are parsed as anchor links with a target', () => {
  assert.equal(syntax.links.length, 120);
  for (const link of syntax.links) {
    assert.equal(link.syntax, 'anchor');
    assert.match(link.target, /\.md$/, `target of the anchor at ${range(link.span)}`);
    assert.equal(article.slice(link.span.start, link.span.start + 2), '<a');
    assert.equal(article.slice(link.span.end - 4, link.span.end), '</a>');
  }
});

test('the anchor targets are the href values, decoded', () => {
  const targets = new Set(syntax.links.map((l) => l.target));
  for (const t of ['Communism.md', 'Karl_Marx.md', 'Vladimir_Lenin.md', "Workers'_Council.md", "Workers'_Self-Management.md", 'Category:Marxism.md']) {
    assert.ok(targets.has(t), `missing target ${t}`);
  }
});

test('an anchor on one line has exact ranges for the whole tag, its target and its label', () => {
  const link = linkAt(5, 5);
  assert.equal(link.target, 'Communism.md');
  assert.equal(range(link.span), '5:5-5:79');
  assert.equal(range(link.targetSpan), '5:16-5:28');
  // The stray `"` pandoc leaves before the label is not part of it.
  assert.equal(range(link.labelSpan!), '5:66-5:75');
  assert.equal(link.label, 'communist');
});

test('an anchor whose tag spans two lines ends on the second line', () => {
  const link = linkAt(9, 1);
  assert.equal(link.target, 'Vladimir_Lenin.md');
  assert.equal(range(link.span), '9:1-10:42');
  assert.equal(range(link.targetSpan), '9:12-9:29');
  assert.equal(range(link.labelSpan!), '10:24-10:38');
  assert.equal(link.label, 'Vladimir Lenin');
});

test('an anchor whose label spans two lines has the label folded to one line', () => {
  const link = linkAt(12, 1);
  assert.equal(link.target, 'Joseph_Stalin.md');
  assert.equal(range(link.span), '12:1-13:10');
  assert.equal(range(link.labelSpan!), '12:70-13:6');
  assert.equal(link.label, 'Joseph Stalin');
});

test("an href with the entity &#39; keeps its source range and decodes to an apostrophe", () => {
  const link = linkAt(314, 14);
  assert.equal(link.rawTarget, 'Workers&#39;_Self-Management.md');
  assert.equal(link.target, "Workers'_Self-Management.md");
  assert.equal(range(link.targetSpan), '314:25-314:56');
  assert.equal(range(link.span), '314:14-315:66');
  assert.equal(link.label, "workers' self-management");
  assert.equal(link.heading, undefined, 'the # of &#39; is no heading fragment');
});

test('an anchor inside a list item is found with its range', () => {
  const link = linkAt(463, 3);
  assert.equal(link.target, "Workers'_Self-Management.md");
  assert.equal(range(link.targetSpan), '463:14-463:45');
});

test('8 of the anchors are category memberships', () => {
  const categories = syntax.links.filter((l) => l.target.startsWith('Category:'));
  assert.equal(categories.length, 8);
  assert.ok(categories.every((l) => l.span.start > article.indexOf('<references/>')), 'the categories close the article');
});

test('all 16 footnote references are matched with their 16 definitions', () => {
  assert.equal(syntax.footnoteRefs.length, 16);
  assert.equal(syntax.footnoteDefs.length, 16);
  const defined = new Set(syntax.footnoteDefs.map((d) => d.label));
  assert.equal(defined.size, 16);
  for (const ref of syntax.footnoteRefs) assert.ok(defined.has(ref.label), `[^${ref.label}] has no definition`);
  assert.deepEqual(new Set(syntax.footnoteRefs.map((r) => r.label)), defined);
  for (const def of syntax.footnoteDefs) assert.equal(article.slice(def.labelSpan.start, def.labelSpan.end), def.label);
});

test('a multi-line footnote definition keeps all its lines', () => {
  const first = syntax.footnoteDefs.find((d) => d.label === '1')!;
  assert.equal(range(first.labelSpan), '496:2-496:3');
  assert.match(first.text, /^Rachel Walker notes that "Marxism–Leninism" is an empty term that\n/);
  assert.ok(first.text.split('\n').length > 2, first.text);
});

test('the example article is titled by its first heading', () => {
  const wiki = new Wiki(['/wiki']);
  const analysed = wiki.analyse('/wiki/Marxism-Leninism.md', article);
  assert.equal(analysed.title, 'Marxism-Leninism');
  assert.equal(syntax.headings[0].level, 1);
});

test('the remark analysis finds the same 120 anchors and 16 footnotes in the example article', () => {
  const reference = analyseArticle(article);
  assert.deepEqual(
    reference.links.map((l) => [l.span, l.targetSpan, l.target]),
    syntax.links.map((l) => [l.span, l.targetSpan, l.target]),
  );
  assert.equal(reference.footnoteRefs.length, 16);
  assert.equal(reference.footnoteDefs.length, 16);
});

test('the essay glossary gives its terms with their definitions, in order', () => {
  const glossary = scanArticle(essay).glossary;
  assert.deepEqual(
    glossary.map((g) => g.term),
    ['AUTHORITY', 'AUTONOMY', 'DISCIPLINE', 'INDIVIDUAL', 'THE STATE', 'CADRES', 'AFFINITY GROUPS'],
  );
  const byTerm = new Map(glossary.map((g) => [g.term, g]));
  assert.match(byTerm.get('AUTHORITY')!.definition, /^The difference between your mother or your kindergarten teacher .* espoused by democrats \(lower-case “d”\)\.$/);
  assert.match(byTerm.get('AUTONOMY')!.definition, /^The freedom to decide for oneself about things involving one’s own body/);
  assert.match(byTerm.get('THE STATE')!.definition, /^For Marxists, the State is a centralized tool of class oppression/);
  assert.match(byTerm.get('CADRES')!.definition, /^A cadre is a tight-knit group of professional revolutionaries/);
  const essayLines = new LineIndex(essay);
  for (const g of glossary) {
    assert.equal(essay.slice(g.termSpan.start, g.termSpan.end), g.term);
    assert.equal(essayLines.positionAt(g.termSpan.start).character, 0, `${g.term} opens its line`);
  }
});

test('glossary entries written as **Term**: definition are found in a Glossary section', () => {
  const text = '# Notes\n\nIntro.\n\n## Glossary\n\n**Vanguard**: the party that leads.\n\n**Cadre:** a professional revolutionary,\nwho obeys.\n\n## Later\n\n**Other**: not a term.\n';
  const glossary = scanArticle(text).glossary;
  assert.deepEqual(
    glossary.map((g) => [g.term, g.definition]),
    [
      ['Vanguard', 'the party that leads.'],
      ['Cadre', 'a professional revolutionary, who obeys.'],
    ],
  );
  assert.equal(text.slice(glossary[0].termSpan.start, glossary[0].termSpan.end), 'Vanguard');
});

test('glossary entries written as a definition list are found', () => {
  const text = '## Glossary of terms\n\nMutual aid\n: cooperation for the common good.\n\nPraxis\n: theory put into action.\n';
  assert.deepEqual(
    scanArticle(text).glossary.map((g) => [g.term, g.definition]),
    [
      ['Mutual aid', 'cooperation for the common good.'],
      ['Praxis', 'theory put into action.'],
    ],
  );
});

test('inside a Glossary section each sub-heading is a term and the paragraph under it its definition', () => {
  const text = '# Essay\n\n## Glossary\n\n### Affinity group\n\nA small, closed, informal group.\n\n### Cadre\n\nA professional revolutionary.\n\n## Conclusion\n\nText.\n';
  const glossary = scanArticle(text).glossary;
  assert.deepEqual(
    glossary.map((g) => [g.term, g.definition]),
    [
      ['Affinity group', 'A small, closed, informal group.'],
      ['Cadre', 'A professional revolutionary.'],
    ],
  );
  assert.equal(text.slice(glossary[1].termSpan.start, glossary[1].termSpan.end), 'Cadre');
});

test('a whole article named Glossary is a glossary without a Glossary heading', () => {
  const text = '# Terms we use\n\nAUTHORITY: domination that reproduces itself.\n\n**Autonomy**: deciding for oneself.\n';
  const wiki = new Wiki(['/wiki']);
  const analysed = wiki.analyse('/wiki/Glossary.md', text);
  assert.deepEqual(
    analysed.syntax.glossary.map((g) => g.term),
    ['AUTHORITY', 'Autonomy'],
  );
  assert.deepEqual(scanArticle(text).glossary, [], 'the same text under another name has no glossary');
});
