// The problems of every article of a wiki, for the command line's check: found in the index workers when the wiki is large, else in this thread, and with --cache kept from the last check where they still hold.
import { cacheDirProblem } from './cache';
import { articleProblems } from './diagnostics';
import { loadProblemCache, saveProblemCache } from './problemCache';
import { buildIndex, checkInWorkers, type IndexOptions, type IndexReport } from './indexer';
import type { ArticleProblems } from './indexWorker';
import type { CoreSettings } from './settings';
import { Wiki } from './wiki';
import { NodeWorkspace } from './workspace';

export type { ArticleProblems };

/** The problem cache is rewritten when at least this share of the articles had to be checked again. */
const REWRITE_SHARE = 0.02;

/** Every article, placeholders for oversized files included, in path order, with its problems. */
export function checkWiki(folders: string[], settings: CoreSettings, options: IndexOptions = {}): { workspace: NodeWorkspace; articles: ArticleProblems[]; report: IndexReport } {
  const workspace = new NodeWorkspace(folders, settings);
  let articles: ArticleProblems[];
  let report: IndexReport;
  const parallel = checkInWorkers(new Wiki(workspace.folders, settings), workspace, { ...options });
  if (parallel) ({ articles, report } = parallel);
  else {
    const wiki = new Wiki(workspace.folders, settings, { lazyBacklinks: true });
    report = buildIndex(wiki, workspace, options);
    wiki.rememberResolutions = true;
    const log = options.log ?? (() => undefined);
    // The index build has said why a folder inside the wiki is refused; the problems are not kept there either.
    const dir = options.cacheDir !== undefined && !cacheDirProblem(options.cacheDir, wiki.folders) ? options.cacheDir : undefined;
    const cached = dir ? loadProblemCache(dir, wiki, log) : undefined;
    const found = [...wiki.articles.values()].map((article) => ({ article, problems: cached?.reuse(article) ?? articleProblems(wiki, article) }));
    report.problemsFromCache = cached ? found.length - cached.stale : 0;
    // As the index cache (SYNC_REWRITE_SHARE): a few stale articles are checked again on each run rather than the
    // whole file rewritten for them.
    if (dir && (!cached || cached.stale >= REWRITE_SHARE * found.length)) saveProblemCache(dir, wiki, found, cached, log);
    articles = found.map(({ article, problems }) => ({ path: article.path, problems }));
  }
  articles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { workspace, articles, report };
}
