// The Backlinks view in the Explorer: who links to the active article, the sentences with the links, and unlinked mentions.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ArticleViewProvider, mentionsSection, titleFromUri } from './articles';
import { backlinksRequest, unlinkedMentionsRequest, type BacklinkItem as Backlink, type UnlinkedMention } from './protocol';

export type BacklinksNode =
  | { kind: 'source'; uri: vscode.Uri; title: string; links: Backlink[] }
  | { kind: 'link'; link: Backlink }
  | { kind: 'mentions'; mentions: UnlinkedMention[] }
  | { kind: 'mention'; mention: UnlinkedMention };

export class BacklinksProvider extends ArticleViewProvider<BacklinksNode> {
  constructor(
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {
    super();
  }

  async getChildren(node?: BacklinksNode): Promise<BacklinksNode[]> {
    if (node?.kind === 'source') return node.links.map((link) => ({ kind: 'link', link }));
    if (node?.kind === 'mentions') return node.mentions.map((mention) => ({ kind: 'mention', mention }));
    if (node) return [];
    const article = this.article;
    this.setHeader(article, undefined);
    if (!article) return [];
    const params = { uri: this.client.code2ProtocolConverter.asUri(article) };
    let links: Backlink[] | null;
    let mentions: UnlinkedMention[] | null;
    try {
      // Unlinked mentions are a second, independent feature: a server without them still shows backlinks.
      [links, mentions] = await Promise.all([
        this.client.sendRequest(backlinksRequest, params),
        this.client.sendRequest(unlinkedMentionsRequest, params).catch((error: unknown) => {
          this.output.warn(`Unlinked mentions of ${article.fsPath}: ${errorText(error)}`);
          return [];
        }),
      ]);
    } catch (error) {
      // Also the path while the server restarts after a crash: the view asks again once it runs (see extension.ts).
      this.output.warn(`Backlinks of ${article.fsPath}: ${errorText(error)}`);
      if (this.view) this.view.message = `Backlinks are not available: ${errorText(error)}`;
      return [];
    }
    if (article !== this.article) return []; // a newer article is on its way
    if (!links) {
      // The server answers null for a document it does not count as an article (outside the folders, excluded).
      if (this.view) this.view.message = `${titleFromUri(article)} is not part of the wiki.`;
      return [];
    }
    const bySource = new Map<string, Backlink[]>();
    for (const link of links) {
      const list = bySource.get(link.uri);
      if (list) list.push(link);
      else bySource.set(link.uri, [link]);
    }
    const sources = [...bySource.entries()].map(([source, list]) => ({
      kind: 'source' as const,
      uri: this.client.protocol2CodeConverter.asUri(source),
      title: list[0].title || titleFromUri(this.client.protocol2CodeConverter.asUri(source)),
      links: list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character),
    }));
    const nodes: BacklinksNode[] = sources.sort((a, b) => a.title.localeCompare(b.title));
    if (mentions?.length) nodes.push({ kind: 'mentions', mentions });
    this.setHeader(article, bySource.size);
    return nodes;
  }

  getTreeItem(node: BacklinksNode): vscode.TreeItem {
    switch (node.kind) {
      case 'source': {
        const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.Expanded);
        // The theme's icon for the file: an expandable item with a resourceUri would get a folder icon.
        item.resourceUri = node.uri;
        item.iconPath = vscode.ThemeIcon.File;
        item.description = node.links.length === 1 ? vscode.workspace.asRelativePath(node.uri) : `${node.links.length} links · ${vscode.workspace.asRelativePath(node.uri)}`;
        item.contextValue = 'linkedArticles.backlinkSource';
        item.command = { title: 'Open', command: 'vscode.open', arguments: [node.uri] };
        return item;
      }
      case 'link': {
        const uri = this.client.protocol2CodeConverter.asUri(node.link.uri);
        const range = this.client.protocol2CodeConverter.asRange(node.link.range);
        const item = new vscode.TreeItem(oneLine(node.link.sentence) || `line ${range.start.line + 1}`, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.link.sentence;
        item.description = node.link.via ? `line ${range.start.line + 1}, through the redirect ${node.link.via}` : `line ${range.start.line + 1}`;
        item.iconPath = new vscode.ThemeIcon('link');
        item.contextValue = 'linkedArticles.backlink';
        item.command = { title: 'Go to the link', command: 'vscode.open', arguments: [uri, { selection: range } satisfies vscode.TextDocumentShowOptions] };
        return item;
      }
      case 'mentions':
        return mentionsSection(node.mentions.length, 'Places where the title or an alias of this article appears as plain text, not as a link', vscode.TreeItemCollapsibleState.Collapsed, 'linkedArticles.unlinkedMentions');
      case 'mention': {
        const uri = this.client.protocol2CodeConverter.asUri(node.mention.uri);
        const range = this.client.protocol2CodeConverter.asRange(node.mention.range);
        const item = new vscode.TreeItem(oneLine(node.mention.context || node.mention.text), vscode.TreeItemCollapsibleState.None);
        item.description = `${titleFromUri(uri)}, line ${range.start.line + 1}`;
        item.tooltip = node.mention.context || node.mention.text;
        item.iconPath = new vscode.ThemeIcon('text-size');
        item.contextValue = 'linkedArticles.unlinkedMention';
        item.command = { title: 'Go to the mention', command: 'vscode.open', arguments: [uri, { selection: range } satisfies vscode.TextDocumentShowOptions] };
        return item;
      }
    }
  }

  private setHeader(article: vscode.Uri | undefined, sources: number | undefined): void {
    // Chooses the view's welcome text (package.json, viewsWelcome).
    void vscode.commands.executeCommand('setContext', 'linkedArticles.backlinks.hasArticle', !!article);
    if (!this.view) return;
    this.view.description = article ? titleFromUri(article) : undefined;
    if (article && sources === 0) this.view.message = `No article links to ${titleFromUri(article)} yet.`;
    else this.view.message = undefined;
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
