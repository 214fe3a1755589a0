// The client's pure helpers (no vscode import, so unit tests run them): file naming, the status bar's text, and nested tags.
import type { StatusParams, TaggedItem, TagItem } from './protocol';

const MARKDOWN = /\.(?:md|markdown|mdx)$/i;

/** The title a file name stands for: no extension, `_` read as a space (as the server reads it). */
export function titleFromFileName(fileName: string): string {
  return fileName.replace(MARKDOWN, '').replace(/_/g, ' ').trim();
}

/**
 * Whether the wiki writes spaces in file names as underscores (`Mutual_Aid.md`, as MediaWiki exports do):
 * decided by the majority of the multi-word file names, so one odd file does not flip the convention.
 */
export function prefersUnderscores(fileNames: Iterable<string>): boolean {
  let underscores = 0;
  let spaces = 0;
  for (const name of fileNames) {
    const stem = name.replace(MARKDOWN, '');
    if (stem.includes('_')) underscores++;
    else if (stem.includes(' ')) spaces++;
  }
  return underscores > spaces;
}

/** A file name for a title under the convention; characters no file system accepts become `-`. */
export function fileNameFor(title: string, underscores: boolean): string {
  let stem = title.trim().replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-');
  if (underscores) stem = stem.replace(/\s+/g, '_');
  return `${stem}.md`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The status bar's text for a status: "Indexing 3,214/10,000", then "1,006 articles". */
export function statusText(status: StatusParams): string {
  return status.state === 'indexing'
    ? `Indexing ${count(status.done)}/${count(status.total)}`
    : `${count(status.articles)} ${status.articles === 1 ? 'article' : 'articles'}`;
}

/**
 * A group (its `count` is of the articles with exactly this name; 0 for a name only nested ones use) with the groups
 * nested under it, or an article in one.
 */
export type GroupsNode = { kind: 'group'; group: TagItem; nested: GroupsNode[] } | { kind: 'article'; group: string; article: TaggedItem };

/** The groups as a tree by their `/`-separated names, each level in the order the list gives (most used first). */
export function nestGroups(groups: TagItem[]): GroupsNode[] {
  const roots: GroupsNode[] = [];
  const byName = new Map<string, Extract<GroupsNode, { kind: 'group' }>>();
  const nodeOf = (name: string): Extract<GroupsNode, { kind: 'group' }> => {
    const key = name.toLowerCase();
    let node = byName.get(key);
    if (!node) {
      node = { kind: 'group', group: { name, count: 0 }, nested: [] };
      byName.set(key, node);
      const slash = name.lastIndexOf('/');
      (slash > 0 ? nodeOf(name.slice(0, slash)).nested : roots).push(node);
    }
    return node;
  };
  for (const g of groups) {
    const node = nodeOf(g.name);
    node.group = { name: g.name, count: g.count };
  }
  return roots;
}
