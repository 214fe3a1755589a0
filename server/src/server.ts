// Entry point of the Linked Articles language server: stdio (`--stdio`), IPC (VS Code) or socket, as the arguments say.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Session } from './lsp/session';

const connection = createConnection(ProposedFeatures.all);
new Session(connection);

// The server outlives any one bad file or request: a stray error is logged, never fatal.
process.on('uncaughtException', (e) => connection.console.error(`Uncaught error: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`Unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

connection.listen();
