// The VS Code side of Linked Articles: starts the bundled language server (dist/server.js)
// and hands the running client to the features that need it. Kept thin on purpose: the
// language lives in the server; views, status bar and commands plug in after `start`.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ErrorAction,
  LanguageClient,
  ReferencesRequest,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { createArticle, isArticle } from './articles';
import { BacklinksProvider, errorText, type BacklinksNode } from './backlinksView';
import { DropLinks } from './drop';
import { GraphPanel } from './graphView';
import { PreviewLinks } from './preview';
import type MarkdownIt from 'markdown-it';
import { OrphansProvider } from './orphansView';
import { OutgoingProvider, type OutgoingNode } from './outgoingView';
import { CATEGORIES, GroupsProvider, TAGS } from './groupsView';
import { graphChangedNotification, linkToHereRequest, rebuildIndexRequest, statusNotification, type StatusParams } from './protocol';
import { SERVER_ENV, SERVER_EXEC_ARGV } from './serverLaunch';
import { StatusBar } from './statusBar';
import { WantedProvider } from './wantedView';

/** What `activate` returns: tests and other extensions wait on `ready` before using the client. */
export interface LinkedArticlesApi {
  readonly client: LanguageClient;
  /** Resolves once the server has answered `initialize`; rejects if it could not be started. */
  readonly ready: Promise<void>;
  readonly backlinks: BacklinksProvider;
  readonly outgoing: OutgoingProvider;
  readonly wanted: WantedProvider;
  readonly orphans: OrphansProvider;
  readonly tags: GroupsProvider;
  readonly categories: GroupsProvider;
  readonly graph: GraphPanel;
  readonly previewLinks: PreviewLinks;
  readonly drop: DropLinks;
  /** VS Code's markdown preview asks for this (`markdown.markdownItPlugins`): it draws `[[…]]` as links. */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
  /** The last `linkedArticles/status` the server sent, the status bar's text, and how many indexes were completed. */
  status(): { last: StatusParams | undefined; text: string; builds: number };
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): LinkedArticlesApi {
  // A log channel, so the client's own messages carry levels and time stamps; the
  // `linkedArticles.trace.server` setting adds the LSP traffic to it.
  const output = vscode.window.createOutputChannel('Linked Articles', { log: true });
  context.subscriptions.push(output);
  try {
    return start(context, output);
  } catch (error) {
    // An exception out of `activate` is only logged by VS Code where nobody looks: tell the user.
    showFailure(output, 'Linked Articles could not be activated', error);
    throw error;
  }
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}

function start(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LinkedArticlesApi {
  const theClient = (client = createClient(context, output));
  const statusBar = new StatusBar();
  const backlinks = new BacklinksProvider(theClient, output);
  const wanted = new WantedProvider(theClient, output);
  const backlinksView = vscode.window.createTreeView('linkedArticles.backlinks', { treeDataProvider: backlinks, showCollapseAll: true });
  const outgoing = new OutgoingProvider(theClient, output);
  const outgoingView = vscode.window.createTreeView('linkedArticles.outgoing', { treeDataProvider: outgoing, showCollapseAll: true });
  outgoing.view = outgoingView;
  const wantedView = vscode.window.createTreeView('linkedArticles.wanted', { treeDataProvider: wanted });
  const orphans = new OrphansProvider(theClient, output);
  const orphansView = vscode.window.createTreeView('linkedArticles.orphans', { treeDataProvider: orphans });
  const tags = new GroupsProvider(theClient, output, TAGS);
  const tagsView = vscode.window.createTreeView('linkedArticles.tags', { treeDataProvider: tags, showCollapseAll: true });
  tags.view = tagsView;
  const categories = new GroupsProvider(theClient, output, CATEGORIES);
  const categoriesView = vscode.window.createTreeView('linkedArticles.categories', { treeDataProvider: categories, showCollapseAll: true });
  categories.view = categoriesView;
  backlinks.view = backlinksView;
  wanted.view = wantedView;
  orphans.view = orphansView;
  const graph = new GraphPanel(theClient, context.extensionUri, output);
  const previewLinks = new PreviewLinks(theClient, output);
  const drop = new DropLinks(theClient, output);
  context.subscriptions.push(vscode.languages.registerDocumentDropEditProvider({ language: 'markdown', scheme: 'file' }, drop));
  context.subscriptions.push(statusBar, backlinksView, outgoingView, wantedView, orphansView, tagsView, categoriesView, graph);

  // Typing in an article fires diagnostics for it, and so do changes elsewhere that the server
  // propagates: a quiet moment after them is when the views are worth asking again.
  const refreshBacklinks = debounce(() => {
    backlinks.refresh();
    outgoing.refresh();
  }, 300);
  // Both lists are about the whole wiki; the server remembers what an edit left as it was, so asking again is cheap.
  const refreshWanted = debounce(() => {
    wanted.refresh();
    orphans.refresh();
    tags.refresh();
    categories.refresh();
  }, 1000);
  const refreshGraph = debounce(() => void graph.refresh(), 1000);
  // After a pause in typing, as the server reads the edit: the previews that embed the article show its new text.
  const changedArticles = new Map<string, vscode.Uri>();
  const embedsChanged = debounce(() => {
    for (const uri of changedArticles.values()) previewLinks.embeddedChanged(uri);
    changedArticles.clear();
  }, 300);
  const refreshEmbeds = (uri: vscode.Uri) => {
    changedArticles.set(uri.toString(), uri);
    embedsChanged();
  };
  const refreshAll = () => {
    refreshBacklinks();
    refreshWanted();
  };
  context.subscriptions.push(
    refreshBacklinks,
    refreshWanted,
    refreshGraph,
    embedsChanged,
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      const backlinksMoved = backlinks.follow(editor);
      const outgoingMoved = outgoing.follow(editor);
      if (backlinksMoved || outgoingMoved) refreshBacklinks();
      graph.follow(editor);
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      // An article's problems change when where its links lead does (an article created, renamed, deleted).
      previewLinks.invalidate(e.uris);
      if (e.uris.some((uri) => /\.(?:md|markdown|mdx)$/i.test(uri.path))) refreshAll();
    }),
    vscode.workspace.onDidCloseTextDocument((document) => previewLinks.forget(document.uri)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) refreshEmbeds(e.document.uri);
    }),
    // The graph only when links changed, as the server tells: not after every keystroke's diagnostics.
    theClient.onNotification(graphChangedNotification, () => refreshGraph()),
    theClient.onNotification(statusNotification, (status) => {
      const previous = statusBar.last;
      statusBar.update(status);
      if (status.state === 'ready' && (previous?.state !== 'ready' || previous.articles !== status.articles)) refreshAll();
    }),
    // After a crash the client starts a new server, which builds its index again: the views had
    // errors or stale answers from the old one.
    theClient.onDidChangeState(({ newState }) => {
      if (newState === State.Running) refreshAll();
      else if (newState === State.Stopped) statusBar.stopped();
      else statusBar.starting();
    }),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand('linkedArticles.showBacklinks', async () => {
      backlinks.follow(vscode.window.activeTextEditor);
      backlinks.refresh();
      await vscode.commands.executeCommand('linkedArticles.backlinks.focus');
    }),
    vscode.commands.registerCommand('linkedArticles.showWantedArticles', async () => {
      wanted.refresh();
      await vscode.commands.executeCommand('linkedArticles.wanted.focus');
    }),
    vscode.commands.registerCommand('linkedArticles.showGraph', () => {
      const editor = vscode.window.activeTextEditor;
      graph.show(editor && isArticle(editor.document) ? editor.document.uri : undefined);
    }),
    // Obsidian's "Copy link to heading" and "Copy link to block": the link is the server's (the wiki's syntax, a new
    // block id added to the paragraph first); returned too, for tests and other extensions.
    vscode.commands.registerCommand('linkedArticles.copyLink', async (): Promise<string | undefined> => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isArticle(editor.document)) return undefined;
      try {
        const c2p = theClient.code2ProtocolConverter;
        const result = await theClient.sendRequest(linkToHereRequest, { uri: c2p.asUri(editor.document.uri), position: c2p.asPosition(editor.selection.active) });
        if (!result) {
          void vscode.window.showWarningMessage('No link was copied: this file is not an article of the wiki, or the paragraph could not be given its id.');
          return undefined;
        }
        await vscode.env.clipboard.writeText(result.link);
        vscode.window.setStatusBarMessage(`Copied ${result.link}`, 5000);
        return result.link;
      } catch (error) {
        showFailure(output, 'Could not copy a link', error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('linkedArticles.refreshBacklinks', () => backlinks.refresh()),
    vscode.commands.registerCommand('linkedArticles.showOutgoingLinks', async () => {
      outgoing.follow(vscode.window.activeTextEditor);
      outgoing.refresh();
      await vscode.commands.executeCommand('linkedArticles.outgoing.focus');
    }),
    vscode.commands.registerCommand('linkedArticles.refreshOutgoing', () => outgoing.refresh()),
    // The section's action: the server's command (registered by the language client under its own name) links the
    // first mention of each article at once.
    vscode.commands.registerCommand('linkedArticles.linkEachFirstMention', async (node?: OutgoingNode) => {
      const article = node?.article ?? outgoing.article;
      if (!article) return undefined;
      try {
        const result = await vscode.commands.executeCommand<{ applied: boolean; linked: number }>('linkedArticles.linkFirstMentions', { uri: theClient.code2ProtocolConverter.asUri(article) });
        refreshBacklinks();
        if (result?.applied) vscode.window.setStatusBarMessage(result.linked === 1 ? 'Linked the first mention of 1 article' : `Linked the first mention of ${result.linked} articles`, 5000);
        return result;
      } catch (error) {
        showFailure(output, 'Could not link the mentions', error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('linkedArticles.linkOutgoingMention', async (node?: OutgoingNode) => {
      if (node?.kind !== 'mention') return;
      try {
        // The server's own command writes the link in the article's style, to the page the words name.
        await vscode.commands.executeCommand('linkedArticles.linkMention', {
          uri: theClient.code2ProtocolConverter.asUri(node.article),
          range: node.place.range,
          target: node.place.target,
        });
        refreshBacklinks();
      } catch (error) {
        showFailure(output, 'Could not link the mention', error);
      }
    }),
    vscode.commands.registerCommand('linkedArticles.refreshWanted', () => wanted.refresh()),
    vscode.commands.registerCommand('linkedArticles.showOrphanedArticles', async () => {
      orphans.refresh();
      await vscode.commands.executeCommand('linkedArticles.orphans.focus');
    }),
    vscode.commands.registerCommand('linkedArticles.refreshOrphans', () => orphans.refresh()),
    vscode.commands.registerCommand('linkedArticles.refreshTags', () => tags.refresh()),
    vscode.commands.registerCommand('linkedArticles.refreshCategories', () => categories.refresh()),
    vscode.commands.registerCommand('linkedArticles.linkUnlinkedMention', async (node?: BacklinksNode) => {
      if (node?.kind !== 'mention' || !backlinks.article) return;
      try {
        // The server's own command (registered by the language client) writes the link in the wiki's style.
        await vscode.commands.executeCommand('linkedArticles.linkMention', {
          uri: node.mention.uri,
          range: node.mention.range,
          target: theClient.code2ProtocolConverter.asUri(backlinks.article),
        });
        refreshBacklinks();
      } catch (error) {
        showFailure(output, 'Could not link the mention', error);
      }
    }),
    vscode.commands.registerCommand('linkedArticles.createArticle', async (title?: unknown, near?: unknown) => {
      let name = typeof title === 'string' ? title : undefined;
      if (name === undefined) {
        const editor = vscode.window.activeTextEditor;
        const selected = editor && isArticle(editor.document) ? editor.document.getText(editor.selection).trim() : '';
        name = await vscode.window.showInputBox({
          title: 'Create Article',
          prompt: 'The title of the new article',
          value: selected.includes('\n') ? '' : selected,
          validateInput: (v) => (v.trim() ? undefined : 'An article needs a title.'),
        });
        if (!name?.trim()) return undefined;
      }
      const nearUri = typeof near === 'string' ? vscode.Uri.parse(near) : near instanceof vscode.Uri ? near : undefined;
      try {
        return await createArticle(name, nearUri);
      } catch (error) {
        showFailure(output, `Could not create the article ${name}`, error);
        return undefined;
      }
    }),
    // A code lens's command: the links it counted, asked of our server alone (VS Code's own markdown extension
    // answers references on headings too, and its answers would be mixed in), shown in a peek at the lens and
    // returned (to a test, say).
    // The lens does not count the links of the article in `exclude` (the whole article for the title's backlinks, its
    // table of contents for a section's): nor does the peek show them.
    vscode.commands.registerCommand('linkedArticles.showReferences', async (uri: unknown, position: unknown, exclude: unknown) => {
      if (typeof uri !== 'string' || !isPosition(position)) return [];
      try {
        const found = await theClient.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: false } });
        const p2c = theClient.protocol2CodeConverter;
        const left = Array.isArray(exclude) ? exclude.filter(isRange).map((r) => p2c.asRange(r)) : [];
        const here = vscode.Uri.parse(uri).toString();
        const locations = ((await p2c.asReferences(found)) ?? []).filter((l) => l.uri.toString() !== here || !left.some((r) => r.contains(l.range)));
        await vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), new vscode.Position(position.line, position.character), locations);
        return locations;
      } catch (error) {
        showFailure(output, 'Could not show the links', error);
        return [];
      }
    }),
    vscode.commands.registerCommand('linkedArticles.rebuildIndex', async () => {
      try {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Linked Articles: rebuilding the index' },
          () => theClient.sendRequest(rebuildIndexRequest),
        );
        refreshAll();
      } catch (error) {
        showFailure(output, 'Could not rebuild the index', error);
      }
    }),
  );

  // The storage folder may not exist yet, and the server must not have to guess whether it may create it.
  const storage = storageFolder(context);
  const prepared = Promise.resolve(vscode.workspace.fs.createDirectory(storage)).catch((error: unknown) => {
    output.warn(`Could not create the storage folder ${storage.fsPath}: ${errorText(error)}`);
  });
  const ready = prepared.then(() => theClient.start()).catch((error: unknown) => {
    statusBar.stopped();
    showFailure(output, 'Linked Articles: the language server could not start', error);
    throw error;
  });
  // The promise is also returned to callers; this keeps an unobserved failure from being reported twice.
  ready.catch(() => undefined);

  return {
    client: theClient,
    ready,
    backlinks,
    outgoing,
    wanted,
    orphans,
    tags,
    categories,
    graph,
    previewLinks,
    drop,
    extendMarkdownIt: (md) => previewLinks.extend(md),
    status: () => ({ last: statusBar.last, text: statusBar.text, builds: statusBar.builds }),
  };
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV, env: SERVER_ENV } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'], env: SERVER_ENV } },
  };

  // Articles that are not open still change on disk (git checkout, another editor): the server
  // hears of those through watched-file events; settings are pulled by the server, not pushed.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.md');
  context.subscriptions.push(watcher);

  // Whether to restart a server that stopped: the library's own rule (up to five times in three minutes).
  let restarts: ErrorHandler | undefined;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'markdown' }],
    synchronize: { fileEvents: watcher },
    outputChannel: output,
    // The library's default shuts the client down, for good, at the fourth failed write in a row. A server that dies
    // while the editor still has messages for it (a hover, a keystroke, a view's refresh) fails each of them with
    // EPIPE, so the restart that its closing would have brought never came, and every feature stayed dead until VS
    // Code was restarted (an end-to-end run in CI; reproduced with a burst of requests right after a kill). A write
    // error alone is never a reason to stop: the connection's close, which follows a dead server, decides.
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue, handled: true }),
      closed: () => restarts!.closed(),
    },
    // The server keeps its on-disk index cache here: per workspace when there is one.
    // VS Code draws a hover's images, so an image link's hover can show the picture.
    // The grammar (syntaxes/) colours links, tags and footnotes here: the server's semantic tokens would recolour them.
    initializationOptions: { storagePath: storageFolder(context).fsPath, imagePreviews: true, semanticTokens: false },
  };

  // The id `linkedArticles` makes the client read the `linkedArticles.trace.server` setting.
  const client = new LanguageClient('linkedArticles', 'Linked Articles', serverOptions, clientOptions);
  restarts = client.createDefaultErrorHandler();
  return client;
}

function storageFolder(context: vscode.ExtensionContext): vscode.Uri {
  return context.storageUri ?? context.globalStorageUri;
}

function showFailure(output: vscode.LogOutputChannel, what: string, error: unknown): void {
  const message = errorText(error);
  output.error(`${what}: ${error instanceof Error && error.stack ? error.stack : message}`);
  void vscode.window.showErrorMessage(`${what}: ${message}`, 'Show Log').then((choice) => choice && output.show());
}

/** A function that runs `fn` once calls have stopped for `ms`; disposing it drops a pending call. */
function debounce(fn: () => void, ms: number): (() => void) & vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const debounced = () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
  return Object.assign(debounced, { dispose: () => clearTimeout(timer) });
}

function isRange(r: unknown): r is { start: { line: number; character: number }; end: { line: number; character: number } } {
  return !!r && isPosition((r as { start?: unknown }).start) && isPosition((r as { end?: unknown }).end);
}

function isPosition(p: unknown): p is { line: number; character: number } {
  return !!p && typeof (p as { line?: unknown }).line === 'number' && typeof (p as { character?: unknown }).character === 'number';
}
