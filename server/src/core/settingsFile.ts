// A wiki's own settings file, `.vscode/settings.json`: read by the command line, and by the server for an editor that gives it no settings.
// The ES module build: the UMD one that `main` names requires its parts at run time, which a bundle cannot follow.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { sectionFromSettingsFile } from './settings';
import type { Workspace } from './workspace';

/** Where VS Code keeps a folder's workspace settings. */
export const SETTINGS_FILE = '.vscode/settings.json';

/**
 * The `linkedArticles` section of a folder's settings file, read as VS Code reads it (comments and trailing commas
 * allowed) and through the workspace, so never from outside the folders; `section` is undefined when there is no
 * such file, and `problem` says why one that is there is not used (unreadable, a link leading out, not JSON).
 */
export function readSettingsFile(workspace: Workspace, folder: string): { file: string; section?: Record<string, unknown>; problem?: string } {
  const file = folder + '/' + SETTINGS_FILE;
  let text: string;
  try {
    text = workspace.readText(file);
  } catch (e) {
    // No settings file is the usual case; one that is there but cannot be read is said so.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file };
    return { file, problem: `${(e as Error).message}; its settings are not used` };
  }
  const errors: ParseError[] = [];
  const json: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length) return { file, problem: `not valid JSON (${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}); its settings are not used` };
  return { file, section: sectionFromSettingsFile(json) };
}

