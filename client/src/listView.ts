// A list the server gives about the whole wiki, in an Explorer view (wanted and orphaned articles, tags): asked again on refresh, its count and message on the view.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorText } from './backlinksView';

export abstract class ServerListProvider<T> implements vscode.TreeDataProvider<T> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  view: vscode.TreeView<T> | undefined;

  /** `what`: the list's name in messages ("Wanted articles"). */
  constructor(
    protected readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
    private readonly what: string,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  /** The items, and what the view says beside its title (`description`) and above them (`message`). */
  protected abstract fetch(): Promise<{ items: T[]; description?: string; message?: string }>;

  abstract getTreeItem(item: T): vscode.TreeItem;

  async getChildren(node?: T): Promise<T[]> {
    if (node) return [];
    try {
      const { items, description, message } = await this.fetch();
      if (this.view) {
        this.view.message = message;
        this.view.description = description;
      }
      return items;
    } catch (error) {
      this.output.warn(`${this.what}: ${errorText(error)}`);
      if (this.view) this.view.message = `${this.what} are not available: ${errorText(error)}`;
      return [];
    }
  }
}
