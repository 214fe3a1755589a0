// textDocument/semanticTokens (full and range): wiki links, tags, footnotes and comments, for editors without the extension's grammar.
import type { SemanticTokens } from 'vscode-languageserver/node';
import { TOKEN_TYPES, type SemanticToken } from '../../core/features/semanticTokens';
import type { Feature } from '../context';

/** LSP's relative encoding: each token's line and start from the one before, its length, type and (no) modifiers. */
function encode(tokens: SemanticToken[]): SemanticTokens {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const t of tokens) {
    data.push(t.line - line, t.line === line ? t.character - character : t.character, t.length, t.type, 0);
    line = t.line;
    character = t.character;
  }
  return { data };
}

export const semanticTokensFeature: Feature = {
  name: 'semanticTokens',
  // Not for VS Code, whose grammar (syntaxes/) colours these already: its client says `semanticTokens: false`.
  capabilities: (client, options) =>
    client.textDocument?.semanticTokens && options?.semanticTokens !== false
      ? { semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [] }, full: true, range: true } }
      : {},
  register(ctx) {
    ctx.connection.languages.semanticTokens.on(
      ctx.guard('textDocument/semanticTokens/full', (params): SemanticTokens => encode(ctx.service.semanticTokens(ctx.toPath(params.textDocument.uri)))),
    );
    ctx.connection.languages.semanticTokens.onRange(
      ctx.guard('textDocument/semanticTokens/range', (params): SemanticTokens => {
        const { start, end } = params.range;
        const inside = (t: SemanticToken) => (t.line > start.line || (t.line === start.line && t.character + t.length > start.character)) && (t.line < end.line || (t.line === end.line && t.character < end.character));
        return encode(ctx.service.semanticTokens(ctx.toPath(params.textDocument.uri)).filter(inside));
      }),
    );
  },
};
