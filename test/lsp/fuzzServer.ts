// The server fuzzer: random and mutated documents opened and edited in a live dist/server.js, and every position request at random places; used by robustness.test.ts (bounded) and scripts/fuzz.ts (long).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { CompletionItem, CompletionList, Diagnostic, Hover, Location, LocationLink, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { ALL_CAPABILITIES, TestClient, copyWiki, ensureBuilt, uri } from './harness';
import { corpusSample, mutatedArticle, repetitiveArticle, tokenArticle } from '../unit/fuzzProperties';

/** Line starts by LSP's rules (CRLF, LF and lone CR each end a line). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

/** The offset of an LSP position, or undefined when the position is not inside the text (past a line's end, or no such line). */
export function offsetOf(text: string, p: { line: number; character: number }, starts = lineStarts(text)): number | undefined {
  if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0 || p.line >= starts.length) return undefined;
  const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
  let contentEnd = lineEnd;
  if (p.line + 1 < starts.length) contentEnd -= text.charCodeAt(lineEnd - 2) === 13 && text.charCodeAt(lineEnd - 1) === 10 ? 2 : 1;
  const offset = starts[p.line] + p.character;
  return offset <= contentEnd ? offset : undefined;
}

export function rangeProblem(text: string, r: Range | undefined, what: string): string | undefined {
  if (!r) return `${what} has no range`;
  const starts = lineStarts(text);
  const a = offsetOf(text, r.start, starts);
  const b = offsetOf(text, r.end, starts);
  if (a === undefined || b === undefined) return `${what} range ${JSON.stringify(r)} is outside the document (${starts.length} lines)`;
  if (a > b) return `${what} range ${JSON.stringify(r)} ends before it starts`;
  // Splitting a surrogate pair would corrupt the text an edit touches.
  for (const o of [a, b]) if (o > 0 && o < text.length && /[\uD800-\uDBFF]/.test(text[o - 1]) && /[\uDC00-\uDFFF]/.test(text[o])) return `${what} range ${JSON.stringify(r)} splits a surrogate pair`;
  return undefined;
}

/**
 * Applies text edits as the LSP says a client must, written independently of the server's own helper so a bug there
 * cannot hide one here: every range resolved against the original text, overlapping edits refused.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = lineStarts(text);
  const resolved = edits.map((e, i) => {
    const a = offsetOf(text, e.range.start, starts);
    const b = offsetOf(text, e.range.end, starts);
    if (a === undefined || b === undefined || a > b) throw new Error(`edit ${JSON.stringify(e.range)} is not inside the document`);
    return { a, b, newText: e.newText, i };
  });
  resolved.sort((x, y) => x.a - y.a || x.b - y.b || x.i - y.i);
  for (let k = 1; k < resolved.length; k++) if (resolved[k].a < resolved[k - 1].b) throw new Error(`edits ${JSON.stringify(edits[resolved[k - 1].i].range)} and ${JSON.stringify(edits[resolved[k].i].range)} overlap`);
  let out = '';
  let at = 0;
  for (const e of resolved) {
    out += text.slice(at, e.a) + e.newText;
    at = e.b;
  }
  return out + text.slice(at);
}

/** Applies a WorkspaceEdit to texts by URI, checking versions of open documents; throws when it would not apply cleanly. */
export function applyWorkspaceEditStrict(texts: Map<string, string>, edit: WorkspaceEdit, versions: Map<string, number>): Map<string, string> {
  const out = new Map(texts);
  if (edit.changes) throw new Error('the edit uses `changes`, not versioned `documentChanges`');
  for (const c of edit.documentChanges ?? []) {
    if ('kind' in c) {
      if (c.kind === 'create') {
        if (out.has(c.uri) && !c.options?.overwrite && !c.options?.ignoreIfExists) throw new Error(`create ${c.uri}: it exists`);
        if (!out.has(c.uri) || c.options?.overwrite) out.set(c.uri, '');
      } else if (c.kind === 'rename') {
        const t = out.get(c.oldUri);
        if (t === undefined) throw new Error(`rename ${c.oldUri}: no such document`);
        if (out.has(c.newUri) && c.newUri.toLowerCase() !== c.oldUri.toLowerCase() && !c.options?.overwrite) throw new Error(`rename to ${c.newUri}: it exists`);
        out.delete(c.oldUri);
        out.set(c.newUri, t);
      } else throw new Error(`the edit deletes ${c.uri}`);
      continue;
    }
    const u = c.textDocument.uri;
    const t = out.get(u);
    if (t === undefined) throw new Error(`text edit of ${u}: no such document`);
    if (c.textDocument.version !== null && versions.has(u) && versions.get(u) !== c.textDocument.version) throw new Error(`${u} is at version ${versions.get(u)}, the edit is for ${c.textDocument.version}`);
    if (c.textDocument.version === null && versions.has(u)) throw new Error(`${u} is open (version ${versions.get(u)}) but the edit has no version`);
    out.set(u, applyEdits(t, c.edits as TextEdit[]));
  }
  return out;
}

export interface ServerFuzzOptions {
  runs: number;
  seed: number;
  /** No request may take longer. */
  boundMs?: number;
  log?: (s: string) => void;
}

export interface ServerFuzzResult {
  documents: number;
  requests: number;
  expectedErrors: number;
  slowestMs: number;
  slowest: string;
}

/** Answers that say "not here" or "not now" rather than "the server broke". */
const EXPECTED_ERRORS = new Set([-32803 /* RequestFailed */, -32800 /* RequestCancelled */, -32801 /* ContentModified */]);

const NEW_NAMES = ['New Name', 'Über Alles', '𝕏 Name', 'Anarchism', '', '..', 'a/../../b', 'Name\nWith Line', 'Kron|stadt', '[[x]]', '#'];

export async function serverFuzz(opts: ServerFuzzOptions): Promise<ServerFuzzResult> {
  ensureBuilt();
  const boundMs = opts.boundMs ?? 2000;
  const root = copyWiki();
  const client = new TestClient({ folders: [root], capabilities: { ...ALL_CAPABILITIES, workspace: { ...ALL_CAPABILITIES.workspace, workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename'] } }, textDocument: { ...ALL_CAPABILITIES.textDocument, rename: { prepareSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite'] } } } } } });
  const result: ServerFuzzResult = { documents: 0, requests: 0, expectedErrors: 0, slowestMs: 0, slowest: '' };
  try {
    await client.initialize();
    await client.ready(60_000);
    const sample = corpusSample(300);
    // Mostly short random and mutated real articles; now and then a long repetitive one, where a quadratic path shows.
    const doc = fc.oneof(
      { weight: 5, arbitrary: tokenArticle(150) },
      { weight: sample.length ? 5 : 0, arbitrary: sample.length ? mutatedArticle(sample) : tokenArticle(150) },
      { weight: 1, arbitrary: repetitiveArticle(5000) },
    );
    const cases = fc.sample(
      fc.record({
        text: doc,
        slot: fc.integer({ min: 0, max: 4 }),
        incremental: fc.boolean(),
        positions: fc.array(fc.noBias(fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 3 }),
        newName: fc.constantFrom(...NEW_NAMES),
      }),
      { numRuns: opts.runs, seed: opts.seed },
    );
    /** What the client holds: open documents' texts and versions, and the files on disk. */
    const open = new Map<string, { text: string; version: number }>();
    const textOf = (u: string): string | undefined => {
      const o = open.get(u);
      if (o) return o.text;
      const p = new URL(u).pathname;
      return fs.existsSync(decodeURIComponent(p)) ? fs.readFileSync(decodeURIComponent(p), 'utf8') : undefined;
    };
    const fail = (what: string, text: string): never => {
      // The whole document, byte for byte, to reproduce the failure in the core without the protocol.
      const dump = path.join(os.tmpdir(), `linked-articles-fuzz-failure-${process.pid}.md`);
      fs.writeFileSync(dump, text);
      const shown = text.length > 600 ? `${JSON.stringify(text.slice(0, 600))}… (${text.length} characters)` : JSON.stringify(text);
      throw new Error(`${what}\n  document (saved in ${dump}): ${shown}\n  server log: ${client.logs.filter((l) => l.type === 1).map((l) => l.message).slice(-3).join(' | ').slice(0, 1500)}`);
    };
    const request = async <R>(method: string, params: unknown, text: string): Promise<R | undefined> => {
      const t0 = performance.now();
      let value: R | undefined;
      try {
        value = await client.request<R>(method, params);
      } catch (e) {
        const err = e as { code?: number; message?: string };
        if (err.code === undefined || !EXPECTED_ERRORS.has(err.code)) fail(`${method} at ${JSON.stringify((params as { position?: unknown }).position)} answered error ${err.code}: ${err.message}`, text);
        result.expectedErrors++;
      }
      const ms = performance.now() - t0;
      result.requests++;
      if (ms > result.slowestMs) {
        result.slowestMs = ms;
        result.slowest = method;
      }
      if (ms > boundMs) fail(`${method} took ${ms.toFixed(0)} ms (bound ${boundMs} ms)`, text);
      return value;
    };
    const inWorkspace = (u: string, what: string, text: string) => {
      if (!u.startsWith(uri(root) + '/')) fail(`${what} points outside the workspace: ${u}`, text);
    };
    const checkLocation = (loc: Location | LocationLink, what: string, text: string) => {
      const u = 'targetUri' in loc ? loc.targetUri : loc.uri;
      const r = 'targetUri' in loc ? loc.targetSelectionRange : loc.range;
      inWorkspace(u, what, text);
      const t = textOf(u);
      if (t === undefined) fail(`${what} points at ${u}, which does not exist`, text);
      const e = rangeProblem(t!, r, what);
      if (e) fail(e, text);
    };
    const checkEdit = (edit: WorkspaceEdit | null | undefined, what: string, text: string) => {
      if (!edit) return;
      for (const c of edit.documentChanges ?? []) {
        if ('kind' in c) for (const u of c.kind === 'rename' ? [c.oldUri, c.newUri] : [c.uri]) inWorkspace(u, what, text);
        else inWorkspace(c.textDocument.uri, what, text);
      }
      const texts = new Map<string, string>();
      for (const c of edit.documentChanges ?? []) {
        for (const u of 'kind' in c ? (c.kind === 'rename' ? [c.oldUri] : []) : [c.textDocument.uri]) {
          const t = textOf(u);
          if (t !== undefined && !texts.has(u)) texts.set(u, t);
        }
      }
      const versions = new Map([...open].map(([u, o]) => [u, o.version]));
      try {
        applyWorkspaceEditStrict(texts, edit, versions);
      } catch (e) {
        fail(`${what} does not apply cleanly: ${(e as Error).message}`, text);
      }
    };

    for (const [n, c] of cases.entries()) {
      result.documents++;
      const u = uri(path.join(root, `Fuzz_${c.slot}.md`));
      let text = c.text;
      const held = open.get(u);
      if (!held) {
        client.open(path.join(root, `Fuzz_${c.slot}.md`), text);
        open.set(u, { text, version: 1 });
      } else if (c.incremental && held.text.length > 0) {
        // An incremental change: a random range of the held text replaced by the new text's head.
        const a = Math.floor(c.positions[0] * held.text.length);
        const b = Math.min(held.text.length, a + Math.floor((c.positions[c.positions.length - 1] ?? 0) * 50));
        const starts = lineStarts(held.text);
        const pos = (o: number) => {
          let line = 0;
          while (line + 1 < starts.length && starts[line + 1] <= o) line++;
          return { line, character: o - starts[line] };
        };
        // Never split a CRLF or a surrogate pair: a real editor's change cannot.
        const safe = (o: number) => (o > 0 && ((held.text[o - 1] === '\r' && held.text[o] === '\n') || /[\uD800-\uDBFF]/.test(held.text[o - 1])) ? o - 1 : o);
        const sa = safe(a);
        const sb = Math.max(sa, safe(b));
        const insert = c.text.slice(0, 200);
        text = held.text.slice(0, sa) + insert + held.text.slice(sb);
        held.version = client.change(u, insert, { start: pos(sa), end: pos(sb) });
        held.text = text;
      } else {
        held.version = client.change(u, text);
        held.text = text;
      }
      const td = { uri: u };
      const starts = lineStarts(text);
      for (const s of (await request<{ range: Range; selectionRange: Range }[]>('textDocument/documentSymbol', { textDocument: td }, text)) ?? []) {
        const e = rangeProblem(text, s.range, 'documentSymbol') ?? rangeProblem(text, s.selectionRange, 'documentSymbol selection');
        if (e) fail(e, text);
      }
      for (const l of (await request<{ range: Range; target?: string }[]>('textDocument/documentLink', { textDocument: td }, text)) ?? []) {
        const e = rangeProblem(text, l.range, 'documentLink');
        if (e) fail(e, text);
        if (l.target) inWorkspace(l.target.replace(/#.*$/, ''), 'documentLink target', text);
      }
      const tokens = (await request<{ data: number[] } | null>('textDocument/semanticTokens/full', { textDocument: td }, text))?.data ?? [];
      for (let i = 0, line = 0, char = 0; i < tokens.length; i += 5) {
        line += tokens[i];
        char = tokens[i] === 0 ? char + tokens[i + 1] : tokens[i + 1];
        const e = rangeProblem(text, { start: { line, character: char }, end: { line, character: char + tokens[i + 2] } }, 'semantic token');
        if (e) fail(e, text);
      }
      for (const l of (await request<{ uri?: string }[] | null>('linkedArticles/previewLinks', { uri: u }, text)) ?? []) {
        if (l.uri) inWorkspace(l.uri, 'preview link', text);
      }
      const out = await request<{ links: { uri?: string; ranges: Range[] }[]; mentions: { uri: string; places: { range: Range; target: string }[] }[] } | null>('linkedArticles/outgoing', { uri: u }, text);
      for (const l of out?.links ?? []) {
        if (l.uri) inWorkspace(l.uri, 'outgoing link', text);
        for (const r of l.ranges) {
          const e = rangeProblem(text, r, 'outgoing link');
          if (e) fail(e, text);
        }
      }
      for (const m of out?.mentions ?? []) {
        inWorkspace(m.uri, 'outgoing mention', text);
        for (const p of m.places) {
          inWorkspace(p.target, 'outgoing mention target', text);
          const e = rangeProblem(text, p.range, 'outgoing mention');
          if (e) fail(e, text);
        }
      }
      for (const f of (await request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: td }, text)) ?? []) {
        if (f.startLine < 0 || f.endLine >= starts.length || f.startLine > f.endLine) fail(`folding range ${JSON.stringify(f)} outside ${starts.length} lines`, text);
      }
      for (const frac of c.positions) {
        const offset = Math.floor(frac * (text.length + 1));
        let line = 0;
        while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
        const position = { line, character: Math.min(offset - starts[line], (line + 1 < starts.length ? starts[line + 1] : text.length) - starts[line]) };
        const at = { textDocument: td, position };
        const completion = await request<CompletionList | CompletionItem[] | null>('textDocument/completion', at, text);
        for (const item of (Array.isArray(completion) ? completion : completion?.items) ?? []) {
          const te = item.textEdit;
          const ranges = te ? ('range' in te ? [te.range] : [te.insert, te.replace]) : [];
          for (const r of [...ranges, ...(item.additionalTextEdits ?? []).map((x) => x.range)]) {
            const e = rangeProblem(text, r, `completion ${JSON.stringify(item.label)}`);
            if (e) fail(e, text);
          }
          const doc = typeof item.documentation === 'string' ? item.documentation : item.documentation?.value ?? '';
          if (/<script|<img|\]\(\s*command:/i.test(doc)) fail(`completion documentation is active: ${doc}`, text);
        }
        const hover = await request<Hover | null>('textDocument/hover', at, text);
        if (hover) {
          if (hover.range) {
            const e = rangeProblem(text, hover.range, 'hover');
            if (e) fail(e, text);
          }
          const md = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : JSON.stringify(hover.contents);
          if (/<script|<img|\]\(\s*command:/i.test(md)) fail(`hover is active: ${md}`, text);
        }
        // Expand selection: one chain for the position, each step inside the document and holding the one before.
        const chains = await request<{ range: Range; parent?: unknown }[] | null>('textDocument/selectionRange', { textDocument: td, positions: [position] }, text);
        if (chains && chains.length !== 1) fail(`selectionRange answered ${chains.length} chains for one position`, text);
        let inner: Range | undefined;
        for (let sr = chains?.[0] as { range: Range; parent?: unknown } | undefined; sr; sr = sr.parent as typeof sr) {
          const e = rangeProblem(text, sr.range, 'selectionRange');
          if (e) fail(e, text);
          const off = (p: Range['start']) => starts[p.line] + p.character;
          if (inner && (off(sr.range.start) > off(inner.start) || off(sr.range.end) < off(inner.end))) fail(`selection step ${JSON.stringify(sr.range)} does not hold ${JSON.stringify(inner)}`, text);
          inner = sr.range;
        }
        const defs = await request<Location | Location[] | LocationLink[] | null>('textDocument/definition', at, text);
        for (const d of defs ? (Array.isArray(defs) ? defs : [defs]) : []) checkLocation(d, 'definition', text);
        for (const r of (await request<Location[] | null>('textDocument/references', { ...at, context: { includeDeclaration: true } }, text)) ?? []) checkLocation(r, 'reference', text);
        const prep = await request<{ range: Range } | Range | null>('textDocument/prepareRename', at, text);
        if (prep) {
          const e = rangeProblem(text, 'range' in prep ? prep.range : prep, 'prepareRename');
          if (e) fail(e, text);
          checkEdit(await request<WorkspaceEdit | null>('textDocument/rename', { ...at, newName: c.newName }, text), 'rename', text);
        }
        const diagnostics: Diagnostic[] = (client.diagnosticsOf(u)?.version === open.get(u)!.version ? client.diagnosticsOf(u)?.diagnostics : []) ?? [];
        const near = diagnostics.filter((d) => d.range.start.line === position.line);
        const actions = await request<{ title: string; edit?: WorkspaceEdit; command?: { command: string } }[] | null>(
          'textDocument/codeAction',
          { textDocument: td, range: { start: position, end: position }, context: { diagnostics: near } },
          text,
        );
        for (const a of actions ?? []) {
          checkEdit(a.edit, `code action '${a.title}'`, text);
          if (a.command && !a.command.command.startsWith('linkedArticles.')) fail(`code action '${a.title}' runs ${a.command.command}`, text);
        }
      }
      if (client.child.exitCode !== null) fail(`the server exited (code ${client.child.exitCode}) after document ${n}`, text);
      opts.log?.(`document ${n + 1}/${cases.length}: ${result.requests} requests so far`);
    }
    const internal = client.logs.filter((l) => l.type === 1);
    if (internal.length) throw new Error(`the server logged ${internal.length} errors, the first: ${internal[0].message.slice(0, 1500)}`);
    return result;
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
