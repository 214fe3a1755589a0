// The Outgoing Links view in the Explorer: what the active article links to, and the other articles its text names without a link.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ArticleViewProvider, mentionsSection, titleFromUri } from './articles';
import { errorText, oneLine } from './backlinksView';
import { outgoingRequest, type OutgoingLinkItem, type OutgoingMentionItem, type OutgoingResult } from './protocol';

export type OutgoingNode =
  | { kind: 'target'; link: OutgoingLinkItem; article: vscode.Uri }
  | { kind: 'link'; range: vscode.Range; article: vscode.Uri }
  | { kind: 'mentions'; mentions: OutgoingMentionItem[]; article: vscode.Uri }
  | { kind: 'mentioned'; mention: OutgoingMentionItem; article: vscode.Uri; expanded: boolean }
  | { kind: 'mention'; place: OutgoingMentionItem['places'][number]; mention: OutgoingMentionItem; article: vscode.Uri };

/** Up to this many articles named unlinked, each opens to its places. */
const EXPANDED_UP_TO = 5;

export class OutgoingProvider extends ArticleViewProvider<OutgoingNode> {
  /** The last answer shown, for tests. */
  last: OutgoingResult | null | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {
    super();
  }

  override refresh(): void {
    this.roots = undefined;
    super.refresh();
  }

  /**
   * The same objects for the same answer, and each node's parent: `reveal` walks up with getParent and finds the
   * nodes again among the children the tree already has, by identity.
   */
  private roots: Promise<OutgoingNode[]> | undefined;
  private readonly children = new WeakMap<OutgoingNode, OutgoingNode[]>();
  private readonly parents = new WeakMap<OutgoingNode, OutgoingNode>();

  async getChildren(node?: OutgoingNode): Promise<OutgoingNode[]> {
    if (!node) return (this.roots ??= this.fetch());
    let known = this.children.get(node);
    if (!known) {
      known = this.childrenOf(node);
      for (const child of known) this.parents.set(child, node);
      this.children.set(node, known);
    }
    return known;
  }

  getParent(node: OutgoingNode): OutgoingNode | undefined {
    return this.parents.get(node);
  }

  private childrenOf(node: OutgoingNode): OutgoingNode[] {
    if (node.kind === 'target') return node.link.ranges.map((r) => ({ kind: 'link', range: this.client.protocol2CodeConverter.asRange(r), article: node.article }));
    // A few articles named: their places shown at once, as Obsidian's pane shows them.
    if (node.kind === 'mentions') return node.mentions.map((mention) => ({ kind: 'mentioned', mention, article: node.article, expanded: node.mentions.length <= EXPANDED_UP_TO }));
    if (node.kind === 'mentioned') return node.mention.places.map((place) => ({ kind: 'mention', place, mention: node.mention, article: node.article }));
    return [];
  }

  private async fetch(): Promise<OutgoingNode[]> {
    const article = this.article;
    void vscode.commands.executeCommand('setContext', 'linkedArticles.outgoing.hasArticle', !!article);
    if (this.view) {
      this.view.description = article ? titleFromUri(article) : undefined;
      this.view.message = undefined;
    }
    if (!article) return [];
    let found: OutgoingResult | null;
    try {
      found = await this.client.sendRequest(outgoingRequest, { uri: this.client.code2ProtocolConverter.asUri(article) });
    } catch (error) {
      this.output.warn(`Outgoing links of ${article.fsPath}: ${errorText(error)}`);
      if (this.view) this.view.message = `Outgoing links are not available: ${errorText(error)}`;
      return [];
    }
    if (article !== this.article) return []; // a newer article is on its way
    this.last = found;
    if (!found) {
      if (this.view) this.view.message = `${titleFromUri(article)} is not part of the wiki.`;
      return [];
    }
    const nodes: OutgoingNode[] = found.links.map((link) => ({ kind: 'target', link, article }));
    if (found.mentions.length) nodes.push({ kind: 'mentions', mentions: found.mentions, article });
    if (this.view) {
      if (!found.complete) this.view.message = 'The search for unlinked mentions stopped part way: the article is long.';
      else if (nodes.length === 0) this.view.message = `${titleFromUri(article)} links to no other article, and names none.`;
    }
    return nodes;
  }

  getTreeItem(node: OutgoingNode): vscode.TreeItem {
    const p2c = this.client.protocol2CodeConverter;
    switch (node.kind) {
      case 'target': {
        const several = node.link.ranges.length > 1;
        const item = new vscode.TreeItem(node.link.title, several ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        const first = p2c.asRange(node.link.ranges[0]);
        const count = several ? `${node.link.ranges.length} links · ` : '';
        if (node.link.uri) {
          const uri = p2c.asUri(node.link.uri);
          item.resourceUri = uri;
          item.iconPath = vscode.ThemeIcon.File;
          item.description = `${count}${vscode.workspace.asRelativePath(uri)}`;
          item.command = { title: 'Open', command: 'vscode.open', arguments: [uri] };
          item.contextValue = 'linkedArticles.outgoingTarget';
        } else {
          // A missing article: its link, where the quick fix that creates it is.
          item.iconPath = new vscode.ThemeIcon('warning');
          item.description = `${count}missing`;
          item.tooltip = `No article is named ${node.link.title}`;
          item.command = { title: 'Go to the link', command: 'vscode.open', arguments: [node.article, { selection: first } satisfies vscode.TextDocumentShowOptions] };
          item.contextValue = 'linkedArticles.outgoingMissing';
        }
        return item;
      }
      case 'link': {
        const line = vscode.workspace.textDocuments.find((d) => d.uri.toString() === node.article.toString())?.lineAt(node.range.start.line).text;
        const item = new vscode.TreeItem(oneLine(line ?? '') || `line ${node.range.start.line + 1}`, vscode.TreeItemCollapsibleState.None);
        item.description = `line ${node.range.start.line + 1}`;
        item.iconPath = new vscode.ThemeIcon('link');
        item.command = { title: 'Go to the link', command: 'vscode.open', arguments: [node.article, { selection: node.range } satisfies vscode.TextDocumentShowOptions] };
        return item;
      }
      case 'mentions':
        return mentionsSection(node.mentions.length, 'Other articles this one names in its text without linking to them', vscode.TreeItemCollapsibleState.Expanded, 'linkedArticles.outgoingMentions');
      case 'mentioned': {
        const uri = p2c.asUri(node.mention.uri);
        const item = new vscode.TreeItem(node.mention.title, node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.resourceUri = uri;
        item.iconPath = vscode.ThemeIcon.File;
        item.description = node.mention.count === 1 ? '1 mention' : `${node.mention.count} mentions`;
        item.tooltip = `${node.mention.title} (${vscode.workspace.asRelativePath(uri)}) is named here without a link`;
        item.contextValue = 'linkedArticles.outgoingMentioned';
        // Where it is first named here, the place to link it, as Obsidian's pane goes to a mention.
        const first = p2c.asRange(node.mention.places[0].range);
        item.command = { title: 'Go to the first mention', command: 'vscode.open', arguments: [node.article, { selection: first } satisfies vscode.TextDocumentShowOptions] };
        return item;
      }
      case 'mention': {
        const range = p2c.asRange(node.place.range);
        const item = new vscode.TreeItem(oneLine(node.place.context || node.place.text), vscode.TreeItemCollapsibleState.None);
        item.description = `“${oneLine(node.place.text)}”, line ${range.start.line + 1}`;
        item.tooltip = node.place.context || node.place.text;
        item.iconPath = new vscode.ThemeIcon('text-size');
        item.contextValue = 'linkedArticles.outgoingMention';
        item.command = { title: 'Go to the mention', command: 'vscode.open', arguments: [node.article, { selection: range } satisfies vscode.TextDocumentShowOptions] };
        return item;
      }
    }
  }
}
