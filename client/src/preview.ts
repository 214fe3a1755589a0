// The markdown preview's links: where each link of a document leads, asked of the server and kept per document version.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { previewLinksRequest, type PreviewLink } from './protocol';
import type MarkdownIt from 'markdown-it';
import { EMBEDDED_IN, previewPlugins, type Resolved } from './previewPlugin';

/** The version of an entry whose links may lead elsewhere now: no document has it, so the next render asks again. */
const STALE = -1;

interface Entry {
  version: number;
  /** By kind and key: what a wiki link's brackets hold, a markdown link's href as markdown-it makes it, an anchor's href. */
  links: Map<string, PreviewLink>;
}

export class PreviewLinks {
  private readonly entries = new Map<string, Entry>();
  private readonly asking = new Set<string>();
  /** What the last render named as its document, and the questions asked and answered: for a test that waits on them. */
  seen = { document: '', asked: 0, answered: 0, error: '' };

  constructor(
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** A markdown link's destination as markdown-it makes its href (escapes and entities read, then percent-encoded). */
  private hrefOf: (written: string) => string = (w) => w;

  /** The `extendMarkdownIt` of the extension: VS Code's preview engine gets wiki links and footnotes. */
  extend(md: MarkdownIt): MarkdownIt {
    this.hrefOf = (w) => md.normalizeLink(md.utils.unescapeAll(w));
    // The footnote extension most used adds the same plugin, maybe after this one: then it alone does.
    const footnotes = !vscode.extensions.getExtension('bierner.markdown-footnotes');
    return previewPlugins(md, (env, key, kind) => this.resolve(env, key, kind), footnotes);
  }

  /**
   * Links of these documents may lead elsewhere now (their problems changed): what is known of them is marked stale
   * and the previews rendered again, which ask again (and are redrawn if the answer differs), so that nothing is asked
   * for a document no preview shows. One whose text has changed since it was asked about is left: its preview renders
   * for that edit anyway, and asks then.
   */
  invalidate(uris: readonly vscode.Uri[]): void {
    let stale = false;
    for (const uri of uris) {
      const entry = this.entries.get(uri.toString());
      if (!entry || entry.version !== versionOf(uri)) continue;
      entry.version = STALE;
      stale = true;
    }
    if (stale) void vscode.commands.executeCommand('markdown.preview.refresh');
  }

  /**
   * An article changed: the previews that embed it show its old text, and their documents did not change (nor, most
   * often, their problems), so what is known of them is marked stale and they are drawn again.
   */
  embeddedChanged(uri: vscode.Uri): void {
    const changed = uri.toString();
    const embedding: vscode.Uri[] = [];
    for (const [doc, entry] of this.entries) {
      for (const link of entry.links.values()) {
        if (link.embed !== undefined && link.uri !== undefined && vscode.Uri.parse(link.uri).toString() === changed) {
          embedding.push(vscode.Uri.parse(doc));
          break;
        }
      }
    }
    if (embedding.length) this.invalidate(embedding);
  }

  /** A closed document's answers go with it. */
  forget(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
  }

  /**
   * Called as a wiki link is rendered (not parsed: VS Code names the document to the renderer only). The preview renders
   * synchronously, the server answers later: a document rendered before its answer (or after an edit) shows its links as
   * not yet known, and is rendered again once the answer changes what it shows.
   */
  private resolve(env: unknown, key: string, kind: PreviewLink['kind']): Resolved | undefined {
    const render = this.renderOf(env);
    if (!render) return undefined;
    const link = render.entry?.links.get(kind + '\u0000' + key);
    if (!link) return undefined;
    if (!link.uri) return { title: link.title };
    const to = vscode.Uri.parse(link.uri);
    // From the document the preview shows, which an embedded article's links are clicked in too.
    const found: Resolved = { href: relativeHref(render.shown, to, link.fragment), image: link.image, title: link.title };
    // Rendered as the embedded article: its own links are looked up as its, its pictures from its folder.
    if (link.embed !== undefined) found.embed = { markdown: link.embed, document: to };
    // A picture loads from the webview's own address for the file, which VS Code's preview gives its renders.
    const resources = (env as { resourceProvider?: { asWebviewUri(uri: vscode.Uri): vscode.Uri } } | undefined)?.resourceProvider;
    if (link.image && resources) found.src = resources.asWebviewUri(to).toString(true);
    return found;
  }

  /** One render's document and what is known of its links, found at its first link (a 1 MB article has 5,000). */
  private readonly renders = new WeakMap<object, { doc: vscode.Uri; shown: vscode.Uri; entry: Entry | undefined }>();

  private renderOf(env: unknown): { doc: vscode.Uri; shown: vscode.Uri; entry: Entry | undefined } | undefined {
    if (typeof env !== 'object' || env === null) return undefined;
    let render = this.renders.get(env);
    if (!render) {
      const doc = documentOf(env);
      this.seen.document = doc?.toString() ?? 'none';
      if (!doc) return undefined;
      const entry = this.entries.get(doc.toString());
      if (!entry || entry.version !== versionOf(doc)) this.ask(doc);
      const shown = documentOf({ currentDocument: (env as { [EMBEDDED_IN]?: unknown })[EMBEDDED_IN] }) ?? doc;
      render = { doc, shown, entry };
      this.renders.set(env, render);
    }
    return render;
  }

  private ask(doc: vscode.Uri): void {
    const key = doc.toString();
    if (this.asking.has(key) || !this.client.isRunning()) return;
    this.asking.add(key);
    this.seen.asked++;
    const version = versionOf(doc);
    this.client
      .sendRequest(previewLinksRequest, { uri: this.client.code2ProtocolConverter.asUri(doc) })
      .then(
        (links) => {
          this.seen.answered++;
          const map = new Map((links ?? []).map((l) => [l.kind + '\u0000' + (l.kind === 'markdown' ? this.hrefOf(l.written) : l.written), l]));
          const before = this.entries.get(key);
          this.entries.set(key, { version, links: map });
          if (!before || !sameLinks(before.links, map)) void vscode.commands.executeCommand('markdown.preview.refresh');
        },
        (error: unknown) => {
          this.seen.error = error instanceof Error ? error.message : String(error);
          this.output.warn(`Preview links of ${doc.fsPath}: ${this.seen.error}`);
        },
      )
      .finally(() => {
        this.asking.delete(key);
        // Typed on while the server answered: what it said may lack the newest link.
        if (versionOf(doc) !== version) this.ask(doc);
      });
  }
}

/**
 * The document the preview renders, which VS Code's engine names in `env.currentDocument`: a URI, but not always of
 * this extension host's Uri class (the markdown extension may hand its own), so it is read by its parts.
 */
function documentOf(env: unknown): vscode.Uri | undefined {
  const doc = (env as { currentDocument?: unknown } | undefined)?.currentDocument as Partial<vscode.Uri> | undefined;
  if (!doc || typeof doc.scheme !== 'string' || typeof doc.path !== 'string') return undefined;
  return doc instanceof vscode.Uri ? doc : vscode.Uri.from({ scheme: doc.scheme, authority: doc.authority ?? '', path: doc.path, query: doc.query ?? '', fragment: doc.fragment ?? '' });
}

function versionOf(doc: vscode.Uri): number {
  const key = doc.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key)?.version ?? 0;
}

/** The target as the preview opens it: relative to the document's folder, as a markdown link to a file would be. */
export function relativeHref(from: vscode.Uri, to: vscode.Uri, fragment?: string): string {
  const hash = fragment ? '#' + fragment : '';
  if (from.path === to.path) return hash || path.posix.basename(to.path);
  return path.posix.relative(path.posix.dirname(from.path), to.path) + hash;
}

function sameLinks(a: Map<string, PreviewLink>, b: Map<string, PreviewLink>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, x] of a) {
    const y = b.get(k);
    if (!y || y.uri !== x.uri || y.fragment !== x.fragment || y.image !== x.image || y.title !== x.title || y.embed !== x.embed) return false;
  }
  return true;
}
