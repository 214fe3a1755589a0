// The Orphaned Articles view in the Explorer: articles no other article links to, by title; a click opens one.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ServerListProvider } from './listView';
import { orphansRequest, type OrphanItem } from './protocol';

/** As many as a reader would go through to link them in; the view's title says when there are more. */
export const ORPHANS_LIMIT = 1000;

export class OrphansProvider extends ServerListProvider<OrphanItem> {
  constructor(client: LanguageClient, output: vscode.LogOutputChannel) {
    super(client, output, 'Orphaned articles');
  }

  protected async fetch(): Promise<{ items: OrphanItem[]; description?: string; message?: string }> {
    // One more than shown tells whether the list was cut.
    const orphans = await this.client.sendRequest(orphansRequest, { limit: ORPHANS_LIMIT + 1 });
    if (!orphans.length) return { items: [], message: 'Every article has a link from another article.' };
    if (orphans.length > ORPHANS_LIMIT) return { items: orphans.slice(0, ORPHANS_LIMIT), description: `${ORPHANS_LIMIT}+`, message: `The first ${ORPHANS_LIMIT} by title.` };
    return { items: orphans, description: String(orphans.length) };
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
