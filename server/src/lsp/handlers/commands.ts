// workspace/executeCommand: the server's commands (link an unlinked mention, or the first of each an article has; give a block the id a completion linked it by), one handler as LSP allows.
import { ErrorCodes, MessageType, ResponseError, ShowMessageNotification } from 'vscode-languageserver/node';
import { EditRefused } from '../../core/edits';
import { addBlockIdEdit } from '../../core/features/blocks';
import { firstMentionsEdit, linkMentionEdit } from '../../core/features/codeActions';
import type { Feature, ServerContext } from '../context';
import { documentReader, forClient } from '../editing';
import { AddBlockIdCommand, LinkFirstMentionsCommand, LinkMentionCommand, type AddBlockIdCommandArgs, type LinkMentionArgs } from '../protocol';

type Command = (ctx: ServerContext, arg: unknown) => Promise<{ applied: boolean; linked?: number }>;

const commands: Record<string, Command> = {
  [LinkMentionCommand]: async (ctx, arg) => {
    const args = arg as LinkMentionArgs | undefined;
    if (!args || typeof args.uri !== 'string' || typeof args.target !== 'string' || !args.range) {
      throw new ResponseError(ErrorCodes.InvalidParams, `${LinkMentionCommand} needs one { uri, range, target } argument`);
    }
    const path = ctx.toPath(args.uri);
    const doc = documentReader(ctx)(path);
    const target = ctx.service.wiki.articles.get(ctx.toPath(args.target));
    const article = ctx.service.article(path);
    if (!doc || !target || !article) throw new ResponseError(ErrorCodes.InvalidParams, `${LinkMentionCommand}: no such article`);
    const lines = article.lines;
    const span = { start: lines.offsetAt(args.range.start), end: lines.offsetAt(args.range.end) };
    const edit = forClient(linkMentionEdit(ctx.service.wiki, { path, text: doc.text, version: doc.version }, span, target, { toUri: (p) => ctx.toUri(p) }), ctx.clientCapabilities);
    if (!edit) return { applied: false };
    const result = await ctx.connection.workspace.applyEdit({ label: 'Link the mention', edit });
    return { applied: result.applied };
  },

  [LinkFirstMentionsCommand]: async (ctx, arg) => {
    const args = arg as { uri?: unknown } | undefined;
    if (!args || typeof args.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${LinkFirstMentionsCommand} needs one { uri } argument`);
    // Every article's names must be known before a word is taken for none.
    await ctx.service.whenReady();
    const path = ctx.toPath(args.uri);
    const doc = documentReader(ctx)(path);
    if (!doc || !ctx.service.article(path)) throw new ResponseError(ErrorCodes.InvalidParams, `${LinkFirstMentionsCommand}: no such article`);
    const found = firstMentionsEdit(ctx.service.wiki, { path, text: doc.text, version: doc.version }, undefined, { toUri: (p) => ctx.toUri(p) });
    if (!found) return { applied: true, linked: 0 };
    const edit = forClient(found.edit, ctx.clientCapabilities);
    if (!edit) return { applied: false, linked: 0 };
    const n = found.mentions.length;
    const result = await ctx.connection.workspace.applyEdit({ label: n === 1 ? 'Link the first mention of an article' : `Link the first mention of ${n} articles`, edit });
    return { applied: result.applied, linked: result.applied ? n : 0 };
  },

  [AddBlockIdCommand]: async (ctx, arg) => {
    const args = arg as AddBlockIdCommandArgs | undefined;
    if (!args || typeof args.uri !== 'string' || typeof args.start !== 'number' || typeof args.key !== 'number' || typeof args.id !== 'string' || !/^\^[A-Za-z0-9-]+$/.test(args.id)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `${AddBlockIdCommand} needs one { uri, start, key, id } argument`);
    }
    const path = ctx.toPath(args.uri);
    if (!ctx.service.wiki.articles.has(path)) throw new ResponseError(ErrorCodes.InvalidParams, `${AddBlockIdCommand}: no such article`);
    let core;
    try {
      core = addBlockIdEdit(ctx.service.wiki, documentReader(ctx), { path, start: args.start, key: args.key, id: args.id }, (p) => ctx.toUri(p));
    } catch (e) {
      // Run by the editor after a completion was chosen, not asked by the writer: said as a warning (a message that
      // waits for no answer), not as an error of the request.
      if (!(e instanceof EditRefused)) throw e;
      void ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: e.message });
      return { applied: false };
    }
    // The block has the id already (the command ran twice): the link leads there.
    if (!core) return { applied: true };
    const edit = forClient(core, ctx.clientCapabilities);
    if (!edit) return { applied: false };
    const result = await ctx.connection.workspace.applyEdit({ label: `Add the block id ${args.id}`, edit });
    return { applied: result.applied };
  },
};

export const commandsFeature: Feature = {
  name: 'commands',
  capabilities: () => ({ executeCommandProvider: { commands: Object.keys(commands) } }),
  register(ctx) {
    ctx.connection.onExecuteCommand(
      ctx.guard('workspace/executeCommand', async (params) => {
        const command = commands[params.command];
        if (!command) throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command ${params.command}`);
        return command(ctx, params.arguments?.[0]);
      }),
    );
  },
};
