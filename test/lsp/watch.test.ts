// The server's own folder watcher (for clients that cannot watch files for it): what it reports, and what it costs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FolderWatcher, type FileEvent } from '../../server/src/lsp/watch';
import { waitFor } from './harness';

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-watch-')));
}

/** A watcher on a fresh folder, with every event it reports. */
function watched(perDirectory: boolean, setup: (root: string) => void = () => {}) {
  const root = tempDir();
  setup(root);
  const events: FileEvent[] = [];
  const logs: string[] = [];
  const watcher = new FolderWatcher([root], (e) => events.push(...e), (m) => logs.push(m), perDirectory);
  const saw = (kind: FileEvent['kind'], rel: string) => events.some((e) => e.kind === kind && e.path === path.join(root, rel));
  const until = (what: string, kind: FileEvent['kind'], rel: string) =>
    waitFor(what, () => saw(kind, rel), 5000, () => JSON.stringify(events.map((e) => `${e.kind} ${path.relative(root, e.path)}`)));
  const done = () => {
    watcher.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  };
  return { root, events, logs, watcher, saw, until, done };
}

for (const perDirectory of process.platform === 'linux' ? [true, false] : [false]) {
  describe(`the folder watcher (${perDirectory ? 'a watch per directory' : "node's recursive watch"})`, () => {
    test('reports a file created, changed and deleted, in the folder and in a subfolder', async () => {
      const w = watched(perDirectory, (root) => fs.mkdirSync(path.join(root, 'sub')));
      try {
        fs.writeFileSync(path.join(w.root, 'A.md'), '# A\n');
        await w.until('A.md to be reported', 'changed', 'A.md');
        fs.writeFileSync(path.join(w.root, 'sub', 'B.md'), '# B\n');
        await w.until('sub/B.md to be reported', 'changed', 'sub/B.md');
        fs.rmSync(path.join(w.root, 'sub', 'B.md'));
        await w.until('the deletion of sub/B.md to be reported', 'deleted', 'sub/B.md');
      } finally {
        w.done();
      }
    });

    test('reports the files of a folder moved in whole, and then changes inside it', async () => {
      const w = watched(perDirectory);
      const outside = tempDir();
      try {
        fs.mkdirSync(path.join(outside, 'moved', 'deeper'), { recursive: true });
        fs.writeFileSync(path.join(outside, 'moved', 'C.md'), '# C\n');
        fs.writeFileSync(path.join(outside, 'moved', 'deeper', 'D.md'), '# D\n');
        fs.renameSync(path.join(outside, 'moved'), path.join(w.root, 'moved'));
        await w.until('moved/C.md to be reported', 'changed', 'moved/C.md');
        await w.until('moved/deeper/D.md to be reported', 'changed', 'moved/deeper/D.md');
        fs.writeFileSync(path.join(w.root, 'moved', 'deeper', 'E.md'), '# E\n');
        await w.until('a file written later in the moved folder to be reported', 'changed', 'moved/deeper/E.md');
      } finally {
        w.done();
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    test('reports a deleted folder, and leaves .git alone', async () => {
      const w = watched(perDirectory, (root) => {
        fs.mkdirSync(path.join(root, 'gone'));
        fs.writeFileSync(path.join(root, 'gone', 'F.md'), '# F\n');
        fs.mkdirSync(path.join(root, '.git'));
      });
      try {
        fs.writeFileSync(path.join(w.root, '.git', 'index'), 'x');
        fs.rmSync(path.join(w.root, 'gone'), { recursive: true });
        await w.until('the deletion of the folder to be reported', 'deleted', 'gone');
        // A file written after the .git write, reported, shows that the .git write had its chance to be reported too.
        fs.writeFileSync(path.join(w.root, 'Last.md'), '# Last\n');
        await w.until('Last.md to be reported', 'changed', 'Last.md');
        assert.deepEqual(w.events.filter((e) => e.path.includes('/.git')), []);
        assert.deepEqual(w.logs, []);
      } finally {
        w.done();
      }
    });
  });
}

test('on Linux the watcher holds one watch per directory, not one per file', { skip: process.platform !== 'linux' && 'per-directory watches are used on Linux only' }, () => {
  const w = watched(true, (root) => {
    for (const dir of ['a', 'a/b', 'c', 'node_modules/x']) fs.mkdirSync(path.join(root, dir), { recursive: true });
    for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(root, ['', 'a', 'a/b', 'c'][i % 4], `N${i}.md`), '# N\n');
  });
  try {
    // The folder itself, a, a/b and c; node_modules is not watched.
    assert.equal(w.watcher.watchedDirectories, 4);
  } finally {
    w.done();
  }
});
