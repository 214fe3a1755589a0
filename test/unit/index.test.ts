// Building the index from a real folder: which files become articles, which are skipped and why.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Wiki } from '../../server/src/core/wiki';
import { buildIndex, buildIndexInSlices, type IndexReport } from '../../server/src/core/indexer';
import { glob, NodeWorkspace } from '../../server/src/core/workspace';
import { Minimatch } from 'minimatch';
import { WikiService } from '../../server/src/core/service';
import { mergeSettings } from '../../server/src/core/settings';
import { spawnSync } from 'node:child_process';

function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Runs `body` on a fresh temporary wiki folder, removed after. */
async function inTempWiki(prefix: string, body: (root: string) => Promise<void>): Promise<void> {
  const root = tempDir(prefix);
  try {
    await body(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function write(root: string, rel: string, content: string | Uint8Array): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
}

function index(root: string, settings: Record<string, unknown> = {}): { wiki: Wiki; report: IndexReport; rels: string[] } {
  const s = mergeSettings(settings);
  const ws = new NodeWorkspace([root], s);
  const wiki = new Wiki(ws.folders, s);
  const report = buildIndex(wiki, ws);
  const rels = [...wiki.articles.values()].map((a) => a.rel).sort();
  return { wiki, report, rels };
}

/**
 * Root reads files whatever their mode, so as root the permission tests index the folder in a child process
 * running as nobody (setpriv, util-linux); undefined when that is not possible here.
 */
function indexAsNobody(root: string): { rels: string[]; skipped: { path: string; reason: string }[] } | undefined {
  const script = `
    const { Wiki } = require('./server/src/core/wiki');
    const { buildIndex } = require('./server/src/core/indexer');
    const { NodeWorkspace } = require('./server/src/core/workspace');
    const { mergeSettings } = require('./server/src/core/settings');
    const s = mergeSettings({});
    const ws = new NodeWorkspace([${JSON.stringify(root)}], s);
    const wiki = new Wiki(ws.folders, s);
    const report = buildIndex(wiki, ws);
    console.log(JSON.stringify({ rels: [...wiki.articles.values()].map((a) => a.rel).sort(), skipped: report.skipped }));`;
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '-e', script], {
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
  });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const reasonFor = (report: IndexReport, root: string, rel: string) => report.skipped.find((x) => x.path === root + '/' + rel)?.reason;

describe('which files are articles', () => {
  let root: string;
  before(() => {
    root = tempDir('la-index-');
    write(root, 'Home.md', '# Home\n[[Notes]]\n');
    write(root, 'Notes.markdown', '# Notes\n');
    write(root, 'drafts/Draft.md', '# Draft\n');
    write(root, 'history/Commune.md', '# Commune\n');
    write(root, 'node_modules/pkg/README.md', '# A package\n');
    write(root, 'sub/node_modules/deep/README.md', '# Deeper package\n');
    write(root, '.git/COMMIT.md', '# not an article\n');
    write(root, 'image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
    write(root, 'notes.txt', 'plain text\n');
    write(root, '.NET.md', '# .NET\n');
    write(root, '.github/ISSUE_TEMPLATE.md', '# Tooling, not an article\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('every .md and .markdown file is an article by default', () => {
    const { rels, report } = index(root);
    assert.deepEqual(rels, ['.NET.md', 'Home.md', 'Notes.markdown', 'drafts/Draft.md', 'history/Commune.md']);
    assert.equal(report.articles, 5);
  });

  test('a file whose name starts with a dot is an article, a file in a hidden folder is not', () => {
    const { rels, wiki } = index(root);
    assert.ok(rels.includes('.NET.md'));
    assert.ok(!rels.some((r) => r.startsWith('.github/')));
    const home = wiki.articles.get(root + '/Home.md')!;
    const r = wiki.resolve({ target: '.NET' }, home);
    assert.equal(r.kind === 'article' && r.article.rel, '.NET.md');
  });

  test('node_modules and .git are skipped, even when a glob would include them', () => {
    const { rels } = index(root, { include: ['**/*'], exclude: [] });
    assert.ok(!rels.some((r) => /(^|\/)(node_modules|\.git)\//.test(r)), rels.join(', '));
    assert.ok(rels.includes('Home.md'));
  });

  test('an exclude glob leaves a folder out', () => {
    const { rels } = index(root, { exclude: ['drafts/**'] });
    assert.deepEqual(rels, ['.NET.md', 'Home.md', 'Notes.markdown', 'history/Commune.md']);
  });

  test('an include glob restricts the articles to what it matches', () => {
    const { rels } = index(root, { include: ['history/**/*.md'] });
    assert.deepEqual(rels, ['history/Commune.md']);
  });

  test('a glob answers for every path as Minimatch matches it, negations, braces, classes and case included', () => {
    const paths = ['Home.md', 'HOME.MD', '.md', 'a/.md', '.NET.md', 'x.Markdown', 'x.md/y', 'a b/c d.md', 'x.mdx', 'x.md.bak', 'ü/ö.md', 'weird[1].md',
      'drafts/x.md', 'drafts/', 'a/drafts/x.md', 'a/b/c/d/e.markdown', 'TODO.md', 'notes/todo.md', 'x.txt', 'deep/er/x.txt', 'Category:Ideas.md'];
    const patterns = ['**/*.md', '**/*.markdown', 'drafts/**', '**/drafts/**', '*.md', '**/TODO.md', '**/*.{md,txt}', 'a/**/e.*', '!**/x.md', '**/[Tt]odo.md', 'x.md/', '**/Category:*'];
    let matched = 0;
    for (const p of patterns) {
      const m = new Minimatch(p, { dot: true, nocase: true });
      for (const x of paths) {
        assert.equal(glob(p)(x), m.match(x), `${p} on ${x}`);
        if (m.match(x)) matched++;
      }
    }
    // Not a comparison of two empty answers.
    assert.ok(matched > 40, `${matched} matches`);
  });

  test('files that are not articles are attachments, not articles', () => {
    const { report, wiki } = index(root);
    assert.equal(report.attachments, 2);
    const home = wiki.articles.get(root + '/Home.md')!;
    assert.equal(wiki.resolve({ target: 'image.png' }, home).kind, 'attachment');
  });
});

describe('listing a large wiki', () => {
  test('the listing comes a step at a time, and gives what the listing at once gives', async () => {
    await inTempWiki('la-steps-', async (root) => {
      for (let i = 0; i < 700; i++) write(root, `${i % 3 ? 'sub/' : ''}Article_${i}.md`, `# Article ${i}\n`);
      const ws = new NodeWorkspace([root], mergeSettings({}));
      const steps = ws.listFilesInSteps();
      let yielded = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) yielded++;
      assert.ok(yielded >= 2, `700 files in steps of 256 files stated: ${yielded} steps`);
      const paths = (files: { path: string }[]) => files.map((f) => f.path).sort();
      assert.deepEqual(paths(step.value), paths(ws.listFiles()));
      assert.equal(step.value.length, 700);
    });
  });

  test('a build whose slices last no time at all still takes a file a turn and finishes, from the files and from its cache', { timeout: 60_000 }, async () => {
    await inTempWiki('la-steps-', async (root) => {
      for (let i = 0; i < 40; i++) write(root, `Article_${i}.md`, `# Article ${i}\n[[Article ${(i + 1) % 40}]]\n`);
      const store = tempDir('la-steps-cache-');
      try {
        const s = mergeSettings({});
        const build = () => {
          const ws = new NodeWorkspace([root], s);
          const wiki = new Wiki(ws.folders, s);
          return new Promise<IndexReport>((resolve) => {
            let report: IndexReport | undefined;
            let written = false;
            const done = () => report && written && resolve(report);
            void buildIndexInSlices(wiki, ws, { workers: 0, sliceMs: 0, cacheDir: store, cacheDelayMs: 0, onCacheWritten: () => ((written = true), done()) }).then((r) => ((report = r), done()));
          });
        };
        const cold = await build();
        assert.equal(cold.articles, 40);
        assert.equal(cold.scanned, 40);
        const warm = await build();
        assert.equal(warm.articles, 40);
        assert.equal(warm.fromCache, 40);
      } finally {
        fs.rmSync(store, { recursive: true, force: true });
      }
    });
  });

  test('a build in slices gives up its turn while it lists and plans, before it has counted the files', async () => {
    await inTempWiki('la-steps-', async (root) => {
      for (let i = 0; i < 600; i++) write(root, `Article_${i}.md`, `# Article ${i}\n`);
      const s = mergeSettings({});
      const ws = new NodeWorkspace([root], s);
      const wiki = new Wiki(ws.folders, s);
      const order: string[] = [];
      const built = buildIndexInSlices(wiki, ws, {
        workers: 0,
        // Every step its own turn, however fast this machine lists.
        planSliceMs: 0,
        onProgress: (done, total) => {
          if (total > 0 && !order.includes('planned')) order.push('planned');
        },
      });
      // A request read meanwhile has a turn of the event loop like this one.
      setImmediate(() => order.push('another turn'));
      const report = await built;
      assert.equal(report.articles, 600);
      assert.deepEqual(order.slice(0, 2), ['another turn', 'planned']);
    });
  });
});

describe('files that cannot be articles', () => {
  let root: string;
  before(() => {
    root = tempDir('la-index-');
    write(root, 'Small.md', '# Small\n');
    write(root, 'Big.md', '# Big\n' + 'x'.repeat(5000) + '\n');
    write(root, 'Binary.md', new Uint8Array([0x23, 0x20, 0x41, 0x00, 0x01, 0x02, 0x0a]));
    write(root, 'Latin1.md', new Uint8Array([...Buffer.from('# Caf'), 0xe9, 0x0a, ...Buffer.from('[[Small]]\n')]));
    write(root, 'Bom.md', new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('# With BOM\n\n[[Small]]\n')]));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a file over maxFileSize is not read, with a reason that names the limit, and only its name stays in the index', () => {
    const { wiki, report } = index(root, { maxFileSize: 1000 });
    const big = [...wiki.articles.values()].find((a) => a.rel === 'Big.md');
    assert.equal(big?.placeholder, true);
    assert.equal(big?.syntax.links.length, 0);
    const rels = [...wiki.articles.values()].filter((a) => !a.placeholder).map((a) => a.rel);
    assert.match(reasonFor(report, root, 'Big.md') ?? '', /over the .* limit \(linkedArticles\.maxFileSizeMB\)/);
    assert.ok(rels.includes('Small.md'));
  });

  test('a file with NUL bytes is skipped as binary with a reason', () => {
    const { rels, report } = index(root);
    assert.ok(!rels.includes('Binary.md'));
    assert.match(reasonFor(report, root, 'Binary.md') ?? '', /binary/i);
  });

  test('invalid UTF-8 is decoded with U+FFFD and the article is still indexed', () => {
    const { wiki } = index(root);
    const a = wiki.articles.get(root + '/Latin1.md');
    assert.ok(a, 'Latin1.md is indexed');
    assert.equal(a.title, 'Caf\uFFFD');
    assert.equal(a.syntax.links.length, 1);
  });

  test('a byte order mark is dropped, so the first heading still names the article', () => {
    const { wiki } = index(root);
    const a = wiki.articles.get(root + '/Bom.md')!;
    assert.equal(a.title, 'With BOM');
    assert.equal(a.lines.range(a.syntax.links[0].targetSpan).start.character, 2, 'columns are not shifted by the BOM');
  });
});

describe('symbolic links and permissions', () => {
  let root: string;
  let outside: string;
  before(() => {
    root = tempDir('la-index-');
    fs.chmodSync(root, 0o755);
    outside = tempDir('la-outside-');
    write(outside, 'Secret.md', '# Secret\n');
    write(outside, 'dir/Other.md', '# Other\n');
    write(root, 'Home.md', '# Home\n');
    write(root, 'a/Page.md', '# Page\n');
    fs.symlinkSync('..', path.join(root, 'a/loop'));
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'a/self'));
    fs.symlinkSync(path.join(outside, 'Secret.md'), path.join(root, 'Leak.md'));
    fs.symlinkSync(path.join(outside, 'dir'), path.join(root, 'leakdir'));
    fs.symlinkSync(path.join(root, 'Home.md'), path.join(root, 'Alias.md'));
  });
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  test('a symbolic-link loop is read once and does not hang', () => {
    const { rels } = index(root);
    assert.equal(rels.filter((r) => r.endsWith('Page.md')).length, 1, rels.join(', '));
  });

  test('a symbolic link that leads outside the workspace is not followed, and the skip says why', () => {
    const { rels, wiki, report } = index(root);
    assert.ok(!rels.includes('Leak.md'));
    assert.ok(!rels.some((r) => r.startsWith('leakdir/')), rels.join(', '));
    assert.ok(![...wiki.articles.values()].some((a) => a.title === 'Secret' || a.title === 'Other'));
    assert.match(reasonFor(report, root, 'Leak.md') ?? '', /outside the workspace/);
    assert.match(reasonFor(report, root, 'leakdir') ?? '', /outside the workspace/);
  });

  test('the workspace refuses to read a path outside its folders', () => {
    const ws = new NodeWorkspace([root], mergeSettings({}));
    assert.throws(() => ws.readText(root + '/Leak.md'), /outside the workspace/);
    assert.throws(() => ws.readText(outside + '/Secret.md'), /outside the workspace/);
  });

  test('a folder reached through a symbolic link inside the workspace is listed under its own path, where watchers report its edits', async () => {
    await inTempWiki('la-index-linked-', async (wikiRoot) => {
      write(wikiRoot, 'aaa/Topic.md', '# Topic\n');
      write(wikiRoot, 'Home.md', '# Home\n\n[[Topic]]\n');
      // Named to be walked before the folder it leads to.
      fs.symlinkSync(path.join(wikiRoot, 'aaa'), path.join(wikiRoot, 'zzz'));
      assert.deepEqual(index(wikiRoot).rels, ['Home.md', 'aaa/Topic.md']);
      const s = mergeSettings({});
      const service = new WikiService(new NodeWorkspace([wikiRoot], s), s);
      await service.buildIndex();
      write(wikiRoot, 'aaa/Topic.md', '# Topic\n\nEdited.\n');
      service.fileChanged(path.join(wikiRoot, 'aaa/Topic.md'));
      assert.deepEqual([...service.wiki.articles.values()].map((a) => a.rel).sort(), ['Home.md', 'aaa/Topic.md']);
      assert.deepEqual(service.problems(path.join(wikiRoot, 'Home.md')), []);
    });
  });

  test('an article that is a symbolic link to another follows it when the other changes or goes, one by one or in a batch', async () => {
    await inTempWiki('la-index-filelink-', async (wikiRoot) => {
      write(wikiRoot, 'Real.md', '# Real\n\n[[Nowhere]]\n');
      for (let i = 0; i < 200; i++) write(wikiRoot, `more/Page_${i}.md`, `# Page ${i}\n`);
      fs.symlinkSync(path.join(wikiRoot, 'Real.md'), path.join(wikiRoot, 'Copy.md'));
      const s = mergeSettings({});
      const service = new WikiService(new NodeWorkspace([wikiRoot], s), s);
      await service.buildIndex();
      const real = path.join(wikiRoot, 'Real.md');
      const copy = path.join(wikiRoot, 'Copy.md');
      const codes = () => service.problems(copy).map((p) => p.code);
      assert.deepEqual(codes(), ['broken-link']);

      write(wikiRoot, 'Real.md', '# Real\n\nNo links now.\n');
      assert.ok(service.fileChanged(real).affected.has(copy), 'the link is among the articles the change affects');
      assert.deepEqual(codes(), []);

      write(wikiRoot, 'Real.md', '# Real\n\n[[Elsewhere]]\n');
      const batch = [real, ...Array.from({ length: 200 }, (_, i) => path.join(wikiRoot, `more/Page_${i}.md`))];
      await service.filesChanged(batch);
      assert.deepEqual(codes(), ['broken-link'], 'read again with a batch of 201 files');

      fs.rmSync(real);
      service.fileDeleted(real);
      assert.ok(!service.wiki.articles.has(copy), 'a link whose file is gone goes too');
    });
  });

  test('a symbolic link made, pointed elsewhere or removed after the index was built is followed as one listed with it', async () => {
    await inTempWiki('la-index-newlink-', async (wikiRoot) => {
      write(wikiRoot, 'Real.md', '# Real\n\n[[Nowhere]]\n');
      write(wikiRoot, 'Other.md', '# Other\n');
      const s = mergeSettings({});
      const service = new WikiService(new NodeWorkspace([wikiRoot], s), s);
      await service.buildIndex();
      const [real, other, copy] = ['Real.md', 'Other.md', 'Copy.md'].map((f) => path.join(wikiRoot, f));
      const codes = () => service.problems(copy).map((p) => p.code);

      // Made after the listing, told as the watcher tells a new file.
      fs.symlinkSync(real, copy);
      service.fileChanged(copy);
      assert.deepEqual(codes(), ['broken-link']);
      write(wikiRoot, 'Real.md', '# Real\n\nNo links now.\n');
      assert.ok(service.fileChanged(real).affected.has(copy), 'the new link is among the articles the change affects');
      assert.deepEqual(codes(), []);

      // Pointed at another file: it follows that one, and no longer the first.
      fs.rmSync(copy);
      fs.symlinkSync(other, copy);
      service.fileChanged(copy);
      write(wikiRoot, 'Other.md', '# Other\n\n[[Gone]]\n');
      assert.ok(service.fileChanged(other).affected.has(copy));
      assert.deepEqual(codes(), ['broken-link']);
      assert.ok(!service.fileChanged(real).affected.has(copy), 'the first file no longer leads to it');

      // Replaced by a plain file: edits of the file it led to no longer touch it.
      fs.rmSync(copy);
      write(wikiRoot, 'Copy.md', '# Copy\n');
      service.fileChanged(copy);
      write(wikiRoot, 'Other.md', '# Other\n\n[[Gone again]]\n');
      assert.ok(!service.fileChanged(other).affected.has(copy));
      assert.deepEqual(codes(), []);
    });
  });

  test('a symbolic link to a file inside the workspace is an article', () => {
    const { rels } = index(root);
    assert.ok(rels.includes('Alias.md'));
  });

  test('an unreadable file is reported as skipped with the reason, and the rest is indexed', (t) => {
    const file = path.join(root, 'Locked.md');
    write(root, 'Locked.md', '# Locked\n');
    fs.chmodSync(file, 0o000);
    try {
      let readable = true;
      try {
        fs.readFileSync(file);
      } catch {
        readable = false;
      }
      const result = readable ? indexAsNobody(root) : (({ rels, report }) => ({ rels, skipped: report.skipped }))(index(root));
      if (!result) {
        t.skip('running as root without a usable setpriv: chmod 000 does not make a file unreadable here');
        return;
      }
      assert.ok(!result.rels.includes('Locked.md'));
      assert.match(result.skipped.find((x) => x.path === root + '/Locked.md')?.reason ?? '', /EACCES|permission/i);
      assert.ok(result.rels.includes('Home.md'));
    } finally {
      fs.chmodSync(file, 0o644);
      fs.rmSync(file);
    }
  });

  test('an unreadable folder is reported as skipped, and the rest is indexed', (t) => {
    const dir = path.join(root, 'locked');
    write(root, 'locked/In.md', '# In\n');
    fs.chmodSync(dir, 0o000);
    try {
      let readable = true;
      try {
        fs.readdirSync(dir);
      } catch {
        readable = false;
      }
      const result = readable ? indexAsNobody(root) : (({ rels, report }) => ({ rels, skipped: report.skipped }))(index(root));
      if (!result) {
        t.skip('running as root without a usable setpriv: chmod 000 does not make a folder unreadable here');
        return;
      }
      assert.ok(!result.rels.includes('locked/In.md'));
      assert.match(result.skipped.find((x) => x.path === root + '/locked')?.reason ?? '', /EACCES|permission/i);
      assert.ok(result.rels.includes('Home.md'));
    } finally {
      fs.chmodSync(dir, 0o755);
      fs.rmSync(dir, { recursive: true });
    }
  });
});
