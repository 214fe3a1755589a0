// Helpers shared by the end-to-end tests: waiting for a condition, opening fixture articles, the extension's API,
// and asking the runner (test/e2e/run.mjs) for a screenshot of the workbench.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LinkedArticlesApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'linked-articles.linked-articles';

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `condition` until it returns a truthy value, and fails with `what` (read at the time) after `timeoutMs`. */
export async function waitFor<T>(what: string | (() => string), condition: () => T | Promise<T>, timeoutMs = 15_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as Truthy<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The fixture wiki's folder (a fresh copy per run). */
export function wikiRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The end-to-end tests need the fixture wiki open as the workspace folder.');
  return folder.uri;
}

/** Opens an article of the fixture wiki in an editor. */
export async function openArticle(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(wikiRoot(), relativePath));
  // Not a preview: a preview tab is replaced by the next article opened, and the client drops its diagnostics.
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Asks run.mjs to save a screenshot of the workbench as docs/screenshots/<name>.png.
 * `selector`, if given, is a CSS selector of the workbench that must be visible first (for
 * example '.monaco-hover' or '.suggest-widget.visible'). Resolves once the file is written.
 * Outside run.mjs (say, under @vscode/test-electron) there is nobody to take it: a no-op.
 */
export async function screenshot(name: string, selector?: string): Promise<void> {
  const ackDir = process.env.LINKED_ARTICLES_E2E_ACK_DIR;
  if (!ackDir) return;
  if (!/^[\w.-]+$/.test(name)) throw new Error(`Screenshot names are file names: ${JSON.stringify(name)}`);
  const ack = path.join(ackDir, `${name}.ack`);
  fs.rmSync(ack, { force: true });
  console.log(`SCREENSHOT ${name}${selector ? ` ${selector}` : ''}`);
  await waitFor(`the screenshot ${name}`, () => fs.existsSync(ack), 30_000);
  const answer = fs.readFileSync(ack, 'utf8');
  if (answer !== 'ok') throw new Error(`Screenshot ${name} failed: ${answer}`);
}

/**
 * Asks the runner whether the workbench drew the image `selector` finds (loaded, with a size): what it drew, as
 * `{ src, width, height }`; throws when it did not within 10 s.
 */
export async function imageDrawn(name: string, selector: string): Promise<{ src: string; width: number; height: number }> {
  return JSON.parse(await askRunner('IMAGE-DRAWN', name, selector));
}

/**
 * The HTML of the elements `selector` finds in a webview's page (the markdown preview's), as the runner reads them from
 * the workbench's frames once one holds any; throws when none does within 15 s.
 */
export async function frameElements(name: string, selector: string): Promise<string[]> {
  return JSON.parse(await askRunner('FRAME-ELEMENTS', name, selector));
}

/**
 * Asks the runner to drag the Explorer's rows for these file names into the active editor with the mouse, shift held
 * (so the files are dropped into the text, not opened); resolves once the mouse is released.
 */
export async function dragIntoEditor(name: string, fileNames: string[]): Promise<void> {
  await askRunner('DRAG-INTO-EDITOR', name, fileNames.join('|'));
}

/** Asks the runner, which sees the workbench's page, to look for `selector`; its answer after `ok `, or an error. */
async function askRunner(command: string, name: string, selector: string): Promise<string> {
  const ackDir = process.env.LINKED_ARTICLES_E2E_ACK_DIR;
  if (!ackDir) throw new Error(`No runner to ask ${command}`);
  if (!/^[\w.-]+$/.test(name)) throw new Error(`Probe names are file names: ${JSON.stringify(name)}`);
  const ack = path.join(ackDir, `${name}.ack`);
  fs.rmSync(ack, { force: true });
  console.log(`${command} ${name} ${selector}`);
  await waitFor(`the runner to look for ${selector}`, () => fs.existsSync(ack), 30_000);
  const answer = fs.readFileSync(ack, 'utf8');
  if (!answer.startsWith('ok ')) throw new Error(`${command} ${selector}: ${answer}`);
  return answer.slice(3);
}

/** The extension's API once its language server has answered `initialize`. */
export async function extensionApi(): Promise<LinkedArticlesApi> {
  const extension = vscode.extensions.getExtension<LinkedArticlesApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in the extension host`);
  const api = await extension.activate();
  await api.ready;
  return api;
}

/** Waits until the server has built its index (its `linkedArticles/status` says ready). */
export async function indexReady(): Promise<LinkedArticlesApi> {
  const api = await extensionApi();
  await waitFor('the index to be ready', () => api.client.isRunning() && api.status().last?.state === 'ready', 30_000);
  return api;
}

/** The position of `needle` in the document, moved `offset` characters into it; fails if the text is absent. */
export function positionOf(document: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const at = document.getText().indexOf(needle);
  if (at < 0) throw new Error(`${JSON.stringify(needle)} is not in ${document.uri.fsPath}`);
  return document.positionAt(at + offset);
}

/** Plain text of hover contents, whatever shape each part has. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** A diagnostic's code as a string (codes may come as `{ value, target }`). */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' && code ? code.value : code);
}

export function fileUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(wikiRoot(), relativePath);
}

/** Saves every document with unsaved changes, one by one (workspace.saveAll left a file created by an edit dirty). */
export async function saveDirtyDocuments(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && !(await document.save())) throw new Error(`Could not save ${document.uri.fsPath}`);
  }
}

/**
 * Throws away an article's unsaved edits, whatever has the focus (a view, the graph's panel: the revert command acts
 * on the active editor), and waits until the document is clean, so the next test finds it as it is on disk.
 */
export async function revert(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor(`${path.basename(document.uri.fsPath)} to be reverted`, () => !document.isDirty);
}
