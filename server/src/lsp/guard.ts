// The one wrapper around request handlers: cancellation honoured, internal errors logged with context and returned as LSP errors.
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';

function describe(params: unknown): string {
  if (!params || typeof params !== 'object') return '';
  const p = params as { textDocument?: { uri?: string }; uri?: string; position?: { line: number; character: number }; query?: string };
  const parts: string[] = [];
  const uri = p.textDocument?.uri ?? p.uri;
  if (uri) parts.push(uri);
  if (p.position) parts.push(`at ${p.position.line + 1}:${p.position.character + 1}`);
  if (typeof p.query === 'string') parts.push(`query '${p.query}'`);
  return parts.join(' ');
}

export class Cancelled extends ResponseError<void> {
  constructor() {
    super(LSPErrorCodes.RequestCancelled, 'The request was cancelled');
  }
}

export function makeGuard(connection: Connection) {
  return function guard<P, R>(method: string, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      // One turn of the event loop first: a `$/cancelRequest` sent right behind the request (a client that typed on)
      // is then read before any work is done, instead of after the answer has gone.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (token?.isCancellationRequested) throw new Cancelled();
      try {
        const result = await handler(params, token);
        // A cancelled request's answer is stale by definition: the client asked again or moved on.
        if (token?.isCancellationRequested) throw new Cancelled();
        return result;
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        const e = error instanceof Error ? error : new Error(String(error));
        connection.console.error(`${method} failed ${describe(params)}: ${e.stack ?? e.message}`);
        throw new ResponseError(ErrorCodes.InternalError, `Linked Articles: ${method} failed: ${e.message}`);
      }
    };
  };
}
