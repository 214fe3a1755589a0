// Document symbols, workspace symbols and document links over the protocol.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DocumentLink, DocumentSymbol, SelectionRange, WorkspaceSymbol } from 'vscode-languageserver-protocol';
import { FIXTURE_WIKI, TestClient, ensureBuilt, uri } from './harness';

const file = (name: string) => path.join(FIXTURE_WIKI, name);

function outline(symbols: DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [`${'  '.repeat(depth)}${s.name}`, ...outline(s.children ?? [], depth + 1)]);
}

describe('Symbols and links', () => {
  let client: TestClient;

  before(async () => {
    ensureBuilt();
    client = new TestClient({ folders: [FIXTURE_WIKI] });
    await client.initialize();
    await client.ready();
  });
  after(() => client.stop());

  test('document symbols are the heading outline, nested by level, then the footnotes', async () => {
    const u = client.open(file('Anarchism.md'));
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    assert.deepEqual(outline(symbols), ['Anarchism', '  Overview', '  Principles', '  History', '[^1]', '[^2]']);
    const principles = symbols[0].children![1];
    assert.deepEqual(principles.selectionRange, { start: { line: 8, character: 3 }, end: { line: 8, character: 13 } });
    assert.equal(principles.range.start.line, 8);
    assert.equal(principles.range.end.line, 13, 'a section runs to the line before the next heading');
    assert.equal(symbols[1].detail, 'Peter Kropotkin, Mutual Aid: A Factor of Evolution, 1902.');
  });

  test('document symbols of the long example article nest its subsections', async () => {
    const u = client.open(file('Marxism-Leninism.md'));
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    const lines = outline(symbols);
    assert.ok(lines.includes('    Suppression of Anarchists'), lines.join('\n'));
    assert.equal(symbols[0].name, 'Marxism-Leninism');
    assert.equal(symbols[0].children!.length, 8);
  });

  test('workspace symbols find titles, aliases, headings and glossary terms', async () => {
    const found = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'kronstadt' });
    const names = found.map((s) => `${s.name} (${s.containerName})`);
    assert.ok(names.includes('Kronstadt Rebellion (Kronstadt_Rebellion.md)'), names.join(', '));
    assert.ok(names.includes('Kronstadt uprising (alias of Kronstadt Rebellion)'), names.join(', '));
    const terms = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'affinity' });
    assert.ok(terms.some((s) => s.name === 'Affinity group' && s.containerName === 'glossary · Glossary'), JSON.stringify(terms));
    const headings = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'Suppression of Anarchists' });
    const h = headings.find((s) => s.name === 'Suppression of Anarchists')!;
    assert.equal((h as { location: { uri: string } }).location.uri, uri(file('Marxism-Leninism.md')));
  });

  test('workspace symbols match words and letters in order, the exact name first', async () => {
    const words = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'kron reb' });
    assert.equal(words[0].name, 'Kronstadt Rebellion');
    const letters = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'supanarch' });
    assert.ok(letters.some((s) => s.name === 'Suppression of Anarchists'), JSON.stringify(letters.map((s) => s.name)));
    const exact = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'anarchism' });
    assert.equal(exact[0].name, 'Anarchism');
  });

  test('folding ranges cover heading sections and multi-line footnote definitions', async () => {
    const u = client.open(file('Folds.md'), '# Folds\n\n## One\n\nText.\n\n## Two\n\nMore.[^1]\n\n[^1]: A note\n    on two lines.\n');
    const ranges = await client.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri: u } });
    assert.deepEqual(
      ranges.map((r) => [r.startLine, r.endLine]),
      [
        [0, 11],
        [2, 4],
        [6, 11],
        [10, 11],
      ],
    );
    client.close(u);
  });

  test('selection ranges widen from a link\'s label to the link, its paragraph, its list item, the list, its section and the article, for each position asked', async () => {
    const text = '# Sel\n\n## Part\n\n- One [[Mutual Aid|the aid]] two\n- Three\n\nAfter.[^1]\n\n[^1]: Note.\n';
    const u = client.open(file('Sel.md'), text);
    const lines = text.split('\n');
    const at = (line: number, needle: string) => ({ line, character: lines[line].indexOf(needle) + 1 });
    const ranges = await client.request<SelectionRange[]>('textDocument/selectionRange', { textDocument: { uri: u }, positions: [at(4, 'the aid'), at(7, '1]')] });
    const textOf = (r: SelectionRange['range']) => {
      const joined = lines.slice(r.start.line, r.end.line + 1).join('\n');
      return joined.slice(r.start.character, joined.length - (lines[r.end.line].length - r.end.character));
    };
    const chain = (s: SelectionRange | undefined): string[] => (s ? [textOf(s.range), ...chain(s.parent)] : []);
    assert.equal(ranges.length, 2, 'one chain per position');
    assert.deepEqual(chain(ranges[0]), [
      'the aid',
      '[[Mutual Aid|the aid]]',
      'One [[Mutual Aid|the aid]] two',
      '- One [[Mutual Aid|the aid]] two',
      '- One [[Mutual Aid|the aid]] two\n- Three',
      text.slice(text.indexOf('## Part')).trimEnd(),
      text.trimEnd(),
      text,
    ]);
    assert.deepEqual(chain(ranges[1]).slice(0, 3), ['1', '[^1]', 'After.[^1]']);
    client.close(u);
  });

  test('workspace symbols are capped by the setting', async () => {
    client.settings = { workspaceSymbols: { maxItems: 2 } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    try {
      let found: WorkspaceSymbol[] = [];
      const start = Date.now();
      do found = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: '' });
      while (found.length !== 2 && Date.now() - start < 3000);
      assert.equal(found.length, 2);
    } finally {
      client.settings = {};
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }
  });

  test('document links cover every syntax and open the target file at the heading\'s line', async () => {
    const u = client.open(file('Capitalism.md'));
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: u } });
    assert.deepEqual(
      links.map((l) => [l.range.start.line, l.target]),
      [
        [5, `${uri(file('Communism.md'))}#L9`],
        [6, `${uri(file('Anarchism.md'))}#L9`],
        [10, uri(file('Mutual_Aid.md'))],
      ],
      'the broken [[Market Socialism]] gets no link',
    );
    const ml = client.open(file('Marxism-Leninism.md'));
    const anchors = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: ml } });
    assert.ok(anchors.some((l) => l.target === uri(file('Capitalism.md'))), 'HTML anchors link too');
  });
});
