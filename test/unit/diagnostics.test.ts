// The problems the core reports: each code's message and exact range, per-code severities, and no false positives.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Wiki } from '../../server/src/core/wiki';
import { articleProblems } from '../../server/src/core/diagnostics';
import { mergeSettings } from '../../server/src/core/settings';
import type { Problem, ProblemCode, Range } from '../../server/src/core/types';

function wiki(files: Record<string, string>, settings: Record<string, unknown> = {}): Wiki {
  const w = new Wiki(['/wiki'], mergeSettings(settings));
  for (const [rel, text] of Object.entries(files)) w.upsert('/wiki/' + rel, text);
  return w;
}

function problems(w: Wiki, rel: string): Problem[] {
  const a = w.articles.get('/wiki/' + rel);
  assert.ok(a, `no article ${rel}`);
  return articleProblems(w, a);
}

/** The LSP range of the n-th occurrence of `needle` in `text`, computed independently of the core's LineIndex. */
function rangeOf(text: string, needle: string, occurrence = 0, within?: string): Range {
  let base = 0;
  if (within !== undefined) {
    base = text.indexOf(within);
    assert.ok(base >= 0, `'${within}' not in text`);
  }
  let at = text.indexOf(needle, base);
  for (let i = 0; i < occurrence; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `'${needle}' not in text`);
  const pos = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  return { start: pos(at), end: pos(at + needle.length) };
}

const brief = (ps: Problem[]) => ps.map((p) => ({ code: p.code, severity: p.severity, message: p.message, range: p.range }));

describe('broken links', () => {
  const text = [
    '# Home',
    '',
    'See [[Vanguardism]] and [[Vanguardism|the vanguard]] and ![[Vanguardism]].',
    'Also <a href="Dual_Power.md" class="wikilink" title="dual power">dual power</a>,',
    'a "<a   href="Left_Unity.md"',
    'class="wikilink" title="x">"left unity</a>, and [p](Platform.md) and [q](Social_War "wikilink").',
    'And [[../../outside]].',
    '',
  ].join('\n');
  const w = wiki({ 'Home.md': text, 'sub/Other.md': '' });

  test('each broken link is reported on its target with a message naming the missing article', () => {
    const ps = problems(w, 'Home.md').filter((p) => p.code === 'broken-link');
    assert.deepEqual(brief(ps), [
      { code: 'broken-link', severity: 'warning', message: "No article named 'Vanguardism'", range: rangeOf(text, 'Vanguardism', 0) },
      { code: 'broken-link', severity: 'warning', message: "No article named 'Vanguardism'", range: rangeOf(text, 'Vanguardism', 1) },
      { code: 'broken-link', severity: 'warning', message: "No article named 'Vanguardism'", range: rangeOf(text, 'Vanguardism', 2) },
      { code: 'broken-link', severity: 'warning', message: "No article named 'Dual Power'", range: rangeOf(text, 'Dual_Power.md') },
      { code: 'broken-link', severity: 'warning', message: "No article named 'Left Unity'", range: rangeOf(text, 'Left_Unity.md') },
      { code: 'broken-link', severity: 'warning', message: "No article named 'Platform'", range: rangeOf(text, 'Platform.md') },
      { code: 'broken-link', severity: 'warning', message: "No article named 'Social War'", range: rangeOf(text, 'Social_War') },
      { code: 'broken-link', severity: 'warning', message: "'../../outside' is outside the wiki", range: rangeOf(text, '../../outside') },
    ]);
  });

  test('a link that climbs out of the workspace is broken and says so', () => {
    const p = problems(w, 'Home.md').find((x) => x.data?.outside);
    assert.ok(p, 'expected a problem for the link leaving the workspace');
    assert.equal(p.code, 'broken-link');
    assert.match(p.message, /outside the wiki/);
    assert.deepEqual(p.range, rangeOf(text, '../../outside'));
  });

  test('the broken link goes away once the article exists, without touching the linking article', () => {
    const w2 = wiki({ 'Home.md': 'Read [[Vanguardism]].\n' });
    assert.equal(problems(w2, 'Home.md').length, 1);
    w2.upsert('/wiki/Vanguardism.md', '# Vanguardism\n');
    assert.deepEqual(problems(w2, 'Home.md'), []);
  });
});

describe('link reference definitions', () => {
  test('a definition whose destination has no article is a broken link on the destination; the links using it are not reported again', () => {
    const text = 'See [the vanguard][v] and [v][].\n\n[v]: Vanguardism.md "Vanguardism"\n[ok]: Home.md\n';
    assert.deepEqual(brief(problems(wiki({ 'Home.md': text }), 'Home.md')), [
      { code: 'broken-link', severity: 'warning', message: "No article named 'Vanguardism'", range: rangeOf(text, 'Vanguardism.md') },
      { code: 'unused-link-definition', severity: 'hint', message: 'Link definition [ok] is never used', range: rangeOf(text, 'ok', 0, '[ok]') },
    ]);
  });
});

describe('missing files', () => {
  test('an image or a link to a PDF whose file is not in the wiki is a missing file, named as written; a title with a dot is an article', () => {
    const text = 'A ![flag](img/Red_Flag.png "The flag") and [the report](files/Report%202020.pdf) and [[File:Logo.svg]] and [[Version 2.0]] and [[ASP.NET]].\n';
    const w = wiki({ 'Home.md': text });
    w.addAttachment('/wiki/img/Black_Flag.png');
    assert.deepEqual(brief(problems(w, 'Home.md')), [
      { code: 'missing-file', severity: 'warning', message: "No file 'img/Red_Flag.png' in the wiki", range: rangeOf(text, 'img/Red_Flag.png') },
      { code: 'missing-file', severity: 'warning', message: "No file 'files/Report 2020.pdf' in the wiki", range: rangeOf(text, 'files/Report%202020.pdf') },
      { code: 'missing-file', severity: 'warning', message: "No file 'File:Logo.svg' in the wiki", range: rangeOf(text, 'File:Logo.svg') },
      { code: 'broken-link', severity: 'warning', message: "No article named 'Version 2.0'", range: rangeOf(text, 'Version 2.0') },
      { code: 'broken-link', severity: 'warning', message: "No article named 'ASP.NET'", range: rangeOf(text, 'ASP.NET') },
    ]);
  });

  test('an image whose file is there, beside the article or by its name elsewhere, is no problem', () => {
    const w = wiki({ 'people/Marx.md': '![portrait](Marx.jpg) ![[Marx.jpg]] ![again](../people/Marx.jpg)\n' });
    w.addAttachment('/wiki/people/Marx.jpg');
    assert.deepEqual(problems(w, 'people/Marx.md'), []);
  });

  test('an <img> whose file is not in the wiki is a missing file; one whose file is there is none; a message is one line', () => {
    const text = '<figure>\n<img src="Luddite.jpg" title="Luddite.jpg" />\n</figure>\n\nA <img src="Here.png" alt="here"> and <IMG SRC="jav\nascript:alert(1)">.\n';
    const w = wiki({ 'Home.md': text });
    w.addAttachment('/wiki/Here.png');
    assert.deepEqual(brief(problems(w, 'Home.md')), [
      { code: 'missing-file', severity: 'warning', message: "No file 'Luddite.jpg' in the wiki", range: rangeOf(text, 'Luddite.jpg') },
      { code: 'missing-file', severity: 'warning', message: "No file 'jav ascript:alert(1)' in the wiki", range: rangeOf(text, 'jav\nascript:alert(1)') },
    ]);
    assert.deepEqual(w.wanted(), [], 'no image is a wanted article');
  });

  test('missing files are not wanted articles', () => {
    const w = wiki({ 'Home.md': '![a](Gone.png) ![b](Photo.heic) [b](Gone.pdf) [[File:Gone.svg]] [[Vanguardism]]\n' });
    assert.deepEqual(problems(w, 'Home.md').map((p) => p.code), ['missing-file', 'missing-file', 'missing-file', 'missing-file', 'broken-link']);
    assert.deepEqual(w.wanted().map((x) => x.name), ['Vanguardism'], 'an image of any extension is not an article');
  });
});

describe('broken headings and ambiguous links', () => {
  const text = '# Home\n\n## Here\n\n[[Mutual Aid#Later Life]] [[#Nowhere]] [[#here]] [[Mutual Aid#early-life]] [[Dup]]\n';
  const w = wiki({ 'Home.md': text, 'Mutual_Aid.md': '# Mutual Aid\n\n## Early Life\n', 'a/Dup.md': '', 'b/Dup.md': '' });

  test('a heading missing in another article is reported on the heading part', () => {
    const p = problems(w, 'Home.md').filter((x) => x.code === 'broken-heading');
    assert.equal(p.length, 2);
    assert.equal(p[0].message, "No heading 'Later Life' in 'Mutual Aid'");
    assert.deepEqual(p[0].range, rangeOf(text, 'Later Life'));
    assert.equal(p[0].severity, 'warning');
  });

  test('a heading missing in the same article says "this article"', () => {
    const p = problems(w, 'Home.md').filter((x) => x.code === 'broken-heading')[1];
    assert.equal(p.message, "No heading 'Nowhere' in this article");
    assert.deepEqual(p.range, rangeOf(text, 'Nowhere'));
  });

  test('a title two articles answer to is ambiguous, naming both, on the target', () => {
    const p = problems(w, 'Home.md').filter((x) => x.code === 'ambiguous-link');
    assert.equal(p.length, 1);
    assert.equal(p[0].message, "'Dup' could mean a/Dup.md or b/Dup.md");
    assert.deepEqual(p[0].range, rangeOf(text, 'Dup'));
    assert.equal(p[0].severity, 'warning');
  });
});

describe('footnotes', () => {
  const text = [
    '# Notes',
    '',
    'Claim[^1] and another[^missing] and again[^1].',
    '',
    '[^1]: The source.',
    '',
    '[^unused]: Nobody cites this.',
    '',
    '[^1]: Defined twice.',
    '',
  ].join('\n');
  const w = wiki({ 'Notes.md': text });
  const ps = problems(w, 'Notes.md');

  test('a reference without a definition is an error on the reference label', () => {
    const p = ps.filter((x) => x.code === 'missing-footnote-definition');
    assert.deepEqual(brief(p), [{ code: 'missing-footnote-definition', severity: 'error', message: 'Footnote [^missing] has no definition', range: rangeOf(text, 'missing', 0, '[^missing]') }]);
  });

  test('a definition nobody references is a warning on the definition label', () => {
    const p = ps.filter((x) => x.code === 'unused-footnote-definition');
    assert.deepEqual(brief(p), [{ code: 'unused-footnote-definition', severity: 'warning', message: 'Footnote [^unused] is defined but never referenced', range: rangeOf(text, 'unused', 0, '[^unused]:') }]);
  });

  test('a second definition of a label is an error on its label, pointing at the first', () => {
    const p = ps.filter((x) => x.code === 'duplicate-footnote-definition');
    assert.deepEqual(brief(p), [{ code: 'duplicate-footnote-definition', severity: 'error', message: 'Footnote [^1] is defined more than once (first on line 5)', range: rangeOf(text, '1', 0, '[^1]: Defined twice') }]);
  });

  test('nothing else is reported: the matched footnote [^1] is fine', () => {
    assert.equal(ps.length, 3);
  });

  test('a multi-line footnote definition counts as one definition', () => {
    const w2 = wiki({ 'M.md': 'Text[^a].\n\n[^a]: First line\n    continues here\n    and here.\n' });
    assert.deepEqual(problems(w2, 'M.md'), []);
  });
});

describe('severities', () => {
  const text =
    'x[^m][^d] [[Nope]] ![map](Map.png) [[Known#nope]] [[Dup]] [see][nowhere] [twice][t]\n\n[^u]: unused\n\n[^d]: one\n\n[^d]: two\n\n' +
    '[t]: Known.md\n[T]: Known.md\n[spare]: Known.md\n';
  const files = { 'A.md': text, 'Known.md': '', 'a/Dup.md': '', 'b/Dup.md': '', 'R.md': '#REDIRECT [[S]]\n', 'S.md': '#REDIRECT [[Known]]\n' };
  const codes: ProblemCode[] = [
    'broken-link',
    'missing-file',
    'broken-heading',
    'ambiguous-link',
    'undefined-reference',
    'unused-link-definition',
    'duplicate-link-definition',
    'missing-footnote-definition',
    'unused-footnote-definition',
    'duplicate-footnote-definition',
  ];

  test('a double redirect is reported with its default severity, and its setting silences it', () => {
    assert.deepEqual(problems(wiki(files), 'R.md').map((p) => [p.code, p.severity]), [['double-redirect', 'warning']]);
    assert.deepEqual(problems(wiki(files, { severity: { 'double-redirect': 'off' } }), 'R.md'), []);
  });

  test('every code is reported once with its default severity', () => {
    const got = Object.fromEntries(problems(wiki(files), 'A.md').map((p) => [p.code, p.severity]));
    assert.deepEqual(got, {
      'broken-link': 'warning',
      'missing-file': 'warning',
      'broken-heading': 'warning',
      'ambiguous-link': 'warning',
      'undefined-reference': 'warning',
      'unused-link-definition': 'hint',
      'duplicate-link-definition': 'warning',
      'missing-footnote-definition': 'error',
      'unused-footnote-definition': 'warning',
      'duplicate-footnote-definition': 'error',
    });
  });

  for (const code of codes) {
    test(`the severity of ${code} follows the setting, and 'off' silences only that code`, () => {
      for (const level of ['error', 'warning', 'information', 'hint'] as const) {
        const ps = problems(wiki(files, { severity: { [code]: level } }), 'A.md');
        assert.equal(ps.find((p) => p.code === code)?.severity, level, `${code}=${level}`);
      }
      const off = problems(wiki(files, { severity: { [code]: 'off' } }), 'A.md');
      assert.equal(off.filter((p) => p.code === code).length, 0);
      assert.equal(off.length, codes.length - 1);
    });
  }

  test('an unknown severity value is ignored and the default kept', () => {
    const ps = problems(wiki(files, { severity: { 'broken-link': 'loud' } }), 'A.md');
    assert.equal(ps.find((p) => p.code === 'broken-link')?.severity, 'warning');
  });
});

describe('no false positives', () => {
  const fixture = path.resolve(__dirname, '../fixtures/Marxism-Leninism.md');
  const text = fs.readFileSync(fixture, 'utf8');
  /** The anchor targets, found with a plain regular expression rather than the scanner under test. */
  const hrefs = [...text.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&#39;/g, "'"));

  test('the fixture is the example article with its 120 anchors', () => {
    assert.equal(hrefs.length, 120);
  });

  test('the example article has no problem when every article it links to exists', () => {
    const files: Record<string, string> = { 'Marxism-Leninism.md': text };
    for (const h of hrefs) if (!h.startsWith('Category:')) files[h] = `# ${h.replace(/\.md$/, '').replace(/_/g, ' ')}\n`;
    const ps = problems(wiki(files), 'Marxism-Leninism.md');
    assert.deepEqual(brief(ps), []);
  });

  test('without those articles, exactly the non-category anchors are broken links, and the 16 footnotes are fine', () => {
    const ps = problems(wiki({ 'Marxism-Leninism.md': text }), 'Marxism-Leninism.md');
    const expected = hrefs.filter((h) => !h.startsWith('Category:')).length;
    assert.equal(expected, 112);
    assert.equal(ps.filter((p) => p.code === 'broken-link').length, expected);
    assert.deepEqual(ps.filter((p) => p.code !== 'broken-link').map((p) => p.message), []);
  });

  test('each broken link of the example covers exactly the href value in the source', () => {
    const ps = problems(wiki({ 'Marxism-Leninism.md': text }), 'Marxism-Leninism.md');
    const lines = text.split('\n');
    for (const p of ps) {
      assert.equal(p.range.start.line, p.range.end.line, 'an href value never spans lines');
      const covered = lines[p.range.start.line].slice(p.range.start.character, p.range.end.character);
      assert.ok(hrefs.map((h) => h.replace(/'/g, '&#39;')).includes(covered), `range covers '${covered}'`);
    }
  });

  test('valid links to names with apostrophes, spaces, colons, unicode and subfolders give no problem', () => {
    const files = {
      'Home.md': [
        "[[Bakunin's God]] <a href=\"Bakunin&#39;s_God.md\" class=\"wikilink\" title=\"b\">b</a>",
        '[s](2010_BASC:Sponsors "wikilink") [[Federación Anarquista Ibérica]] [f](Federaci%C3%B3n_Anarquista_Ib%C3%A9rica.md)',
        '[[history/Spanish Revolution]] [[Spanish_Revolution#Collectives]] [p](<Pierre Joseph.md#early-years>)',
        '[[Category:Theory]] [[Special:AllPages]] [w](Wikipedia:Anarchism "wikilink") [[wikt:freedom]]',
        '',
      ].join('\n'),
      "Bakunin's_God.md": '',
      '2010_BASC:Sponsors.md': '',
      'Federación_Anarquista_Ibérica.md': '',
      'history/Spanish_Revolution.md': '# Spanish Revolution\n\n## Collectives\n',
      'Pierre Joseph.md': '# Pierre Joseph\n\n## Early Years\n',
    };
    assert.deepEqual(brief(problems(wiki(files), 'Home.md')), []);
  });

  test('links inside code spans and code blocks are never reported', () => {
    const w = wiki({ 'C.md': 'Write `[[Nope]]` like this:\n\n```\n[[Nope]] [^x]\n```\n\n    [[Indented]]\n' });
    assert.deepEqual(brief(problems(w, 'C.md')), []);
  });
});

describe('reference links', () => {
  test('a use of a label nothing defines, a definition nothing uses and a second definition of a label are reported on the label', () => {
    const text = [
      '# Notes',
      '',
      'See [the theory][mutual aid], [Mutual Aid][], [missing][nowhere], [Nowhere][] and [plain] brackets.',
      'Code `[x][not-a-use]` and',
      '',
      '    [indented][not-either]',
      '',
      '[Mutual  Aid]: Mutual_Aid.md',
      '[spare]: Mutual_Aid.md "never used"',
      '[mutual aid]: Other.md',
      '',
    ].join('\n');
    const ps = problems(wiki({ 'Notes.md': text, 'Mutual_Aid.md': '', 'Other.md': '' }), 'Notes.md');
    assert.deepEqual(brief(ps), [
      { code: 'undefined-reference', severity: 'warning', message: 'No link definition for [nowhere]', range: rangeOf(text, 'nowhere') },
      { code: 'undefined-reference', severity: 'warning', message: 'No link definition for [Nowhere]', range: rangeOf(text, 'Nowhere') },
      { code: 'unused-link-definition', severity: 'hint', message: 'Link definition [spare] is never used', range: rangeOf(text, 'spare') },
      { code: 'duplicate-link-definition', severity: 'warning', message: 'Link [mutual aid] is defined more than once; the first definition is the one used', range: rangeOf(text, 'mutual aid', 0, '[mutual aid]:') },
    ]);
  });

  test('a reference link in a heading uses its definition, and one there with no definition is reported', () => {
    const text = '# Notes\n\n## See [the book][book] and [gone][nowhere]\n\nText.\n\n[book]: Book.md\n';
    assert.deepEqual(brief(problems(wiki({ 'Notes.md': text, 'Book.md': '' }), 'Notes.md')), [
      { code: 'undefined-reference', severity: 'warning', message: 'No link definition for [nowhere]', range: rangeOf(text, 'nowhere') },
    ]);
  });

  test('a wiki link uses the definition of its name, as Foam writes one for each, and a wiki without reference links has no such problems', () => {
    const foam = '# Note\n\nSee [[mutual-aid]] and [[other|Other]].\n\n[mutual-aid]: mutual-aid.md "Mutual Aid"\n[other]: other.md "Other"\n';
    assert.deepEqual(brief(problems(wiki({ 'Note.md': foam, 'mutual-aid.md': '', 'other.md': '' }), 'Note.md')), []);
    const fixture = fs.readFileSync(path.resolve(__dirname, '../fixtures/Marxism-Leninism.md'), 'utf8');
    const w = wiki({ 'Marxism-Leninism.md': fixture });
    assert.equal(w.articles.get('/wiki/Marxism-Leninism.md')!.syntax.referenceIssues, undefined, 'the example article has none');
  });
});
