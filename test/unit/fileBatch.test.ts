// Many files changed on disk at once (a branch switched): read again as the index is built, in the workers and in slices, leaving the index a fresh build would make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WikiService } from '../../server/src/core/service';
import { PackedArticle } from '../../server/src/core/facts';
import { mergeSettings } from '../../server/src/core/settings';
import { NodeWorkspace } from '../../server/src/core/workspace';

const settings = mergeSettings({});

/** 300 articles in two folders linking to each other by title and heading, with footnotes. */
function makeWiki(root: string): void {
  fs.mkdirSync(path.join(root, 'sub'));
  for (let i = 0; i < 300; i++) {
    const file = path.join(root, i % 3 === 0 ? 'sub' : '', `Page_${i}.md`);
    fs.writeFileSync(file, `# Page ${i}\n\nAbout [[Page ${(i + 1) % 300}]] and [[Page ${(i + 7) % 300}#Part]].[^n]\n\n## Part\n\nMore.\n\n[^n]: A note.\n`);
  }
}

/** The branch: 250 articles retitled, without their section, or linking elsewhere. */
function switchBranch(root: string): string[] {
  const changed: string[] = [];
  for (let i = 0; i < 250; i++) {
    const file = path.join(root, i % 3 === 0 ? 'sub' : '', `Page_${i}.md`);
    const text =
      i % 5 === 0
        ? `---\ntitle: Renamed ${i}\n---\n\nNow about [[Renamed ${(i + 5) % 250}]] and [[Page ${i + 1}#Part]].\n`
        : i % 5 === 1
          ? `# Page ${i}\n\nNo part any more; see [[Page ${(i + 2) % 300}#Part]].[^gone]\n`
          : `# Page ${i}\n\nAbout [[Page ${(i + 11) % 300}]].[^n]\n\n## Part\n\n[^n]: A note.\n`;
    fs.writeFileSync(file, text);
    changed.push(file);
  }
  return changed;
}

/** Runs `body` on a fresh copy of the wiki with its index built, and removes the copy after. */
async function withWiki(body: (root: string, s: WikiService) => Promise<void>): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-batch-')));
  try {
    makeWiki(root);
    const s = new WikiService(new NodeWorkspace([root], settings), settings);
    await s.buildIndex();
    await body(root, s);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function freshService(root: string): Promise<WikiService> {
  const fresh = new WikiService(new NodeWorkspace([root], settings), settings);
  await fresh.buildIndex();
  return fresh;
}

/** Every article's problems and incoming links: what must equal between the batch-updated index and a fresh one. */
function snapshot(s: WikiService): string[] {
  const out: string[] = [];
  for (const a of [...s.wiki.articles.values()].sort((x, y) => (x.path < y.path ? -1 : 1))) {
    out.push(`${a.path} ${a.title} ← ${s.wiki.incomingCount(a)}`);
    for (const p of s.problems(a.path)) out.push(`  ${p.code} ${p.message} ${JSON.stringify(p.range)}`);
  }
  return out;
}

test('a batch of changed files is read again by the workers and leaves the index a fresh build makes, the open document keeping its editor text', () =>
  withWiki(async (root, s) => {
    const openPath = path.join(root, 'Page_1.md');
    const editorText = '# Page 1\n\nIn the editor: [[Renamed 10]] and [[Page 5#Part]].\n';
    s.open(openPath, editorText);
    const paths = switchBranch(root);
    const affected = await s.filesChanged(paths);
    assert.ok(affected?.has(openPath), 'the open document is among those whose diagnostics may have changed');

    const fresh = await freshService(root);
    fresh.open(openPath, editorText);
    assert.deepEqual(snapshot(s), snapshot(fresh));
    assert.ok(snapshot(s).some((l) => l.includes('broken-heading')) && snapshot(s).some((l) => l.includes('Renamed 10')), 'the branch changed names and headings');
    assert.equal(s.article(openPath)!.size, editorText.length, "the editor's text still wins over the disk's");
    // Taken in as the index is built (not one by one): packed, as the workers send articles.
    assert.ok(s.wiki.articles.get(path.join(root, 'Page_2.md')) instanceof PackedArticle);
  }));

test('a few changed files are taken one by one and say exactly which articles they affect', () =>
  withWiki(async (root, s) => {
    const file = path.join(root, 'Page_8.md');
    fs.writeFileSync(file, '# Page 8\n\nNo part any more.\n');
    const affected = await s.filesChanged([file]);
    // Page 1 links to Page 8#Part and Page 7 to Page 8: the articles that link to it, and no other.
    assert.deepEqual([...affected!].sort(), [path.join(root, 'Page_1.md'), path.join(root, 'Page_7.md')]);
    assert.deepEqual(s.problems(path.join(root, 'Page_1.md')).map((p) => p.code), ['broken-heading']);
  }));

test('a batch under way gives way to a new index begun meanwhile', () =>
  withWiki(async (root, s) => {
    const pending = s.filesChanged(switchBranch(root));
    s.reset(new NodeWorkspace([root], settings), settings);
    const rebuilt = s.buildIndex();
    assert.equal(await pending, undefined);
    await rebuilt;
    assert.deepEqual(snapshot(s), snapshot(await freshService(root)));
  }));

test('a batch of deleted files is taken out at once and leaves the index a fresh build makes', () =>
  withWiki(async (root, s) => {
    const openPath = path.join(root, 'Page_299.md');
    s.open(openPath, '# Page 299\n\nOn [[Page 0]] and [[Page 298]].\n');
    const gone: string[] = [];
    for (let i = 0; i < 250; i++) {
      const file = path.join(root, i % 3 === 0 ? 'sub' : '', `Page_${i}.md`);
      fs.rmSync(file);
      gone.push(file);
    }
    const affected = s.filesDeleted(gone);
    assert.ok(affected.has(openPath), 'the open document is among those whose diagnostics may have changed');
    assert.deepEqual(
      s.problems(openPath).map((p) => p.message),
      ["No article named 'Page 0'"],
    );
    const fresh = await freshService(root);
    fresh.open(openPath, '# Page 299\n\nOn [[Page 0]] and [[Page 298]].\n');
    assert.deepEqual(snapshot(s), snapshot(fresh));
  }));

/** Sets the modification time of these files to `secondsAgo` before now: the cache trusts no file changed within two seconds of its writing. */
function age(files: string[], secondsAgo: number): void {
  const then = new Date(Date.now() - secondsAgo * 1000);
  for (const f of files) fs.utimesSync(f, then, then);
}

function allFiles(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).map((p) => path.join(root, p)).filter((p) => p.endsWith('.md'));
}

test('after a batch of changed files the index cache is written again, so the next start reads only the file changed one by one since', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-batch-')));
  const store = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-batch-store-')));
  try {
    makeWiki(root);
    age(allFiles(root), 7200);
    const writes: number[] = [];
    let heard: (() => void) | undefined;
    const written = (n: number) =>
      new Promise<void>((resolve) => {
        heard = () => {
          if (writes.length >= n) resolve();
        };
        heard();
      });
    const s = new WikiService(new NodeWorkspace([root], settings), settings);
    s.indexCache = { dir: store, delayMs: 0, log: () => {}, written: (bytes) => (writes.push(bytes), heard?.()) };
    await s.buildIndex();
    await written(1);

    const one = path.join(root, 'Page_299.md');
    fs.writeFileSync(one, '# Page 299\n\nChanged alone: [[Page 3#Part]] and [[Nowhere]].\n');
    age([one], 3600);
    s.fileChanged(one);
    const paths = switchBranch(root);
    age(paths, 3600);
    await s.filesChanged(paths);
    await written(2);
    assert.ok(writes.every((bytes) => bytes > 0), 'both writes succeeded');

    const next = new WikiService(new NodeWorkspace([root], settings), settings);
    next.indexCache = { dir: store, log: () => {} };
    const report = await next.buildIndex();
    assert.equal(report?.scanned, 1, 'only the file changed one by one is scanned');
    assert.equal(report?.fromCache, 299);
    assert.deepEqual(snapshot(next), snapshot(await freshService(root)));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
});
