// The graph view: a webview panel beside the editor showing the active article's local graph (dist/graph.js draws it).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isArticle, titleFromUri } from './articles';
import { errorText } from './backlinksView';
import { graphRequest, type GraphResult } from './protocol';

/** What the page reports back once it has drawn a graph: how many nodes and edges are on the page; `settled` once the layout has come to rest. */
export interface GraphRendered {
  nodes: number;
  edges: number;
  settled?: boolean;
}

export class GraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The article shown, and its graph as last sent: the page knows nodes by index, the URIs stay here. */
  article: vscode.Uri | undefined;
  shown: GraphResult | undefined;
  rendered: GraphRendered | undefined;
  private depth: number | undefined;
  private generation = 0;

  constructor(
    private readonly client: LanguageClient,
    private readonly extensionUri: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  show(article: vscode.Uri | undefined): void {
    if (article) this.article = article;
    if (this.panel) this.panel.reveal(undefined, true);
    else this.panel = this.createPanel();
    void this.refresh();
  }

  /** Follows the active editor while the panel is open. */
  follow(editor: vscode.TextEditor | undefined): void {
    if (!this.panel || !editor || !isArticle(editor.document)) return;
    if (this.article?.toString() === editor.document.uri.toString()) return;
    this.article = editor.document.uri;
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const panel = this.panel;
    const article = this.article;
    if (!panel) return;
    if (!article) {
      void panel.webview.postMessage({ type: 'status', text: 'Open an article to see its graph.' });
      return;
    }
    const config = vscode.workspace.getConfiguration('linkedArticles.graph', article);
    const depth = this.depth ?? config.get<number>('depth', 1);
    const generation = ++this.generation;
    panel.title = `Graph: ${titleFromUri(article)}`;
    try {
      const graph = await this.client.sendRequest(graphRequest, {
        uri: this.client.code2ProtocolConverter.asUri(article),
        depth,
        maxNodes: config.get<number>('maxNodes', 150),
        missing: config.get<boolean>('showMissing', true),
      });
      // A newer request (another article, another depth) has been sent meanwhile: its answer is the one to show.
      if (generation !== this.generation || this.panel !== panel) return;
      if (!graph) {
        this.shown = undefined;
        void panel.webview.postMessage({ type: 'status', text: 'This file is not an article of the wiki.' });
        return;
      }
      this.shown = graph;
      this.rendered = undefined;
      const nodes = graph.nodes.map((n) => ({ title: n.title, depth: n.depth, incoming: n.incoming, missing: !n.uri }));
      void panel.webview.postMessage({ type: 'graph', nodes, edges: graph.edges, truncated: graph.truncated, depth });
    } catch (error) {
      this.output.warn(`Graph of ${article.fsPath}: ${errorText(error)}`);
      void panel.webview.postMessage({ type: 'status', text: `The graph could not be made: ${errorText(error)}` });
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private createPanel(): vscode.WebviewPanel {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('linkedArticles.graph', 'Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
      retainContextWhenHidden: false,
    });
    panel.webview.html = page(panel.webview, vscode.Uri.joinPath(dist, 'graph.js'));
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    panel.webview.onDidReceiveMessage((m: unknown) => this.received(m));
    return panel;
  }

  /** Messages from the page: it is ours, but what it sends is checked as any input (an index must name a node). */
  private received(m: unknown): void {
    if (!m || typeof m !== 'object') return;
    const message = m as { type?: unknown; index?: unknown; depth?: unknown; nodes?: unknown; edges?: unknown };
    if (message.type === 'ready') void this.refresh();
    else if (message.type === 'rendered' && typeof message.nodes === 'number' && typeof message.edges === 'number') this.rendered = { nodes: message.nodes, edges: message.edges };
    else if (message.type === 'settled' && this.rendered) this.rendered = { ...this.rendered, settled: true };
    else if (message.type === 'depth' && (message.depth === 1 || message.depth === 2 || message.depth === 3)) {
      this.depth = message.depth;
      void this.refresh();
    } else if (message.type === 'open' && typeof message.index === 'number') {
      const node = this.shown?.nodes[message.index];
      if (!node) return;
      if (node.uri) void vscode.window.showTextDocument(this.client.protocol2CodeConverter.asUri(node.uri), { viewColumn: vscode.ViewColumn.One });
      else void vscode.commands.executeCommand('linkedArticles.createArticle', node.title, this.article);
    }
  }
}

function page(webview: vscode.Webview, script: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  // No inline script and nothing from the workspace in the markup: titles reach the page as data and become text.
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">
  html, body { height: 100%; margin: 0; overflow: hidden; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  header { position: absolute; top: 6px; left: 10px; display: flex; gap: 12px; align-items: center; }
  select { background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground); border: 1px solid var(--vscode-dropdown-border); }
  #status { opacity: 0.8; }
  svg { width: 100%; height: 100%; cursor: grab; }
  .edges line { stroke: var(--vscode-foreground); stroke-opacity: 0.25; }
  .arrow { fill: var(--vscode-foreground); fill-opacity: 0.45; }
  .node { cursor: pointer; }
  .node circle { fill: var(--vscode-textLink-foreground); stroke: var(--vscode-editor-background); stroke-width: 1.5; }
  .node.depth-2 circle, .node.depth-3 circle { fill-opacity: 0.6; }
  .node.center circle { fill: var(--vscode-charts-orange, var(--vscode-textLink-activeForeground)); }
  .node.missing circle { fill: none; stroke: var(--vscode-errorForeground); stroke-dasharray: 3 2; }
  .node text { fill: var(--vscode-foreground); font-size: 11px; text-anchor: middle; pointer-events: none; }
  .node.depth-2 text, .node.depth-3 text { opacity: 0.7; }
  .node:focus { outline: none; }
  .node:focus circle, .node:hover circle { stroke: var(--vscode-focusBorder); stroke-width: 3; }
</style>
<title>Graph</title>
</head>
<body>
<header><label>Steps out <select id="depth" aria-label="How many links away"><option value="1">1</option><option value="2">2</option><option value="3">3</option></select></label><span id="status" role="status">Loading…</span></header>
<svg id="graph" role="group" aria-label="The articles linked with this one"></svg>
<script nonce="${nonce}" src="${webview.asWebviewUri(script)}"></script>
</body>
</html>`;
}
