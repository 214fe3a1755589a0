// Naming and creating articles from the client: the wiki's file-naming convention, titles from file names.
import * as vscode from 'vscode';

const MARKDOWN = /\.(?:md|markdown|mdx)$/i;

/** The title a file name stands for: no extension, `_` read as a space (as the server reads it). */
export function titleFromUri(uri: vscode.Uri): string {
  const base = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  return decodeURIComponent(base).replace(MARKDOWN, '').replace(/_/g, ' ').trim();
}

export function isArticle(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' && document.uri.scheme === 'file';
}

/**
 * Whether the wiki writes spaces in file names as underscores (`Mutual_Aid.md`, as MediaWiki exports do):
 * decided by the majority of the multi-word file names, so one odd file does not flip the convention.
 */
export function prefersUnderscores(fileNames: Iterable<string>): boolean {
  let underscores = 0;
  let spaces = 0;
  for (const name of fileNames) {
    const stem = name.replace(MARKDOWN, '');
    if (stem.includes('_')) underscores++;
    else if (stem.includes(' ')) spaces++;
  }
  return underscores > spaces;
}

/** A file name for a title under the convention; characters no file system accepts become `-`. */
export function fileNameFor(title: string, underscores: boolean): string {
  let stem = title.trim().replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-');
  if (underscores) stem = stem.replace(/\s+/g, '_');
  return `${stem}.md`;
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
