// The settings the core understands, with their defaults; the LSP adapter and the CLI fill them from `linkedArticles.*`.
import type { ProblemCode, SeveritySetting } from './types';

export type CaseMode = 'insensitive' | 'first-letter' | 'exact';

export interface CoreSettings {
  /** How names are compared: ignoring case (default), MediaWiki's first-letter folding, or exactly. */
  caseMode: CaseMode;
  /** Prefixes that make a target an external (interwiki) link. */
  interwiki: string[];
  severity: Record<ProblemCode, SeveritySetting>;
  /** Titles or file names of articles that are glossaries as a whole. */
  glossaryFiles: string[];
  /** Glob patterns (relative to a workspace folder) of the articles. */
  include: string[];
  exclude: string[];
  /** Articles larger than this many bytes are left out of the index (they still work when opened). */
  maxFileSize: number;
  /** Glob patterns (relative to a workspace folder) of articles the orphaned articles leave out (an index page, drafts). */
  orphansExclude: string[];
}

export const DEFAULT_SEVERITY: Record<ProblemCode, SeveritySetting> = {
  'broken-link': 'warning',
  'missing-file': 'warning',
  'broken-heading': 'warning',
  'ambiguous-link': 'warning',
  'double-redirect': 'warning',
  'undefined-reference': 'warning',
  'unused-link-definition': 'hint',
  'duplicate-link-definition': 'warning',
  'missing-footnote-definition': 'error',
  'unused-footnote-definition': 'warning',
  'duplicate-footnote-definition': 'error',
};

export const DEFAULT_INTERWIKI = ['wikipedia', 'w', 'wikt', 'm', 'meta', 'mw', 'commons'];

export function defaultSettings(): CoreSettings {
  return {
    caseMode: 'insensitive',
    interwiki: [...DEFAULT_INTERWIKI],
    severity: { ...DEFAULT_SEVERITY },
    glossaryFiles: ['Glossary'],
    include: ['**/*.md', '**/*.markdown'],
    exclude: ['**/node_modules/**', '**/.git/**'],
    maxFileSize: 10 * 1024 * 1024,
    orphansExclude: [],
  };
}

/** The `linkedArticles.diagnostics.*` setting behind each problem code. */
export const SEVERITY_SETTINGS: Record<ProblemCode, string> = {
  'broken-link': 'brokenLink',
  'missing-file': 'missingFile',
  'broken-heading': 'brokenHeading',
  'ambiguous-link': 'ambiguousLink',
  'double-redirect': 'doubleRedirect',
  'undefined-reference': 'undefinedReference',
  'unused-link-definition': 'unusedLinkDefinition',
  'duplicate-link-definition': 'duplicateLinkDefinition',
  'missing-footnote-definition': 'missingFootnoteDefinition',
  'unused-footnote-definition': 'unusedFootnoteDefinition',
  'duplicate-footnote-definition': 'duplicateFootnoteDefinition',
};

/**
 * The `linkedArticles` settings section (nested, as VS Code gives it: `{ caseMode, diagnostics: { brokenLink } }`)
 * as the partial settings `mergeSettings` takes. The editor's settings and the command line's reading of a wiki's
 * `.vscode/settings.json` go through this one mapping, so the two cannot read a setting differently.
 */
export function partialFromSection(raw: unknown): Record<string, unknown> {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const diagnostics = r.diagnostics && typeof r.diagnostics === 'object' ? (r.diagnostics as Record<string, unknown>) : {};
  const severity: Record<string, unknown> = {};
  for (const [code, name] of Object.entries(SEVERITY_SETTINGS)) if (diagnostics[name] !== undefined) severity[code] = diagnostics[name];
  const out: Record<string, unknown> = { severity };
  for (const key of ['caseMode', 'interwiki', 'glossaryFiles', 'include', 'exclude']) if (r[key] !== undefined) out[key] = r[key];
  if (typeof r.maxFileSizeMB === 'number') out.maxFileSize = r.maxFileSizeMB * 1024 * 1024;
  const orphans = r.orphans && typeof r.orphans === 'object' ? (r.orphans as Record<string, unknown>) : {};
  if (orphans.exclude !== undefined) out.orphansExclude = orphans.exclude;
  return out;
}

/**
 * A VS Code settings file's `linkedArticles.*` entries as a nested section. Settings files write them flat
 * (`"linkedArticles.diagnostics.brokenLink": "error"`); a nested object under `linkedArticles` is read too.
 */
export function sectionFromSettingsFile(json: unknown): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  if (!json || typeof json !== 'object' || Array.isArray(json)) return section;
  const put = (path: string[], value: unknown) => {
    let at = section;
    for (const part of path.slice(0, -1)) {
      const next = at[part];
      at = (at[part] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    at[path[path.length - 1]] = value;
  };
  const walk = (prefix: string[], value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk([...prefix, ...k.split('.')], v);
    else put(prefix, value);
  };
  for (const [key, value] of Object.entries(json)) {
    const parts = key.split('.');
    if (parts[0] !== 'linkedArticles') continue;
    walk(parts.slice(1), value);
  }
  return section;
}

/** Merges user-supplied values over the defaults, ignoring values of the wrong type. */
export function mergeSettings(partial: Partial<Record<string, unknown>> | undefined): CoreSettings {
  const s = defaultSettings();
  if (!partial) return s;
  const p = partial as Record<string, unknown>;
  if (p.caseMode === 'insensitive' || p.caseMode === 'first-letter' || p.caseMode === 'exact') s.caseMode = p.caseMode;
  if (Array.isArray(p.interwiki)) s.interwiki = p.interwiki.filter((x): x is string => typeof x === 'string');
  if (Array.isArray(p.glossaryFiles)) s.glossaryFiles = p.glossaryFiles.filter((x): x is string => typeof x === 'string');
  if (Array.isArray(p.include) && p.include.length) s.include = p.include.filter((x): x is string => typeof x === 'string');
  if (Array.isArray(p.exclude)) s.exclude = [...new Set([...p.exclude.filter((x): x is string => typeof x === 'string'), '**/node_modules/**', '**/.git/**'])];
  if (typeof p.maxFileSize === 'number' && p.maxFileSize > 0) s.maxFileSize = p.maxFileSize;
  if (Array.isArray(p.orphansExclude)) s.orphansExclude = p.orphansExclude.filter((x): x is string => typeof x === 'string');
  if (p.severity && typeof p.severity === 'object') {
    for (const [code, value] of Object.entries(p.severity as Record<string, unknown>)) {
      if (code in s.severity && ['error', 'warning', 'information', 'hint', 'off'].includes(value as string)) {
        s.severity[code as ProblemCode] = value as SeveritySetting;
      }
    }
  }
  return s;
}
