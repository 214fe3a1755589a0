// The Tags and Categories views in the Explorer: the wiki's tags (or MediaWiki categories), most used first, each opening to its articles; a click opens one.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorText } from './backlinksView';
import { ServerListProvider } from './listView';
import { nestGroups, type GroupsNode } from './format';
import { categoriesRequest, categoryMembersRequest, taggedRequest, tagsRequest, type TaggedItem, type TagItem } from './protocol';

/** As many groups as a reader would scroll through; the view says when there are more. */
export const GROUPS_LIMIT = 1000;

/** What tells the two views apart: their requests and words. */
export interface GroupKind {
  /** The view's name in messages. */
  what: string;
  list: (client: LanguageClient, limit: number) => Promise<TagItem[]>;
  members: (client: LanguageClient, name: string) => Promise<TaggedItem[]>;
  /** The group as shown: `#anarchism`, `Anarchist Concepts`. */
  label: (name: string) => string;
  icon: string;
  empty: string;
  /** Names nest at `/` (`#history/russia` under `#history`), as Obsidian's and Foam's tag panes show them. */
  nests?: boolean;
}

export const TAGS: GroupKind = {
  what: 'Tags',
  list: (client, limit) => client.sendRequest(tagsRequest, { limit }),
  members: (client, tag) => client.sendRequest(taggedRequest, { tag }),
  label: (name) => `#${name}`,
  icon: 'tag',
  empty: 'No tags yet: write #tag in an article, or tags: [a, b] in its front matter.',
  nests: true,
};

export const CATEGORIES: GroupKind = {
  what: 'Categories',
  list: (client, limit) => client.sendRequest(categoriesRequest, { limit }),
  members: (client, category) => client.sendRequest(categoryMembersRequest, { category }),
  label: (name) => name,
  icon: 'symbol-folder',
  empty: 'No categories yet: put an article in one with [[Category:Name]].',
};

export class GroupsProvider extends ServerListProvider<GroupsNode> {
  constructor(
    client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly kind: GroupKind,
  ) {
    super(client, log, kind.what);
  }

  protected async fetch(): Promise<{ items: GroupsNode[]; description?: string; message?: string }> {
    // One more than shown tells whether the list was cut.
    const groups = await this.kind.list(this.client, GROUPS_LIMIT + 1);
    if (!groups.length) return { items: [], message: this.kind.empty };
    const shown = groups.slice(0, GROUPS_LIMIT);
    const items = this.kind.nests ? nestGroups(shown) : shown.map((group): GroupsNode => ({ kind: 'group', group, nested: [] }));
    if (groups.length > GROUPS_LIMIT) return { items, description: `${GROUPS_LIMIT}+`, message: `The ${GROUPS_LIMIT} most used.` };
    return { items, description: String(groups.length) };
  }

  /** A group's nested groups, then its articles, asked when it is opened. */
  override async getChildren(node?: GroupsNode): Promise<GroupsNode[]> {
    if (node?.kind !== 'group') return super.getChildren(node);
    if (!node.group.count) return node.nested;
    try {
      const articles = await this.kind.members(this.client, node.group.name);
      return [...node.nested, ...articles.map((article): GroupsNode => ({ kind: 'article', group: node.group.name, article }))];
    } catch (error) {
      this.log.warn(`${this.kind.what}: ${errorText(error)}`);
      return [];
    }
  }

  getTreeItem(node: GroupsNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const label = this.kind.label(node.group.name);
      // Nested, a group reads as its last part (`russia` under `#history`).
      const slash = this.kind.nests ? node.group.name.lastIndexOf('/') : -1;
      const item = new vscode.TreeItem(slash > 0 ? node.group.name.slice(slash + 1) : label, vscode.TreeItemCollapsibleState.Collapsed);
      if (node.group.count) item.description = String(node.group.count);
      item.tooltip = `${label}: ${node.group.count} ${node.group.count === 1 ? 'article' : 'articles'}${node.nested.length ? `, and ${node.nested.length} nested` : ''}`;
      item.iconPath = new vscode.ThemeIcon(this.kind.icon);
      return item;
    }
    const uri = this.client.protocol2CodeConverter.asUri(node.article.uri);
    const item = new vscode.TreeItem(node.article.title, vscode.TreeItemCollapsibleState.None);
    item.resourceUri = uri;
    item.description = vscode.workspace.asRelativePath(uri, false);
    item.tooltip = `${node.article.title}: ${this.kind.label(node.group)}.\nClick to open it.`;
    item.iconPath = new vscode.ThemeIcon('file');
    item.command = { title: 'Open', command: 'vscode.open', arguments: [uri] };
    return item;
  }
}
