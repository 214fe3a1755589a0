// Diagnostics for open documents: pushed (publishDiagnostics) or pulled (textDocument/diagnostic), recomputed only for the
// documents a change can affect, debounced per document, and never published for a version older than one already sent.
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WikiService } from '../core/service';
import type { Problem } from '../core/types';
import type { LspSettings } from './settings';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

export function toDiagnostic(p: Problem): Diagnostic {
  return { range: p.range, severity: SEVERITY[p.severity], code: p.code, source: 'linked-articles', message: p.message, data: p.data };
}

/**
 * A keystroke at typing speed is answered at once (the target is 15 ms from keystroke to diagnostics); changes that
 * arrive faster than one per QUIET_MS (a paste, a macro, a load test) are coalesced into one run per BURST_DELAY_MS.
 */
const BURST_DELAY_MS = 15;
const QUIET_MS = 20;
const REFRESH_DELAY_MS = 30;

export interface DiagnosticsOptions {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: WikiService;
  settings: (path: string) => LspSettings;
  toPath: (uri: string) => string;
  log: (message: string) => void;
}

export class DiagnosticsManager {
  /** True when the client pulls (textDocument/diagnostic): then we answer requests and ask for refreshes instead of pushing. */
  pull = false;
  refreshSupport = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastRun = new Map<string, number>();
  /** Per document: bumped whenever its result may have changed; the pull result id, and the push generation counter. */
  private readonly epochs = new Map<string, number>();
  private readonly published = new Map<string, { version: number; key: string }>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private nextEpoch = 1;
  /** Counts runs, so tests and the benchmark can see that only affected documents are recomputed. */
  runs = 0;

  constructor(private readonly o: DiagnosticsOptions) {}

  private bump(uri: string): number {
    const e = this.nextEpoch++;
    this.epochs.set(uri, e);
    return e;
  }

  /** The document itself changed (or was opened). */
  changed(uri: string): void {
    this.bump(uri);
    if (this.pull) return; // the client pulls after its own edits
    this.schedule(uri);
  }

  /** Other documents changed in a way that can alter these documents' results. */
  affected(uris: Iterable<string>): void {
    let any = false;
    for (const uri of uris) {
      if (!this.o.documents.get(uri)) continue;
      any = true;
      this.bump(uri);
      if (!this.pull) this.schedule(uri);
    }
    if (any && this.pull) this.requestRefresh();
  }

  /** Everything may have changed (settings, the index became complete). */
  all(): void {
    this.affected(this.o.documents.keys());
  }

  closed(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.epochs.delete(uri);
    this.lastRun.delete(uri);
    if (!this.pull && this.published.has(uri)) void this.o.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published.delete(uri);
  }

  private schedule(uri: string): void {
    if (this.timers.has(uri)) return; // the pending run will see the newest version
    const now = performance.now();
    const quiet = now - (this.lastRun.get(uri) ?? -Infinity) > QUIET_MS;
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      this.run(uri);
    }, quiet ? 0 : BURST_DELAY_MS);
    this.timers.set(uri, timer);
  }

  private compute(uri: string): Diagnostic[] {
    this.runs++;
    const path = this.o.toPath(uri);
    const settings = this.o.settings(path);
    if (!settings.diagnostics.enabled) return [];
    return this.o.service.problems(path, settings.core.severity).map(toDiagnostic);
  }

  private run(uri: string): void {
    const doc = this.o.documents.get(uri);
    if (!doc) return;
    this.lastRun.set(uri, performance.now());
    let diagnostics: Diagnostic[];
    try {
      diagnostics = this.compute(uri);
    } catch (e) {
      this.o.log(`Diagnostics failed for ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return;
    }
    const last = this.published.get(uri);
    // Documents are analysed synchronously on each change, so this result is for doc.version; an older version must never
    // overwrite a newer one that was already sent.
    if (last && last.version > doc.version) return;
    const key = JSON.stringify(diagnostics);
    // Re-sending the same result for the same version (a document merely affected by another's change) is noise.
    if (last && last.version === doc.version && last.key === key) return;
    this.published.set(uri, { version: doc.version, key });
    void this.o.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  }

  /** textDocument/diagnostic: the report, or "unchanged" when nothing that could change it has happened. */
  report(uri: string, previousResultId: string | undefined): DocumentDiagnosticReport {
    let epoch = this.epochs.get(uri);
    if (epoch === undefined) epoch = this.bump(uri);
    const resultId = String(epoch);
    if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: this.compute(uri) };
  }

  private requestRefresh(): void {
    if (!this.refreshSupport || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.o.connection.languages.diagnostics.refresh().catch((e: unknown) => this.o.log(`workspace/diagnostic/refresh failed: ${String(e)}`));
    }, REFRESH_DELAY_MS);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }
}
