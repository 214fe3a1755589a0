// The markdown preview's wiki link rule, run in a real markdown-it as VS Code's preview runs it: links, embeds, missing links.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { previewPlugins, wikiLinkPlugin, type Resolved } from '../../client/src/wikiLinkPlugin';

/** A preview engine whose links lead where `known` says, for the document named in `env`. */
function render(markdown: string, known: Record<string, Resolved>, env: unknown = { currentDocument: 'doc' }): string {
  const md = wikiLinkPlugin(new MarkdownIt({ html: true }), (e, written) => (e === env ? known[written] : undefined));
  return md.render(markdown, env);
}

test('a wiki link becomes a link to where the server said it leads, with its label and a tooltip', () => {
  const html = render('See [[Mutual Aid]], [[Mutual Aid#History|its history]] and [[#Notes]].', {
    'Mutual Aid': { href: 'Mutual_Aid.md', title: 'Mutual Aid' },
    'Mutual Aid#History': { href: 'Mutual_Aid.md#history', title: 'Mutual Aid › History' },
    '#Notes': { href: '#notes', title: 'Here › Notes' },
  });
  assert.equal(
    html,
    '<p>See <a href="Mutual_Aid.md" class="linked-articles-wikilink" title="Mutual Aid">Mutual Aid</a>, ' +
      '<a href="Mutual_Aid.md#history" class="linked-articles-wikilink" title="Mutual Aid › History">its history</a> and ' +
      '<a href="#notes" class="linked-articles-wikilink" title="Here › Notes">Notes</a>.</p>\n',
  );
});

test('an embed of an image draws the image; an embed of an article links to it', () => {
  const html = render('![[img/Red Flag.png]] ![[Mutual Aid]]', {
    'img/Red Flag.png': { href: 'img/Red Flag.png', image: true, title: 'Red Flag.png' },
    'Mutual Aid': { href: 'Mutual_Aid.md', title: 'Mutual Aid' },
  });
  assert.equal(html, '<p><img src="img/Red%20Flag.png" alt="Red Flag.png" title="Red Flag.png"> <a href="Mutual_Aid.md" class="linked-articles-wikilink" title="Mutual Aid">Mutual Aid</a></p>\n');
});

test('where a link leads is looked up when the tokens are rendered, not when parsed: VS Code keeps a document\'s tokens', () => {
  const env = { currentDocument: 'doc' };
  const known: Record<string, Resolved> = {};
  const md = wikiLinkPlugin(new MarkdownIt(), (e, written) => (e === env ? known[written] : undefined));
  const tokens = md.parse('[[Commune]]', env);
  assert.match(md.renderer.render(tokens, md.options, env), /linked-articles-missing/);
  known.Commune = { href: 'Commune.md', title: 'Commune' };
  assert.match(md.renderer.render(tokens, md.options, env), /<a href="Commune\.md" class="linked-articles-wikilink" title="Commune">Commune<\/a>/);
});

test('a missing article, or one not known yet, is its label marked as missing, with what is missing as its tooltip', () => {
  const html = render('[[Vanguardism|the vanguard]] and [[Later]]', { Vanguardism: { title: "No article named 'Vanguardism'" } });
  assert.equal(
    html,
    '<p><span class="linked-articles-wikilink linked-articles-missing" title="No article named \'Vanguardism\'">the vanguard</span> and ' +
      '<span class="linked-articles-wikilink linked-articles-missing" title="Later">Later</span></p>\n',
  );
});

test('labels and targets are text: markup in them is escaped, and a script URL is never a link', () => {
  const html = render('[[Evil|<img src=x onerror=alert(1)>]] [[Js]]', {
    Evil: { href: 'Evil.md', title: '"><script>alert(2)</script>' },
    Js: { href: 'javascript:alert(3)', title: 'Js' },
  });
  assert.doesNotMatch(html, /<img|<script|javascript:/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
});

test('what is not a wiki link stays as markdown reads it: code, brackets across lines, a markdown link', () => {
  const html = render('`[[Code]]` [[a\nb]] [label](Page.md) [[]]', { Code: { href: 'Code.md', title: 'Code' } });
  assert.equal(html, '<p><code>[[Code]]</code> [[a\nb]] <a href="Page.md">label</a> [[]]</p>\n');
});

test('footnotes are drawn as the preview of a wiki of footnotes needs them, and not twice when the engine reads them already', () => {
  const text = 'Wage labour.[^1] Again.[^1]\n\n[^1]: Adam Smith, 1776.\n';
  const html = previewPlugins(new MarkdownIt(), () => undefined).render(text);
  assert.match(html, /<sup class="footnote-ref"><a href="#fn1" id="fnref1">\[1\]<\/a><\/sup>/);
  assert.equal(html.match(/Adam Smith, 1776\./g)?.length, 1, 'the note listed once');
  const twice = previewPlugins(previewPlugins(new MarkdownIt(), () => undefined), () => undefined).render(text);
  assert.equal(twice.match(/Adam Smith, 1776\./g)?.length, 1, 'a second plugin adds no second list');
  assert.doesNotMatch(previewPlugins(new MarkdownIt(), () => undefined, false).render(text), /footnote-ref/, 'left to another extension');
});
