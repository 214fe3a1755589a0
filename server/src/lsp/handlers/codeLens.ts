// textDocument/codeLens: backlink counts above an article's title and its linked headings; a refresh asked of the client when links elsewhere change.
import type { CodeLens } from 'vscode-languageserver/node';
import type { Feature } from '../context';

/**
 * The client command a lens runs, `[uri, position, exclude]`: the references at `position` but for those in `uri` within
 * the `exclude` ranges (the VS Code client shows them in a peek; client/src/extension.ts).
 */
export const ShowReferencesCommand = 'linkedArticles.showReferences';

/**
 * A pause after the last change before the client is asked to fetch lenses again: counts change when links are
 * typed in other articles, which the client cannot know, but asking after every keystroke would recount the visible
 * articles' backlinks each time.
 */
const REFRESH_AFTER_MS = 750;

export const codeLensFeature: Feature = {
  name: 'codeLens',
  capabilities: () => ({ codeLensProvider: { resolveProvider: false } }),
  register(ctx) {
    ctx.connection.onCodeLens(
      ctx.guard('textDocument/codeLens', (params, token): CodeLens[] =>
        ctx.service.codeLenses(ctx.toPath(params.textDocument.uri), { isCancelled: () => token.isCancellationRequested }).map((l) => ({
          range: l.range,
          command: { title: l.title, command: ShowReferencesCommand, arguments: [params.textDocument.uri, l.position, l.exclude] },
        })),
      ),
    );
    if (!ctx.clientCapabilities.workspace?.codeLens?.refreshSupport) return;
    let timer: NodeJS.Timeout | undefined;
    ctx.onWikiChanged(() => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        ctx.connection.sendRequest('workspace/codeLens/refresh').catch(() => {
          // A client that went away, or refused: the next request for lenses counts afresh anyway.
        });
      }, REFRESH_AFTER_MS);
      timer.unref?.();
    });
  },
};
