// Files dropped into an article (from the Explorer, with shift held): links to them as the article writes its links, as the server writes them.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { dropLinksRequest } from './protocol';

/**
 * VS Code's own markdown drop writes `[Name](path.md)` whatever the wiki writes; this offers the wiki's form
 * (`[[Title]]`, `![[map.png]]`, `[Title](Title.md "wikilink")`). When the server can link none of the files (outside
 * the wiki, a kind of file it does not link to) it offers nothing, and the editor's own drop is what happens.
 */
export class DropLinks implements vscode.DocumentDropEditProvider {
  /** What the last drop asked and got, for the end-to-end tests. */
  last: { uris: string[]; text: string | null } | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  async provideDocumentDropEdits(document: vscode.TextDocument, _position: vscode.Position, data: vscode.DataTransfer, token: vscode.CancellationToken): Promise<vscode.DocumentDropEdit | undefined> {
    const list = await data.get('text/uri-list')?.asString();
    if (!list || token.isCancellationRequested || !this.client.isRunning()) return undefined;
    // RFC 2483: one URI a line, `#` lines are comments.
    const uris = list.split(/\r?\n/).map((s) => s.trim()).filter((s) => s && !s.startsWith('#'));
    if (!uris.length) return undefined;
    const asUri = (u: vscode.Uri) => this.client.code2ProtocolConverter.asUri(u);
    try {
      const params = { uri: asUri(document.uri), uris: uris.map((u) => asUri(vscode.Uri.parse(u))) };
      const text = await this.client.sendRequest(dropLinksRequest, params, token);
      this.last = { uris: params.uris, text };
      return text ? new vscode.DocumentDropEdit(text) : undefined;
    } catch (error) {
      this.output.warn(`Links for files dropped into ${document.uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}
