// Helpers shared by the end-to-end tests: waiting for a condition, opening fixture articles,
// and asking the runner (test/e2e/run.mjs) for a screenshot of the workbench.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'linked-articles.linked-articles';

/** Polls `condition` until it returns a truthy value, and fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, condition: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
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
  return vscode.window.showTextDocument(document);
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
