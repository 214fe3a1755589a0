// Loads a workspace into a Wiki: lists the files, reads and scans the articles, and says what it skipped and why.
import { isArticlePath, type FileInfo, type Workspace } from './workspace';
import type { Wiki } from './wiki';

export interface IndexReport {
  articles: number;
  attachments: number;
  skipped: { path: string; reason: string }[];
  ms: number;
}

export interface IndexOptions {
  onProgress?: (done: number, total: number) => void;
  /** Checked between files: a true answer stops the build (a newer one has been started). */
  isCancelled?: () => boolean;
  /** Paths to leave alone (open in an editor, whose text wins). */
  skip?: (path: string) => boolean;
}

function classify(wiki: Wiki, workspace: Workspace, report: IndexReport): { articles: FileInfo[] } {
  const articles: FileInfo[] = [];
  const files = workspace.listFiles((path, reason) => report.skipped.push({ path, reason }));
  for (const f of files) {
    const folder = wiki.folderOf(f.path);
    if (!folder) continue;
    const rel = f.path.slice(folder.length + 1);
    if (isArticlePath(rel, wiki.settings)) {
      if (f.size > wiki.settings.maxFileSize) {
        report.skipped.push({ path: f.path, reason: `${(f.size / 1048576).toFixed(1)} MB is over the ${(wiki.settings.maxFileSize / 1048576).toFixed(1)} MB limit (linkedArticles.maxFileSize); left out of the index` });
        continue;
      }
      articles.push(f);
    } else if (!/(^|\/)\./.test(rel)) {
      wiki.addAttachment(f.path);
      report.attachments++;
    }
  }
  return { articles };
}

function indexOne(wiki: Wiki, workspace: Workspace, f: FileInfo, report: IndexReport): void {
  try {
    const text = workspace.readText(f.path);
    wiki.upsert(f.path, text);
    report.articles++;
  } catch (e) {
    // A file deleted, unreadable or binary while we index is reported and passed over, never fatal.
    report.skipped.push({ path: f.path, reason: e instanceof Error ? e.message : String(e) });
    wiki.remove(f.path);
  }
}

/** Builds the whole index in one go (the command line). */
export function buildIndex(wiki: Wiki, workspace: Workspace, options: IndexOptions = {}): IndexReport {
  const t0 = performance.now();
  const report: IndexReport = { articles: 0, attachments: 0, skipped: [], ms: 0 };
  const { articles } = classify(wiki, workspace, report);
  articles.forEach((f, i) => {
    if (!options.skip?.(f.path)) indexOne(wiki, workspace, f, report);
    if (options.onProgress && (i % 500 === 0 || i === articles.length - 1)) options.onProgress(i + 1, articles.length);
  });
  report.ms = performance.now() - t0;
  return report;
}

/** Builds the index in slices of about `sliceMs`, yielding between them so requests about open documents are answered at once. */
export async function buildIndexInSlices(wiki: Wiki, workspace: Workspace, options: IndexOptions & { sliceMs?: number } = {}): Promise<IndexReport> {
  const t0 = performance.now();
  const report: IndexReport = { articles: 0, attachments: 0, skipped: [], ms: 0 };
  const { articles } = classify(wiki, workspace, report);
  const slice = options.sliceMs ?? 25;
  let i = 0;
  options.onProgress?.(0, articles.length);
  while (i < articles.length) {
    if (options.isCancelled?.()) break;
    const sliceStart = performance.now();
    while (i < articles.length && performance.now() - sliceStart < slice) {
      const f = articles[i++];
      if (!options.skip?.(f.path)) indexOne(wiki, workspace, f, report);
    }
    options.onProgress?.(i, articles.length);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  report.ms = performance.now() - t0;
  return report;
}
