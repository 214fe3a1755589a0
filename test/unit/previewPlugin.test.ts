// The markdown preview's wiki link rule, run in a real markdown-it as VS Code's preview runs it: links, embeds, missing links.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { commentPlugin, previewPlugins, tagAndBlockPlugin, wikiLinkPlugin, type Resolved } from '../../client/src/previewPlugin';

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

/** A preview engine whose links of each kind lead where `known` says (`kind:key`), with VS Code's own `link_open` rule around them. */
function vscodeLike(known: Record<string, Resolved>, env: object) {
  const md = wikiLinkPlugin(new MarkdownIt({ html: true }), (e, key, kind) => (e === env ? known[`${kind}:${key}`] : undefined));
  // As VS Code's engine does after the plugins: `data-href` (what its preview follows) set, then the rule it found.
  const original = md.renderer.rules.link_open!;
  md.renderer.rules.link_open = (tokens, idx, options, e, self) => {
    tokens[idx].attrSet('data-href', tokens[idx].attrGet('href') ?? '');
    return original(tokens, idx, options, e, self);
  };
  // And its image rule, which runs first: `src` made a resource URI of the path as written, kept in `data-src` (once).
  const image = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, idx, options, e, self) => {
    const src = tokens[idx].attrGet('src');
    if (src && !tokens[idx].attrGet('data-src')) {
      tokens[idx].attrSet('src', `resource:doc/${src}`);
      tokens[idx].attrSet('data-src', src);
    }
    return image(tokens, idx, options, e, self);
  };
  return md;
}

test('a markdown image loads the file the wiki finds by its name, through VS Code\'s image rule, on every render of the same tokens', () => {
  const env = { currentDocument: 'notes/Trip.md' };
  const md = vscodeLike({ 'markdown:map.png': { href: '../attachments/map.png', image: true, src: 'resource:attachments/map.png', title: 'map.png' } }, env);
  const tokens = md.parse('![The route](map.png) and ![gone](nowhere.png)', env);
  for (let i = 0; i < 2; i++) {
    assert.equal(
      md.renderer.render(tokens, md.options, env),
      '<p><img src="resource:attachments/map.png" alt="The route" data-src="map.png"> and <img src="resource:doc/nowhere.png" alt="gone" data-src="nowhere.png"></p>\n',
      `render ${i + 1}`,
    );
  }
  // Without VS Code's rule or a resource address (another renderer), the image's path from the article.
  const plain = wikiLinkPlugin(new MarkdownIt(), (_e, key, kind) => (kind === 'markdown' && key === 'map.png' ? { href: '../attachments/map.png', image: true, title: 'map.png' } : undefined));
  assert.equal(plain.render('![The route](map.png)'), '<p><img src="../attachments/map.png" alt="The route"></p>\n');
});

test('a markdown link leads where the wiki reads its name, not to a path beside the article, href and data-href alike', () => {
  const env = { currentDocument: 'Los_Angeles/2010_Meetings/December_22.md' };
  const md = vscodeLike({ 'markdown:Los_Angeles': { href: '../../Los_Angeles.md', title: 'Los Angeles' } }, env);
  assert.equal(
    md.render('[the chapter](Los_Angeles "wikilink") and [a site](https://owasp.org) and [up](#top)', env),
    '<p><a href="../../Los_Angeles.md" title="wikilink" data-href="../../Los_Angeles.md">the chapter</a> and ' +
      '<a href="https://owasp.org" data-href="https://owasp.org">a site</a> and <a href="#top" data-href="#top">up</a></p>\n',
  );
});

test('a markdown link is looked up by the href it was parsed with on every render, though VS Code reuses the tokens', () => {
  const env = { currentDocument: 'A.md' };
  const known: Record<string, Resolved> = { 'markdown:Commune': { href: 'history/Commune.md', title: 'Commune' } };
  const md = wikiLinkPlugin(new MarkdownIt(), (e, key, kind) => (e === env ? known[`${kind}:${key}`] : undefined));
  const tokens = md.parse('[c](Commune)', env);
  assert.match(md.renderer.render(tokens, md.options, env), /href="history\/Commune\.md"/);
  known['markdown:Commune'] = { href: 'Commune_(1871).md', title: 'Commune' };
  assert.match(md.renderer.render(tokens, md.options, env), /href="Commune_\(1871\)\.md"/);
  delete known['markdown:Commune'];
  assert.match(md.renderer.render(tokens, md.options, env), /href="Commune"/, 'leading nowhere now: as written');
});

test('a pandoc anchor, inline or in an HTML block, leads where the wiki reads its href; other attributes and URLs stay', () => {
  const env = { currentDocument: 'pages/Here.md' };
  const md = vscodeLike({ 'html:anarchist_communism': { href: 'Anarchist_communism.md', title: 'Anarchist communism' } }, env);
  assert.equal(
    md.render('See <a href="anarchist_communism" class="wikilink" title="x">it</a> and <a href=\'https://x.org\'>out</a>.', env),
    '<p>See <a href="Anarchist_communism.md" class="wikilink" title="x">it</a> and <a href=\'https://x.org\'>out</a>.</p>\n',
  );
  assert.equal(
    md.render('<table><tr><td><a class="wikilink" href=anarchist_communism>it</a></td></tr></table>\n', env),
    '<table><tr><td><a class="wikilink" href="Anarchist_communism.md">it</a></td></tr></table>\n',
  );
});

test('an <img src> loads the file the wiki finds by its name, inline and in an HTML block; an unknown one and a URL stay', () => {
  const env = { currentDocument: 'pages/Luddites.md' };
  const md = vscodeLike({ 'html:Luddite.jpg': { href: '../images/Luddite.jpg', image: true, title: 'Luddite.jpg' } }, env);
  assert.equal(
    md.render('A <img src="Luddite.jpg" alt="x" /> and <img src=\'Gone.jpg\'> and <img src="https://x.org/a.png">.', env),
    '<p>A <img src="../images/Luddite.jpg" alt="x" /> and <img src=\'Gone.jpg\'> and <img src="https://x.org/a.png">.</p>\n',
  );
  assert.equal(
    md.render('<figure><img src=Luddite.jpg title="t"></figure>\n', env),
    '<figure><img src="../images/Luddite.jpg" title="t"></figure>\n',
  );
});

test('a tag is drawn as a tag where the server reads one, and stays text after a word, in code, or as a heading\'s #', () => {
  const md = tagAndBlockPlugin(new MarkdownIt({ html: true }));
  assert.equal(
    md.render('## Notes #draft\n\nOn #anarchism and #history/russia/, not C# nor #1 nor `#code` nor [#label](x) nor #REDIRECT.'),
    '<h2>Notes <span class="linked-articles-tag">#draft</span></h2>\n' +
      '<p>On <span class="linked-articles-tag">#anarchism</span> and <span class="linked-articles-tag">#history/russia</span>/, not C# nor #1 nor <code>#code</code> nor <a href="x">#label</a> nor #REDIRECT.</p>\n',
  );
  assert.equal(md.render('#<b>x</b> #a&lt;'), '<p>#<b>x</b> <span class="linked-articles-tag">#a</span>&lt;</p>\n');
});

test('an Obsidian block id is no words in the preview but the place a link to it lands', () => {
  const md = tagAndBlockPlugin(new MarkdownIt());
  assert.equal(md.render('A line to quote. ^quote-1\n\nNot x^2 or ^mid here.'), '<p>A line to quote. <span id="^quote-1"></span></p>\n<p>Not x^2 or ^mid here.</p>\n');
});

test('an Obsidian comment is hidden in the preview, inside a paragraph or as blocks, and a lone %% or one in code stays', () => {
  const md = commentPlugin(new MarkdownIt());
  assert.equal(md.render('Shown %%hidden *text*%% and more.'), '<p>Shown  and more.</p>\n');
  assert.equal(md.render('Before\n\n%%\n# Hidden\n\nStill hidden\n%%\n\nAfter'), '<p>Before</p>\n<p>After</p>\n');
  assert.equal(md.render('100%% sure\n\n`%%x%%`'), '<p>100%% sure</p>\n<p><code>%%x%%</code></p>\n');
  assert.equal(md.render('```\n%%\n```\n%%\ntext'), '<pre><code>%%\n</code></pre>\n<p>%%\ntext</p>\n');
});

test('an embed of an article alone in its paragraph shows the article\'s text as blocks, its own links read as its, titled by a link to it', () => {
  const envs: unknown[] = [];
  const md = wikiLinkPlugin(new MarkdownIt(), (env, written) => {
    envs.push(env);
    const doc = (env as { currentDocument?: string }).currentDocument;
    if (doc === 'doc' && written === 'Notes#Part one') return { href: 'Notes.md#part-one', title: 'Notes › Part one', embed: { markdown: '## Part one\n\nSee [[Other]] and ![[Notes#Part one]].', document: 'notes-doc' } };
    if (doc === 'notes-doc' && written === 'Other') return { href: 'Other.md', title: 'Other' };
    if (doc === 'notes-doc' && written === 'Notes#Part one') return { href: '#part-one', title: 'Notes › Part one', embed: { markdown: 'again', document: 'notes-doc' } };
    return undefined;
  });
  const html = md.render('Before.\n\n![[Notes#Part one]]\n\nAfter ![[Notes#Part one]] inline.', { currentDocument: 'doc' });
  assert.equal(
    html,
    '<p>Before.</p>\n' +
      '<div class="linked-articles-embed"><div class="linked-articles-embed-title"><a href="Notes.md#part-one" class="linked-articles-wikilink" title="Notes › Part one">Notes › Part one</a></div>' +
      '<h2>Part one</h2>\n<p>See <a href="Other.md" class="linked-articles-wikilink" title="Other">Other</a> and ' +
      '<a href="#part-one" class="linked-articles-wikilink" title="Notes › Part one">Notes › Part one</a>.</p>\n</div>\n' +
      '<p>After <a href="Notes.md#part-one" class="linked-articles-wikilink" title="Notes › Part one">Notes › Part one</a> inline.</p>\n',
    'the embed inside the embed, and one inside a sentence, stay links',
  );
  assert.ok(envs.some((e) => (e as { currentDocument?: string }).currentDocument === 'notes-doc'), 'the embedded text is rendered as its own article');
});

test('an embed of an article not known yet is its label, marked missing; a picture\'s embed stays in its paragraph', () => {
  const md = wikiLinkPlugin(new MarkdownIt(), () => undefined);
  assert.equal(md.render('![[Notes]]'), '<span class="linked-articles-wikilink linked-articles-missing" title="Notes">Notes</span>');
  const pic = wikiLinkPlugin(new MarkdownIt(), (_e, w) => (w === 'map.png' ? { href: 'map.png', image: true, title: 'map.png' } : undefined));
  assert.equal(pic.render('![[map.png]]'), '<p><img src="map.png" alt="map.png" title="map.png"></p>\n');
});
