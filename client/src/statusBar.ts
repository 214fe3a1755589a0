// The status bar item: the index's progress while it is built, then the number of articles.
import * as vscode from 'vscode';
import { statusText } from './format';
import type { StatusParams } from './protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('linkedArticles.status', vscode.StatusBarAlignment.Left, 10);
  last: StatusParams | undefined;
  /** How many times an index was completed (a start, a rebuild, a restart after a crash). */
  builds = 0;

  constructor() {
    this.item.name = 'Linked Articles';
    this.item.command = 'linkedArticles.showWantedArticles';
    this.starting();
    this.item.show();
  }

  starting(): void {
    this.item.text = '$(sync~spin) Linked Articles';
    this.item.tooltip = 'Linked Articles: starting the language server';
  }

  stopped(): void {
    this.item.text = '$(warning) Linked Articles';
    this.item.tooltip = 'Linked Articles: the language server is not running (see the Linked Articles output)';
  }

  update(status: StatusParams): void {
    if (status.state === 'ready' && this.last?.state !== 'ready') this.builds++;
    this.last = status;
    const text = statusText(status);
    if (status.state === 'indexing') {
      this.item.text = `$(sync~spin) ${text}`;
      this.item.tooltip = `Linked Articles: reading the wiki (${text})`;
    } else {
      this.item.text = `$(references) ${text}`;
      this.item.tooltip = `Linked Articles: ${text} in the index. Click for the wanted articles.`;
    }
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
