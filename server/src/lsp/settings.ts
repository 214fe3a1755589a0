// The `linkedArticles.*` settings: read from the client (per workspace folder) and mapped onto the core's settings.
import { contributes } from '../../../package.json';
import { mergeSettings, partialFromSection, type CoreSettings } from '../core/settings';

/**
 * The top-level keys of the `linkedArticles` section, as the extension's manifest declares its settings: initialization
 * options that hold the settings themselves are told by them (session.ts).
 */
export const SECTION_KEYS: ReadonlySet<string> = new Set(Object.keys(contributes.configuration.properties).map((k) => k.split('.')[1]));

export interface LspSettings {
  core: CoreSettings;
  completion: { maxItems: number };
  workspaceSymbols: { maxItems: number };
  /** `scope`: `open` reports problems in the open articles; `workspace` in every article of the wiki, open or not. */
  diagnostics: { enabled: boolean; scope: 'open' | 'workspace' };
  /** `leaveRedirect`: whether renaming an article's file leaves a redirect page at its old name (features/rename.ts). */
  rename: { leaveRedirect: 'auto' | 'always' | 'never' };
}

function positiveInt(v: unknown, fallback: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.min(Math.floor(v), max) : fallback;
}

/** Maps the client's `linkedArticles` section (a nested object, as VS Code returns it) onto the settings; bad values fall back to defaults. */
export function toLspSettings(raw: unknown): LspSettings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const diagnostics = r.diagnostics && typeof r.diagnostics === 'object' ? (r.diagnostics as Record<string, unknown>) : {};
  const core = mergeSettings(partialFromSection(r));
  const completion = r.completion && typeof r.completion === 'object' ? (r.completion as Record<string, unknown>) : {};
  const symbols = r.workspaceSymbols && typeof r.workspaceSymbols === 'object' ? (r.workspaceSymbols as Record<string, unknown>) : {};
  const rename = r.rename && typeof r.rename === 'object' ? (r.rename as Record<string, unknown>) : {};
  return {
    core,
    completion: { maxItems: positiveInt(completion.maxItems, 100, 5000) },
    workspaceSymbols: { maxItems: positiveInt(symbols.maxItems, 256, 5000) },
    diagnostics: { enabled: diagnostics.enabled !== false, scope: diagnostics.scope === 'workspace' ? 'workspace' : 'open' },
    rename: { leaveRedirect: rename.leaveRedirect === 'always' || rename.leaveRedirect === 'never' ? rename.leaveRedirect : 'auto' },
  };
}

/** Whether two settings need a new index (names, articles or glossaries are read differently), not just new diagnostics. */
export function needsReindex(a: CoreSettings, b: CoreSettings): boolean {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  return a.caseMode !== b.caseMode || a.maxFileSize !== b.maxFileSize || !same(a.glossaryFiles, b.glossaryFiles) || !same(a.include, b.include) || !same(a.exclude, b.exclude);
}
