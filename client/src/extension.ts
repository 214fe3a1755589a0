// The VS Code side of Linked Articles: starts the bundled language server (dist/server.js)
// and hands the running client to the features that need it. Kept thin on purpose: the
// language lives in the server; views, status bar and commands plug in after `start`.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** What `activate` returns: tests and other extensions wait on `ready` before using the client. */
export interface LinkedArticlesApi {
  readonly client: LanguageClient;
  /** Resolves once the server has answered `initialize`; rejects if it could not be started. */
  readonly ready: Promise<void>;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): LinkedArticlesApi {
  // A log channel, so the client's own messages carry levels and time stamps; the
  // `linkedArticles.trace.server` setting adds the LSP traffic to it.
  const output = vscode.window.createOutputChannel('Linked Articles', { log: true });
  context.subscriptions.push(output);

  client = createClient(context, output);
  const ready = client.start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    output.error(`The language server could not start: ${message}`);
    void vscode.window
      .showErrorMessage(`Linked Articles: the language server could not start: ${message}`, 'Show Log')
      .then((choice) => choice && output.show());
    throw error;
  });
  // The promise is also returned to callers; this keeps an unobserved failure from being reported twice.
  ready.catch(() => undefined);

  return { client, ready };
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };

  // Articles that are not open still change on disk (git checkout, another editor): the server
  // hears of those through watched-file events; settings are pulled by the server, not pushed.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.md');
  context.subscriptions.push(watcher);

  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'markdown' }],
    synchronize: { fileEvents: watcher },
    outputChannel: output,
  };

  // The id `linkedArticles` makes the client read the `linkedArticles.trace.server` setting.
  return new LanguageClient('linkedArticles', 'Linked Articles', serverOptions, clientOptions);
}
