// The Tags view in the Explorer: the wiki's tags, most used first, each opening to the articles it is on; a click opens one.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorText } from './backlinksView';
import { ServerListProvider } from './listView';
import { taggedRequest, tagsRequest, type TaggedItem, type TagItem } from './protocol';

/** As many tags as a reader would scroll through; the view says when there are more. */
export const TAGS_LIMIT = 1000;

export type TagsNode = { kind: 'tag'; tag: TagItem } | { kind: 'article'; tag: string; article: TaggedItem };

export class TagsProvider extends ServerListProvider<TagsNode> {
  constructor(
    client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super(client, log, 'Tags');
  }

  protected async fetch(): Promise<{ items: TagsNode[]; description?: string; message?: string }> {
    // One more than shown tells whether the list was cut.
    const tags = await this.client.sendRequest(tagsRequest, { limit: TAGS_LIMIT + 1 });
    if (!tags.length) return { items: [], message: 'No tags yet: write #tag in an article, or tags: [a, b] in its front matter.' };
    const items = tags.slice(0, TAGS_LIMIT).map((tag): TagsNode => ({ kind: 'tag', tag }));
    if (tags.length > TAGS_LIMIT) return { items, description: `${TAGS_LIMIT}+`, message: `The ${TAGS_LIMIT} most used.` };
    return { items, description: String(tags.length) };
  }

  /** A tag's articles, asked when it is opened. */
  override async getChildren(node?: TagsNode): Promise<TagsNode[]> {
    if (node?.kind !== 'tag') return super.getChildren(node);
    try {
      const articles = await this.client.sendRequest(taggedRequest, { tag: node.tag.name });
      return articles.map((article) => ({ kind: 'article', tag: node.tag.name, article }));
    } catch (error) {
      this.log.warn(`Tags: ${errorText(error)}`);
      return [];
    }
  }

  getTreeItem(node: TagsNode): vscode.TreeItem {
    if (node.kind === 'tag') {
      const item = new vscode.TreeItem(`#${node.tag.name}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = String(node.tag.count);
      item.tooltip = `#${node.tag.name}: on ${node.tag.count} ${node.tag.count === 1 ? 'article' : 'articles'}`;
      item.iconPath = new vscode.ThemeIcon('tag');
      item.contextValue = 'linkedArticles.tag';
      return item;
    }
    const uri = this.client.protocol2CodeConverter.asUri(node.article.uri);
    const item = new vscode.TreeItem(node.article.title, vscode.TreeItemCollapsibleState.None);
    item.resourceUri = uri;
    item.description = vscode.workspace.asRelativePath(uri, false);
    item.tooltip = `${node.article.title} has #${node.tag}.\nClick to open it.`;
    item.iconPath = new vscode.ThemeIcon('file');
    item.command = { title: 'Open', command: 'vscode.open', arguments: [uri] };
    return item;
  }
}
