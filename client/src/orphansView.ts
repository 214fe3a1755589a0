// The Orphaned Articles view in the Explorer: articles no other article links to, by title; a click opens one.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorText } from './backlinksView';
import { orphansRequest, type OrphanItem } from './protocol';

/** As many as a reader would go through to link them in; the count in the view's title says how many there are. */
export const ORPHANS_LIMIT = 1000;

export class OrphansProvider implements vscode.TreeDataProvider<OrphanItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  view: vscode.TreeView<OrphanItem> | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: OrphanItem): Promise<OrphanItem[]> {
    if (node) return [];
    try {
      // One more than shown tells whether the list was cut.
      const orphans = await this.client.sendRequest(orphansRequest, { limit: ORPHANS_LIMIT + 1 });
      const shown = orphans.slice(0, ORPHANS_LIMIT);
      if (this.view) {
        this.view.message = orphans.length ? (orphans.length > ORPHANS_LIMIT ? `The first ${ORPHANS_LIMIT} by title.` : undefined) : 'Every article has a link from another article.';
        this.view.description = orphans.length ? (orphans.length > ORPHANS_LIMIT ? `${ORPHANS_LIMIT}+` : String(orphans.length)) : undefined;
      }
      return shown;
    } catch (error) {
      this.output.warn(`Orphaned articles: ${errorText(error)}`);
      if (this.view) this.view.message = `Orphaned articles are not available: ${errorText(error)}`;
      return [];
    }
  }

  getTreeItem(orphan: OrphanItem): vscode.TreeItem {
    const uri = this.client.protocol2CodeConverter.asUri(orphan.uri);
    const item = new vscode.TreeItem(orphan.title, vscode.TreeItemCollapsibleState.None);
    item.resourceUri = uri;
    item.description = vscode.workspace.asRelativePath(uri, false);
    item.tooltip = `No other article links to ${orphan.title}.\nClick to open it.`;
    item.iconPath = new vscode.ThemeIcon('file');
    item.contextValue = 'linkedArticles.orphanedArticle';
    item.command = { title: 'Open', command: 'vscode.open', arguments: [uri] };
    return item;
  }
}
