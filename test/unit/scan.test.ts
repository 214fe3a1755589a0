// Unit tests of every syntax the article scanner reads (issue 2, "Parsing an article"), each checked against the remark analysis too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core/lineIndex';
import { analyseArticle } from '../../server/src/core/remarkAnalysis';
import { scanArticle, scanArticleAndLines } from '../../server/src/core/scan';
import type { ArticleSyntax, Link, Span } from '../../server/src/core/types';

/** Scans with the fast scanner and checks that the remark analysis finds the same links, headings and footnotes. */
function scan(text: string): ArticleSyntax {
  const fast = scanArticle(text);
  const reference = analyseArticle(text);
  const linkKey = (l: Link) => [l.syntax, l.span, l.targetSpan, l.target, l.heading];
  assert.deepEqual(reference.links.map(linkKey), fast.links.map(linkKey), 'the remark analysis finds other links');
  assert.deepEqual(
    reference.headings.map((h) => [h.level, h.text, h.textSpan]),
    fast.headings.map((h) => [h.level, h.text, h.textSpan]),
    'the remark analysis finds other headings',
  );
  assert.deepEqual(reference.footnoteRefs, fast.footnoteRefs, 'the remark analysis finds other footnote references');
  assert.deepEqual(
    reference.footnoteDefs.map((d) => [d.label, d.labelSpan]),
    fast.footnoteDefs.map((d) => [d.label, d.labelSpan]),
    'the remark analysis finds other footnote definitions',
  );
  assert.deepEqual(reference.anchors, fast.anchors, 'the remark analysis finds other HTML anchors');
  assert.deepEqual(reference.htmlHeadings, fast.htmlHeadings, 'the remark analysis finds other HTML headings');
  assert.deepEqual(reference.tags, fast.tags, 'the remark analysis finds other tags');
  return fast;
}

function only(text: string): Link {
  const links = scan(text).links;
  assert.equal(links.length, 1, `expected one link in ${JSON.stringify(text)}, found ${JSON.stringify(links.map((l) => l.target))}`);
  return links[0];
}

const cut = (text: string, span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);

test('[[T]] is a wiki link whose target span is the name', () => {
  const text = 'See [[Mutual Aid]] here.';
  const link = only(text);
  assert.equal(link.syntax, 'wiki');
  assert.equal(link.target, 'Mutual Aid');
  assert.equal(cut(text, link.span), '[[Mutual Aid]]');
  assert.equal(cut(text, link.targetSpan), 'Mutual Aid');
  assert.equal(link.label, undefined);
});

test('[[T|label]] carries the label and its span', () => {
  const text = 'A [[Karl_Marx|Marx]] quote.';
  const link = only(text);
  assert.equal(link.target, 'Karl_Marx');
  assert.equal(link.label, 'Marx');
  assert.equal(cut(text, link.labelSpan), 'Marx');
  assert.equal(cut(text, link.targetSpan), 'Karl_Marx');
});

test('[[T#Heading]] splits the heading fragment from the target', () => {
  const text = '[[Anarchism#History of anarchism]]';
  const link = only(text);
  assert.equal(link.target, 'Anarchism');
  assert.equal(link.heading, 'History of anarchism');
  assert.equal(cut(text, link.headingSpan), 'History of anarchism');
  assert.equal(cut(text, link.targetSpan), 'Anarchism');
});

test('[[#Heading]] links into the same article with an empty target at the fragment', () => {
  const text = 'Back to [[#Overview]].';
  const link = only(text);
  assert.equal(link.target, '');
  assert.equal(link.heading, 'Overview');
  assert.deepEqual(link.targetSpan, { start: 10, end: 10 });
});

test('![[T]] is an embed', () => {
  const text = '![[Diagram]]';
  const link = only(text);
  assert.equal(link.syntax, 'embed');
  assert.equal(link.target, 'Diagram');
  assert.deepEqual(link.span, { start: 0, end: text.length });
});

test('empty and unclosed wiki brackets are no links', () => {
  assert.deepEqual(scan('[[]] and [[ ]] and [[open and [[a\nb]]').links, []);
});

test('a pandoc anchor is a link whatever the order of its attributes', () => {
  const text = '<a class="wikilink" title="x" href="Communism.md">communism</a>';
  const link = only(text);
  assert.equal(link.syntax, 'anchor');
  assert.equal(link.target, 'Communism.md');
  assert.equal(cut(text, link.targetSpan), 'Communism.md');
  assert.equal(link.label, 'communism');
  assert.deepEqual(link.span, { start: 0, end: text.length });
});

test('an anchor with extra spaces and a stray quote before it has the label without the quote', () => {
  const text = 'pro-"<a   href="Communism.md"   class="wikilink" title="communist">"communist</a> ideology';
  const link = only(text);
  assert.equal(cut(text, link.targetSpan), 'Communism.md');
  assert.equal(cut(text, link.labelSpan), 'communist');
});

test('an anchor whose tag and label span lines ends at its closing tag', () => {
  const text = 'a "<a   href="Vladimir_Lenin.md" class="wikilink"\ntitle="Vladimir Lenin">"Vladimir\nLenin</a>, b';
  const link = only(text);
  assert.equal(link.target, 'Vladimir_Lenin.md');
  assert.equal(cut(text, link.span), text.slice(3, text.indexOf(', b')));
  assert.equal(link.label, 'Vladimir Lenin');
});

test('href without extension, in single quotes or unquoted, is a link', () => {
  assert.equal(only('<a href="Spanish_Revolution" class="wikilink">x</a>').target, 'Spanish_Revolution');
  assert.equal(only("<a href='Kropotkin'>x</a>").target, 'Kropotkin');
  assert.equal(only('<a href=Bakunin>x</a>').target, 'Bakunin');
});

test('entities in an href are decoded and &#39; starts no heading fragment', () => {
  const text = '<a href="Workers&#39;_Council.md">councils</a>';
  const link = only(text);
  assert.equal(link.target, "Workers'_Council.md");
  assert.equal(link.rawTarget, 'Workers&#39;_Council.md');
  assert.equal(link.heading, undefined);
  assert.equal(only('<a href="Caf&eacute;.md">x</a>').target, 'Café.md');
});

test('an anchor in an HTML block is a link, one in an HTML comment is not', () => {
  const links = scan('<div>\n<a href="Inside.md">in</a>\n</div>\n\n<!-- <a href="Hidden.md">h</a> -->\n').links;
  assert.deepEqual(links.map((l) => l.target), ['Inside.md']);
});

test('an anchor without href or to an external URL is no article link', () => {
  assert.deepEqual(scan('<a name="x">x</a> <a href="https://example.org">y</a>').links, []);
});

test('[label](T.md) is a markdown link with its label and target spans', () => {
  const text = 'Read [the history](history/Spanish_Revolution.md).';
  const link = only(text);
  assert.equal(link.syntax, 'markdown');
  assert.equal(link.target, 'history/Spanish_Revolution.md');
  assert.equal(link.label, 'the history');
  assert.equal(cut(text, link.labelSpan), 'the history');
  assert.equal(cut(text, link.span), '[the history](history/Spanish_Revolution.md)');
});

test('[label](T.md#heading) splits the heading fragment', () => {
  const text = '[origins](Anarchism.md#Early_history)';
  const link = only(text);
  assert.equal(link.target, 'Anarchism.md');
  assert.equal(link.heading, 'Early_history');
  assert.equal(cut(text, link.headingSpan), 'Early_history');
});

test('[label](T "wikilink") ignores the title, with or without an extension', () => {
  const text = '[Cross Site Scripting](Cross_Site_Scripting "wikilink") and [x](T_Name.md "wikilink")';
  const links = scan(text).links;
  assert.deepEqual(links.map((l) => l.target), ['Cross_Site_Scripting', 'T_Name.md']);
  assert.equal(cut(text, links[0].targetSpan), 'Cross_Site_Scripting');
});

test('a <…> destination may hold spaces and is marked as angle', () => {
  const text = '[x](<Mutual Aid.md> "t")';
  const link = only(text);
  assert.equal(link.target, 'Mutual Aid.md');
  assert.equal(link.angle, true);
  assert.equal(cut(text, link.targetSpan), 'Mutual Aid.md');
});

test('percent-escapes and backslash escapes in a destination are decoded', () => {
  assert.equal(only('[x](Mutual%20Aid.md)').target, 'Mutual Aid.md');
  assert.equal(only('[x](Caf%C3%A9.md)').target, 'Café.md');
  assert.equal(only('[x](A\\_B.md)').target, 'A_B.md');
  assert.equal(only('[x](Bad%ZZ.md)').target, 'Bad%ZZ.md', 'a malformed escape stays as written');
});

test('external URLs are not article links in any syntax', () => {
  const text = '[a](https://example.org) [b](mailto:x@y.org) <https://example.org> [[https://example.org]] [c](//cdn.example.org/x)';
  assert.deepEqual(scan(text).links, []);
});

test('an image is a link to its file, with its alt text as label; a link around an image links and shows the image', () => {
  const text = '![A *red* flag](img/Flag%201.png "The flag") [![alt](Picture.png)](Gallery.md) ![x](https://example.org/a.png)';
  assert.deepEqual(
    scan(text).links.map((l) => [l.syntax, l.target, l.label, l.span.start]),
    [
      ['image', 'img/Flag 1.png', 'A red flag', 0],
      ['markdown', 'Gallery.md', 'alt', text.indexOf('[![')],
      ['image', 'Picture.png', 'alt', text.indexOf('![alt')],
    ],
  );
});

test('a link\'s label holds images, footnote calls and ids, but no wikilink and nothing in code', () => {
  const text = '[see ![i](a.png) x[^1] *![j](b.png)* <span id="z">q</span> [[W]] `![no](d.png)`](Target)\n\n[^1]: note\n';
  const found = scan(text);
  assert.deepEqual(
    found.links.map((l) => [l.syntax, l.target]),
    [
      ['markdown', 'Target'],
      ['image', 'a.png'],
      ['image', 'b.png'],
    ],
  );
  assert.deepEqual(found.footnoteRefs.map((r) => [r.label, text.slice(r.span.start, r.span.end)]), [['1', '[^1]']]);
  assert.deepEqual(found.anchors.map((a) => a.id), ['z']);
});

test('an <img> tag is a link to its src file, its alt the label, as pandoc writes MediaWiki\'s images, in blocks and inline', () => {
  const text = [
    '<figure>',
    '<img src="Luddite.jpg" title="Luddite.jpg" alt="Luddites &amp; frames" />',
    '<figcaption>Frame breakers</figcaption>',
    '</figure>',
    '',
    "Inline <IMG SRC='a b.png'> and <img src=c.png/> and <img src=\"x.png\" src=\"y.png\"> in a line.",
    '',
  ].join('\n');
  assert.deepEqual(
    scan(text).links.map((l) => [l.syntax, l.target, l.label, text.slice(l.targetSpan.start, l.targetSpan.end), text.slice(l.span.start, l.span.start + 4)]),
    [
      ['img', 'Luddite.jpg', 'Luddites & frames', 'Luddite.jpg', '<img'],
      ['img', 'a b.png', undefined, 'a b.png', '<IMG'],
      ['img', 'c.png', undefined, 'c.png', '<img'],
      // The first src counts, as in a browser.
      ['img', 'x.png', undefined, 'x.png', '<img'],
    ],
  );
});

test('no image from an <img> in code, without src, to an external URL, or that CommonMark does not read as a tag', () => {
  const text = [
    '`<img src="code.png">` <img alt="no source"> <img src="https://example.org/a.png"> \\<img src="escaped.png">',
    '',
    // An unquoted value ends at `/` (micromark): `<img src=a/b.png>` is text.
    '<img src=img/b.png> <img src=`tick.png`>',
    '',
    '```',
    '<img src="fenced.png">',
    '```',
    '',
  ].join('\n');
  assert.deepEqual(scan(text).links, []);
});

test('of nested links the inner one counts, as in CommonMark', () => {
  const links = scan('[[Logo.png](Image: "wikilink")](https://example.org)').links;
  assert.deepEqual(links.map((l) => l.target), ['Image:']);
});

test('nothing inside a code span is a link or a footnote reference', () => {
  const s = scan('Write `[[Not a link]]` or ``[x](Y.md) [^1]`` but [[Real]].');
  assert.deepEqual(s.links.map((l) => l.target), ['Real']);
  assert.deepEqual(s.footnoteRefs, []);
});

test('a code span closes at the next run of as many backticks, past runs of many other lengths that stay text', () => {
  // Twenty lengths without a closer: past the first few the scanner lists the runs once instead of searching the rest for each.
  let text = 'Start ``';
  for (let k = 3; k <= 22; k++) text += ` [[In code ${k}]] ${'`'.repeat(k)}`;
  text += ' [[Still code]] `` [[After]] ` [[Not code]] `';
  const s = scan(text);
  assert.deepEqual(s.links.map((l) => l.target), ['After']);
});

test('a wiki link in the front matter\'s values is a link, as Obsidian reads its properties, quoted or not, in lists too', () => {
  const text = '---\ntitle: X\nup: "[[Parent Note]]"\nnext: [[Bare]]\nrelated:\n  - "[[Other|the other]]"\n  - plain text\n---\n# X\n\nBody [[Body Link]].\n';
  const s = scan(text);
  assert.deepEqual(s.links.map((l) => [l.target, cut(text, l.span), l.label]), [
    ['Parent Note', '[[Parent Note]]', undefined],
    ['Bare', '[[Bare]]', undefined],
    ['Other', '[[Other|the other]]', 'the other'],
    ['Body Link', '[[Body Link]]', undefined],
  ]);
});

test('nothing inside a fenced code block is a link, a heading or a footnote', () => {
  const s = scan('```md\n# Not a heading\n[[Not]] <a href="No.md">x</a> [^1]\n```\n\n~~~\n[x](No.md)\n~~~\n[[Yes]]\n');
  assert.deepEqual(s.links.map((l) => l.target), ['Yes']);
  assert.deepEqual(s.headings, []);
  assert.deepEqual(s.footnoteRefs, []);
});

test('nothing inside an Obsidian %% comment is a link, tag, footnote, heading or id, on one line or across blocks', () => {
  const s = scan('# Shown\n\nSee [[A]] %%not [[B]] #draft [^1] <span id="x"></span>%% then [[C]].\n\n%%\n## Hidden\n\n[[D]] ^block\n\n[^2]: no note\n%%\n\n[[E]] #kept\n');
  assert.deepEqual(s.links.map((l) => l.target), ['A', 'C', 'E']);
  assert.deepEqual(s.headings.map((h) => h.text), ['Shown']);
  assert.deepEqual(s.tags?.map((t) => t.name), ['kept']);
  assert.deepEqual([s.footnoteRefs, s.footnoteDefs, s.anchors], [[], [], []]);
});

test('a %% in code opens no comment, and a %% nothing closes is text', () => {
  const s = scan('Write `%%` and\n\n```\n%%\n```\n\n[[A]] then 100%% of [[B]]\n');
  assert.deepEqual(s.links.map((l) => l.target), ['A', 'B']);
});

test('nothing inside an indented code block is a link, but an indented paragraph line is', () => {
  const s = scan('Text\n    [[Lazy line]]\n\n    [[In code]]\n\nEnd.\n');
  assert.deepEqual(s.links.map((l) => l.target), ['Lazy line']);
});

test('a fence inside a list item ends with the item', () => {
  const s = scan('- item\n  ```\n  [[In code]]\n\n[[After]]\n');
  assert.deepEqual(s.links.map((l) => l.target), ['After']);
});

test('a blank line after an empty list item closes it, so four spaces then open code', () => {
  const s = scan('-\n\n    [[In code]]\n');
  assert.deepEqual(s.links, []);
});

test('an escaped bracket opens no link', () => {
  assert.deepEqual(scan('\\[[Not]] and \\[x](No.md) and \\[^1]').links, []);
});

test('ATX and setext headings have their level, text and text span', () => {
  const text = '# Title #\n\nSome text\n\nSection\n-------\n\n### With [[Link]] ###\n\nBig\nTitle\n===\n';
  const s = scan(text);
  assert.deepEqual(
    s.headings.map((h) => [h.level, h.text, cut(text, h.textSpan)]),
    [
      [1, 'Title', 'Title'],
      [2, 'Section', 'Section'],
      [3, 'With Link', 'With [[Link]]'],
      [1, 'Big Title', 'Big\nTitle'],
    ],
  );
  assert.equal(s.headings[2].slug, 'with-link');
  assert.deepEqual(s.links.map((l) => l.target), ['Link']);
});

test('a setext heading inside a list item starts after the marker', () => {
  const text = '- Item text\n  ---\n';
  const s = scan(text);
  assert.deepEqual(s.headings.map((h) => cut(text, h.textSpan)), ['Item text']);
});

test('a lone - after a list item paragraph is an empty item, not a setext underline', () => {
  assert.deepEqual(scan('- one\n  two\n-\n').headings, []);
});

test('footnote references and definitions have their labels and spans', () => {
  const text = 'A claim.[^1] Another.[^note]\n\n[^1]: First source.\n[^note]: Second source.\n';
  const s = scan(text);
  assert.deepEqual(s.footnoteRefs.map((r) => [r.label, cut(text, r.span), cut(text, r.labelSpan)]), [
    ['1', '[^1]', '1'],
    ['note', '[^note]', 'note'],
  ]);
  assert.deepEqual(s.footnoteDefs.map((d) => [d.label, cut(text, d.labelSpan), d.text]), [
    ['1', '1', 'First source.'],
    ['note', 'note', 'Second source.'],
  ]);
});

test('a footnote definition runs over indented and lazy continuation lines', () => {
  const text = '[^1]: Rachel Walker notes\nthat it is empty.\n\n    A second paragraph.\n\nNot in it.\n';
  const def = scan(text).footnoteDefs[0];
  assert.equal(def.text, 'Rachel Walker notes\nthat it is empty.\n\nA second paragraph.');
  assert.equal(text.slice(def.span.start, def.span.end), '[^1]: Rachel Walker notes\nthat it is empty.\n\n    A second paragraph.');
});

test('a footnote definition starts on the line after a paragraph, a multi-line definition or a list item, as in micromark', () => {
  for (const text of [
    'Para text\n[^6]: Six.\n',
    '[^5]: Five;\n    continued\n[^6]: Six.\n',
    '[^5]: Five;\nlazy line\n[^6]: Six.\n',
    '[^5]: Five;\n\n    Second paragraph\n[^6]: Six.\n',
    '- item\n  text\n[^6]: Six.\n',
  ]) {
    assert.ok(scan(text).footnoteDefs.some((d) => d.label === '6'), text);
  }
});

test('a footnote reference with no definition is still found', () => {
  const text = 'Unsourced.[^3] And wow![^4]';
  const s = scan(text);
  assert.deepEqual(s.footnoteRefs.map((r) => r.label), ['3', '4']);
  assert.deepEqual(s.footnoteDefs, []);
});

test('front matter gives the title and aliases, and is not scanned for headings', () => {
  const text = '---\ntitle: Mutual Aid\naliases: [Mutualism, "Aid, mutual"]\n---\n# Heading\n';
  const s = scan(text);
  assert.equal(s.frontMatter?.title, 'Mutual Aid');
  assert.deepEqual(s.frontMatter?.aliases, ['Mutualism', 'Aid, mutual']);
  assert.deepEqual(s.frontMatter?.span, { start: 0, end: text.indexOf('\n# Heading') });
  assert.deepEqual(s.headings.map((h) => h.text), ['Heading']);
  assert.deepEqual(scanArticle('---\naliases: One, Two\n---\n').frontMatter?.aliases, ['One', 'Two']);
});

test('broken front matter YAML is reported, not thrown', () => {
  const s = scan('---\ntitle: [unclosed\n---\nText\n');
  assert.ok(s.frontMatter?.error, 'an error message');
  assert.equal(s.frontMatter?.title, undefined);
});

test('columns after astral characters count UTF-16 code units', () => {
  const text = '😀 𝔸 [[Target]]';
  const link = only(text);
  const lines = new LineIndex(text);
  assert.deepEqual(lines.positionAt(link.targetSpan.start), { line: 0, character: 8 });
  assert.equal(cut(text, link.targetSpan), 'Target');
});

test('CRLF line endings give the same links and headings as LF', () => {
  const lf = '# Title\n\nSee [[A]] and <a href="B.md"\nclass="wikilink">b</a>.\n\n```\n[[Not]]\n```\n[^1]: Note\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  const a = scan(lf);
  const b = scan(crlf);
  assert.deepEqual(b.links.map((l) => [l.target, cut(crlf, l.targetSpan)]), a.links.map((l) => [l.target, cut(lf, l.targetSpan)]));
  assert.deepEqual(b.headings.map((h) => h.text), ['Title']);
  assert.deepEqual(b.footnoteDefs.map((d) => d.label), ['1']);
  const lines = new LineIndex(crlf);
  assert.deepEqual(lines.positionAt(b.links[1].targetSpan.start), { line: 2, character: 23 });
});

test('a lone CR ends a line', () => {
  const text = '# Title\r\rSee [[A]]\r```\r[[Not]]\r```\r';
  const s = scan(text);
  assert.deepEqual(s.headings.map((h) => h.text), ['Title']);
  assert.deepEqual(s.links.map((l) => l.target), ['A']);
  assert.deepEqual(new LineIndex(text).positionAt(s.links[0].targetSpan.start), { line: 2, character: 6 });
});

test('a byte order mark shifts nothing', () => {
  const text = '\uFEFF---\ntitle: T\n---\n[[A]]';
  const s = scan(text);
  assert.equal(s.frontMatter?.title, 'T');
  assert.equal(cut(text, s.links[0].targetSpan), 'A');
});

test('HTML ids are anchors: in inline tags, in HTML blocks, and an <a>\'s name, each with the span of its value', () => {
  const text = [
    '### <span id="TALK_1130">When serverless met security</span>',
    '',
    "<div id='MigchieldeJong'>",
    '',
    'Talk <a name=top></a> and <a href="Page" class="wikilink" id="x&amp;y">Page</a>.',
    '',
  ].join('\n');
  const anchors = scan(text).anchors;
  assert.deepEqual(anchors.map((a) => a.id), ['TALK_1130', 'MigchieldeJong', 'top', 'x&y']);
  assert.deepEqual(anchors.map((a) => cut(text, a.span)), ['TALK_1130', 'MigchieldeJong', 'top', 'x&amp;y']);
});

test('<h1>…<h6> elements are HTML headings, in blocks and inline, their text without tags, entities decoded', () => {
  // As pandoc writes a MediaWiki page whose sections sit in a table (owasp-wiki has 3,327 such headings).
  const text = [
    '# Main',
    '',
    '<table><tr><td><h2 id="purpose">PURPOSE &amp; <b>aim</b></h2>',
    '<H3 CLASS="x">Sub',
    'part</H3></td></tr></table>',
    '',
    'Text <h4>inline</h4> more.',
    '',
  ].join('\n');
  const headings = scan(text).htmlHeadings ?? [];
  assert.deepEqual(headings.map((h) => [h.level, h.text]), [[2, 'PURPOSE & aim'], [3, 'Sub part'], [4, 'inline']]);
  assert.deepEqual(headings.map((h) => cut(text, h.span)), ['<h2 id="purpose">PURPOSE &amp; <b>aim</b></h2>', '<H3 CLASS="x">Sub\npart</H3>', '<h4>inline</h4>']);
  assert.deepEqual(headings.map((h) => cut(text, h.textSpan)), ['PURPOSE &amp; <b>aim</b>', 'Sub\npart', 'inline']);
});

test('no HTML heading in code, in a comment, in a link\'s label, unclosed, closed by another level, empty, or from <hr> or <h7>', () => {
  const text = [
    '`<h2>in code</h2>`',
    '',
    '```',
    '<h2>in a fence</h2>',
    '```',
    '',
    '<!-- <h2>in a comment</h2> -->',
    '',
    '[<h3>in a label</h3>](Page)',
    '',
    '<h2>never closed',
    '',
    '<h2>closed as h3</h3>',
    '',
    '<h2><img src="a.png"></h2>',
    '',
    '<hr>rule</hr> <h7>seven</h7> <h2x>x</h2x>',
    '',
  ].join('\n');
  assert.deepEqual(scan(text).htmlHeadings ?? [], []);
});

test('an HTML heading\'s closing tag is looked for within 2,000 characters, so unclosed ones in a long block cost no search to its end', () => {
  assert.equal(scanArticle('<div>\n<h2>' + 'x'.repeat(1990) + '</h2>\n</div>\n').htmlHeadings?.length, 1);
  assert.equal(scanArticle('<div>\n<h2>' + 'x'.repeat(3000) + '</h2>\n</div>\n').htmlHeadings, undefined);
  assert.equal(scanArticle('<div>\n' + '<h2>open\n'.repeat(20_000) + '</div>\n').htmlHeadings, undefined);
});

test('an Obsidian block id ending a paragraph, a list item or alone on its line is an anchor, written with its ^', () => {
  const text = 'A paragraph to quote. ^quote-1\n\n- item one ^item1\n- item two\n\n| a | b |\n^table\n\n[^1]: note ^in-note\n';
  const anchors = scan(text).anchors;
  assert.deepEqual(anchors.map((a) => [a.id, cut(text, a.span)]), [['^quote-1', '^quote-1'], ['^item1', '^item1'], ['^table', '^table'], ['^in-note', '^in-note']]);
});

test('no block id inside a line, after a word, in code, in a link, or from a footnote call', () => {
  assert.deepEqual(scan('Not ^mid here, nor x^2, `^code`, [[P#^x]], [see ^y](P) or [^1].\n\n[^1]: A note.\n').anchors, []);
});

test('no anchor in code, in a comment, in another attribute\'s value, or from the name of anything but <a>', () => {
  const text = [
    '`<span id="inCode">`',
    '',
    '```',
    '<div id="inFence">',
    '```',
    '',
    '<!-- <span id="inComment"> -->',
    '',
    'Text <span title="see id=fake" data-id="alsoFake">x</span> <input name="field">',
    '',
  ].join('\n');
  assert.deepEqual(scan(text).anchors, []);
});

test('the line index the scan makes has the same line starts and line ends as one made by searching the text, for LF, CRLF and lone CR', () => {
  // Deterministic pseudo-random texts over the characters that start, end or shape lines.
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const alphabet = ['a', ' ', '\n', '\r', '\r\n', '#', '>', '`', '[', ']'];
  const texts = ['', '\n', '\r', '\r\n', 'a\r\n\r\nb', 'x\n\r\ny\r'];
  for (let t = 0; t < 300; t++) {
    let text = '';
    const n = next() % 60;
    for (let i = 0; i < n; i++) text += alphabet[next() % alphabet.length];
    texts.push(text);
  }
  let crlfLines = 0;
  for (const text of texts) {
    const fromScan = scanArticleAndLines(text).lines;
    const searched = new LineIndex(text);
    assert.deepEqual([...fromScan.starts], [...searched.starts], JSON.stringify(text));
    assert.equal(fromScan.length, text.length);
    for (let line = 0; line < searched.lineCount; line++) {
      assert.equal(fromScan.lineEnd(line), searched.lineEnd(line), `line ${line} of ${JSON.stringify(text)}`);
      if (searched.lineEnd(line) + 2 === searched.starts[line + 1]) crlfLines++;
    }
  }
  // The texts did have CRLF endings for lineEnd to tell apart.
  assert.ok(crlfLines > 50, `${crlfLines} CRLF lines`);
});

test('in a block quote, a link whose title goes on to the next quoted line is a link, as remark reads it', () => {
  for (const text of ['> See [a](x.md\n> "the title") here.\n', '> > ![a](x.png\n> > "t")\n', '> [a](\n> x.md)\n']) {
    const mine = scan(text).links.map((l) => [l.syntax, l.target, l.span.start, l.span.end]);
    assert.equal(mine.length, 1, text);
    assert.deepEqual(mine, analyseArticle(text).links.map((l) => [l.syntax, l.target, l.span.start, l.span.end]), text);
  }
  assert.deepEqual(scan('[a](x.md\n> "t")\n').links, [], 'outside a quote, a quoted line ends the paragraph');
});

test('a link reference definition is a link to its destination, labelled, as remark reads it, its destination or title on the next line too', () => {
  const cases: [string, [string, string, string | undefined][]][] = [
    ['[Mutual Aid]: Mutual_Aid.md "Mutual Aid"\n', [['Mutual_Aid.md', 'Mutual Aid', undefined]]],
    ['Text [x][ref].\n\n[ref]: <Other Page.md#Sec> \'t\'\n[two]: Two.md (t)\n', [['Other Page.md', 'ref', 'Sec'], ['Two.md', 'two', undefined]]],
    ['> [q]: Quoted.md\n', [['Quoted.md', 'q', undefined]]],
    ['para\n[a]: b.md\n', []],
    ['[a]: b.md "title" junk\n', []],
    ['[Raw read]: length = 5\n', []],
    ['    [a]: b.md\n', []],
    ['```\n[a]: b.md\n```\n', []],
    ['[a]: https://example.org/\n', []],
    ['[a]:\nb.md\n', [['b.md', 'a', undefined]]],
    ['[a]:\n  <b c.md> "t"\n', [['b c.md', 'a', undefined]]],
    ['[a]: b.md\n"the title"\n', [['b.md', 'a', undefined]]],
    ['[a]:\r\nb.md\r\n(t)\r\n', [['b.md', 'a', undefined]]],
    ['[a]: b.md "t\nmore"\n', []],
    ['[a]:\n\nb.md\n', []],
    ['- [a]:\n  b.md\n', []],
  ];
  for (const [text, expected] of cases) {
    const links = scan(text).links;
    assert.deepEqual(links.map((l) => [l.target, l.label, l.heading]), expected, text);
    assert.ok(links.every((l) => l.syntax === 'reference'), text);
    const remark = analyseArticle(text).links.map((l) => [l.syntax, l.target, l.label, l.span.start, l.span.end, l.targetSpan.start]);
    assert.deepEqual(links.map((l) => [l.syntax, l.target, l.label, l.span.start, l.span.end, l.targetSpan.start]), remark, text);
  }
});
