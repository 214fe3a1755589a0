// What every feature handler gets: the connection, the open documents, the service, settings, URI conversion and a guard.
import type { CancellationToken, ClientCapabilities, Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WikiService } from '../core/service';
import type { LspSettings } from './settings';
import type { DiagnosticsManager } from './diagnostics';

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly service: WikiService;
  readonly clientCapabilities: ClientCapabilities;
  /**
   * The client draws images in hovers from `file:` URIs (it said so with the initialization option `imagePreviews`,
   * as the VS Code extension does): no LSP capability tells, and other editors would show the markup as text.
   */
  readonly imagePreviews: boolean;
  readonly diagnostics: DiagnosticsManager;
  /** The settings that apply to a document (by its core path), or the wiki-wide ones. */
  settings(path?: string): LspSettings;
  toPath(uri: string): string;
  /** The URI the client knows a path by (its own spelling for open documents). */
  toUri(path: string): string;
  /**
   * Wraps a request handler: cancellation is honoured and an internal error is logged with the request and document it
   * concerned and returned as an LSP error, never an empty answer. Background work waits while requests are answered,
   * but for a `longPoll` (one that waits for a change).
   */
  guard<P, R>(method: string, handler: (params: P, token: CancellationToken) => R | Promise<R>, options?: { longPoll?: boolean }): (params: P, token: CancellationToken) => Promise<R>;
  /** Recomputes diagnostics of the open documents among `paths` (after a change elsewhere affected them). */
  affected(paths: Iterable<string>): void;
  /** Calls `listener` after each change that may change links between articles: an edit, files changed on disk, a complete build. */
  onWikiChanged(listener: () => void): void;
  /** Drops the index and builds it again from the workspace; resolves when it is complete. */
  rebuildIndex(): Promise<void>;
}

/** One editor feature of the server: the capabilities it announces and the handlers it registers. */
export interface Feature {
  readonly name: string;
  /** `options`: the client's initialization options (`semanticTokens: false` from a client with its own grammar). */
  capabilities?(client: ClientCapabilities, options?: Record<string, unknown>): ServerCapabilities;
  register(ctx: ServerContext): void;
}
