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

/** How long background work waits at most for the requests being answered before it takes its next slice anyway. */
const QUIET_WAIT_MS = 250;

/**
 * Counts the requests being answered, so that background work (writing the index cache) waits for them between its
 * slices. Each step of a request's way (read, the guard's turn, a handler's own turns) had waited behind a whole
 * slice: at 50,000 articles, a backlinks answer of 3 ms took 40 ms all the while the cache was written.
 */
export class RequestsInFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  begin(): void {
    this.count++;
  }

  end(): void {
    if (--this.count > 0) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const go of waiting) go();
  }

  get answering(): number {
    return this.count;
  }

  /** Background work waiting for the requests being answered. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * The next turn of the event loop once no request is being answered, or after `maxWaitMs` whatever is. Asked again
   * after that turn: a request read meanwhile has begun by then (the guard's own turn), and is waited for too.
   */
  quietTurn(maxWaitMs = QUIET_WAIT_MS): Promise<void> {
    const until = performance.now() + maxWaitMs;
    return new Promise<void>((resolve) => {
      const next = () =>
        setImmediate(() => {
          const left = until - performance.now();
          if (this.count === 0 || left <= 0) return resolve();
          let gone = false;
          const go = () => {
            if (gone) return;
            gone = true;
            clearTimeout(timer);
            next();
          };
          // A wait that times out leaves the list: with a request that never ends, each slice had added one for good.
          const timer = setTimeout(() => {
            const at = this.waiters.indexOf(go);
            if (at >= 0) this.waiters.splice(at, 1);
            go();
          }, left);
          this.waiters.push(go);
        });
      next();
    });
  }
}

/**
 * `inFlight` counts the requests being answered; a long poll (`workspace/diagnostic` waiting for a change, for as
 * long as there is none) is not counted, or background work would wait for it.
 */
export function makeGuard(connection: Connection, inFlight = new RequestsInFlight()) {
  return function guard<P, R>(method: string, handler: (params: P, token: CancellationToken) => R | Promise<R>, options: { longPoll?: boolean } = {}) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      const counted = !options.longPoll;
      if (counted) inFlight.begin();
      try {
        // One turn of the event loop first: a `$/cancelRequest` sent right behind the request (a client that typed on)
        // is then read before any work is done, instead of after the answer has gone.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (token?.isCancellationRequested) throw new Cancelled();
        const result = await handler(params, token);
        // A cancelled request's answer is stale by definition: the client asked again or moved on.
        if (token?.isCancellationRequested) throw new Cancelled();
        return result;
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        const e = error instanceof Error ? error : new Error(String(error));
        connection.console.error(`${method} failed ${describe(params)}: ${e.stack ?? e.message}`);
        throw new ResponseError(ErrorCodes.InternalError, `Linked Articles: ${method} failed: ${e.message}`);
      } finally {
        if (counted) inFlight.end();
      }
    };
  };
}
