// The Wanted Articles view in the Explorer: missing articles ranked by how many links want them; a click creates one.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { titleFromUri } from './articles';
import { ServerListProvider } from './listView';
import { wantedRequest, type WantedItem } from './protocol';

/** A wiki exported from MediaWiki wants thousands of articles; the view is for picking the next one to write. */
export const WANTED_LIMIT = 500;

export class WantedProvider extends ServerListProvider<WantedItem> {
  constructor(client: LanguageClient, output: vscode.LogOutputChannel) {
    super(client, output, 'Wanted articles');
  }

  protected async fetch(): Promise<{ items: WantedItem[]; description?: string; message?: string }> {
    const wanted = await this.client.sendRequest(wantedRequest, { limit: WANTED_LIMIT });
    return wanted.length ? { items: wanted, description: String(wanted.length) } : { items: [], message: 'Every link leads to an article: nothing is wanted.' };
  }

  getTreeItem(wanted: WantedItem): vscode.TreeItem {
    const item = new vscode.TreeItem(wanted.name, vscode.TreeItemCollapsibleState.None);
    item.description = wanted.count === 1 ? '1 link' : `${wanted.count} links`;
    const from = wanted.sources.slice(0, 10).map((s) => titleFromUri(this.client.protocol2CodeConverter.asUri(s)));
    const total = wanted.sourceCount ?? wanted.sources.length;
    const more = total > from.length ? `, and ${total - from.length} more` : '';
    item.tooltip = `Wanted by ${from.join(', ')}${more}.\nClick to create the article.`;
    item.iconPath = new vscode.ThemeIcon('new-file');
    item.contextValue = 'linkedArticles.wantedArticle';
    item.command = {
      title: 'Create Article',
      command: 'linkedArticles.createArticle',
      arguments: [wanted.name, wanted.sources[0]],
    };
    return item;
  }
}
