// Entry point of the Linked Articles language server (stdio, IPC or socket, chosen by vscode-languageserver's argv parsing).
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';

const connection = createConnection(ProposedFeatures.all);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'linked-articles' },
}));

connection.listen();
