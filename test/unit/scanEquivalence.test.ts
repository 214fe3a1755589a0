// Proves the fast scanner finds exactly what the remark analysis finds (links, headings, footnotes) on every file of the real wikis.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { compareFiles, markdownFiles, type FileDifference } from './equivalence';

const repoRoot = resolve(__dirname, '../..');
const corpora = resolve(repoRoot, '../shared/corpora');
const fixture = join(repoRoot, 'test/fixtures/Marxism-Leninism.md');

/** remark-parse needs about a minute of CPU for the corpora: the files are shared out among worker threads. */
async function compareInWorkers(files: string[]): Promise<FileDifference[]> {
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  const shares = Array.from({ length: workers }, (_, w) => files.filter((_, i) => i % workers === w));
  const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(join(__dirname, 'equivalence.ts'))});`;
  const results = await Promise.all(
    shares.map(
      (share) =>
        new Promise<FileDifference[]>((done, fail) => {
          const worker = new Worker(code, { eval: true, workerData: { files: share } });
          worker.once('message', done);
          worker.once('error', fail);
          worker.once('exit', (status) => fail(new Error(`the comparison worker exited with ${status} before answering`)));
        }),
    ),
  );
  return results.flat().sort((a, b) => a.file.localeCompare(b.file));
}

function report(diffs: FileDifference[], base: string): string {
  return diffs
    .slice(0, 10)
    .flatMap((d) => [`${relative(base, d.file)}:`, ...d.lines])
    .join('\n');
}

test('the scanner and the remark analysis agree on the example article', () => {
  const diffs = compareFiles([fixture]);
  assert.equal(diffs.length, 0, `the analyses disagree:\n${report(diffs, repoRoot)}`);
});

for (const name of ['anarwiki', 'libsocwiki', 'owasp-wiki']) {
  test(`the scanner and the remark analysis find the same links, headings and footnotes in every file of ${name}`, async (t) => {
    const dir = join(corpora, name);
    if (!existsSync(dir)) {
      t.skip(`corpus ${dir} is absent`);
      return;
    }
    const files = markdownFiles(dir);
    assert.ok(files.length > 900, `expected the whole corpus, found ${files.length} files`);
    const diffs = await compareInWorkers(files);
    assert.equal(diffs.length, 0, `${diffs.length} of ${files.length} files disagree; the first ones:\n${report(diffs, dir)}`);
  });
}
