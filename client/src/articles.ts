// Naming and creating articles from the client: the wiki's file-naming convention, titles from file names.
import * as vscode from 'vscode';
import { fileNameFor, prefersUnderscores, titleFromFileName } from './format';

/** The title a document's file name stands for. */
export function titleFromUri(uri: vscode.Uri): string {
  return titleFromFileName(uri.path.slice(uri.path.lastIndexOf('/') + 1));
}

export function isArticle(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' && document.uri.scheme === 'file';
}

async function wikiUsesUnderscores(): Promise<boolean> {
  // A sample is enough to see a convention, and keeps this quick on a 50,000-article wiki.
  const files = await vscode.workspace.findFiles('**/*.{md,markdown}', '**/{node_modules,.git}/**', 2000);
  return prefersUnderscores(files.map((f) => f.path.slice(f.path.lastIndexOf('/') + 1)));
}

/**
 * Creates the article `title` (a level-1 heading with the title) next to `near` (an article that links to it),
 * or in the first workspace folder, and opens it. An existing file is opened, never overwritten.
 */
export async function createArticle(title: string, near?: vscode.Uri): Promise<vscode.Uri> {
  const folder = near ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('Open a folder (the wiki) first: a new article needs a place.');
  const uri = vscode.Uri.joinPath(folder, fileNameFor(title, await wikiUsesUnderscores()));
  const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
  if (!exists) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`# ${title.trim()}\n\n`));
  const editor = await vscode.window.showTextDocument(uri);
  const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  return uri;
}

/**
 * A view about the active article (Backlinks, Outgoing Links): it follows the active editor, and keeps the article
 * shown while the focus is on something that is not one (the output panel, a view).
 */
export abstract class ArticleViewProvider<T> implements vscode.TreeDataProvider<T> {
  protected readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  article: vscode.Uri | undefined;
  view: vscode.TreeView<T> | undefined;

  constructor() {
    const editor = vscode.window.activeTextEditor;
    if (editor && isArticle(editor.document)) this.article = editor.document.uri;
  }

  /** Follows the active editor; returns whether the article shown changed. */
  follow(editor: vscode.TextEditor | undefined): boolean {
    if (!editor || !isArticle(editor.document)) return false;
    if (this.article?.toString() === editor.document.uri.toString()) return false;
    this.article = editor.document.uri;
    return true;
  }

  refresh(): void {
    this.changed.fire();
  }

  abstract getChildren(node?: T): Promise<T[]>;
  abstract getTreeItem(node: T): vscode.TreeItem;
}

/** The "Unlinked mentions" section of a view about the article (Backlinks, Outgoing Links), with how many beside it. */
export function mentionsSection(count: number, tooltip: string, state: vscode.TreeItemCollapsibleState, contextValue: string): vscode.TreeItem {
  const item = new vscode.TreeItem('Unlinked mentions', state);
  item.description = String(count);
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon('search');
  item.contextValue = contextValue;
  return item;
}
