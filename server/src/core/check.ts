// The problems of every article of a wiki, for the command line's check: found in the index workers when the wiki is large, else in this thread.
import { articleProblems } from './diagnostics';
import { buildIndex, checkInWorkers, type IndexOptions, type IndexReport } from './indexer';
import type { ArticleProblems } from './indexWorker';
import type { CoreSettings } from './settings';
import { Wiki } from './wiki';
import { NodeWorkspace } from './workspace';

export type { ArticleProblems };

/** Every article, placeholders for oversized files included, in path order, with its problems. */
export function checkWiki(folders: string[], settings: CoreSettings, options: IndexOptions = {}): { workspace: NodeWorkspace; articles: ArticleProblems[]; report: IndexReport } {
  const workspace = new NodeWorkspace(folders, settings);
  let articles: ArticleProblems[];
  let report: IndexReport;
  const parallel = checkInWorkers(new Wiki(workspace.folders, settings), workspace, { ...options });
  if (parallel) ({ articles, report } = parallel);
  else {
    const wiki = new Wiki(workspace.folders, settings);
    report = buildIndex(wiki, workspace, options);
    wiki.rememberResolutions = true;
    articles = [...wiki.articles.values()].map((a) => ({ path: a.path, problems: articleProblems(wiki, a) }));
  }
  articles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { workspace, articles, report };
}
