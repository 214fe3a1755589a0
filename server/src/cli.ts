#!/usr/bin/env node
// The command line: the core's checks for CI and scripts (`check`, `wanted`, `orphans`, `backlinks`, `mentions`).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { checkWiki } from './core/check';
import { buildIndex } from './core/indexer';
import { nameKey } from './core/names';
import { defaultSettings, mergeSettings, partialFromSection, type CoreSettings } from './core/settings';
import { readSettingsFile } from './core/settingsFile';
import { isArticleProper, Wiki, type Article } from './core/wiki';
import { outgoingMentions } from './core/features/outgoing';
import type { Problem } from './core/types';
import { NodeWorkspace, toSlashes } from './core/workspace';
import { VERSION } from './version';

const HELP = `linked-articles: checks a wiki of markdown articles that link to each other.

Usage:
  linked-articles check [folder... | file... [--root DIR]] [--format text|json|github|sarif] [--severity code=level ...] [--case insensitive|first-letter|exact]
      Reports every broken or ambiguous link, broken heading, double redirect, missing,
      unused or duplicate footnote, and undefined, unused or duplicate link definition.
      Text lines read  path:line:column: severity code message
      (1-based; paths relative to the folder checked). JSON is an array of
      { "file", "range", "severity", "code", "message" } with LSP (0-based) ranges.
      Exit status: 1 if any error or warning was reported, 0 if not, 2 on bad usage
      or an unreadable folder. --format github writes GitHub Actions annotations
      (::error file=…,line=…::message, paths relative to the current directory),
      which a workflow step shows on the pull request's changed lines; --format sarif
      writes a SARIF 2.1.0 log (the same paths) for GitHub code scanning and other
      tools that read SARIF. Given article
      files (as a pre-commit hook passes them), check reports only theirs, each
      checked against the whole wiki: --root DIR (default: the current directory).
  linked-articles wanted [folder] [--format text|json]
      Missing articles, ranked by how many links want them.
  linked-articles orphans [folder] [--format text|json]
      Articles no other article links to, by title (not pages of MediaWiki's other
      namespaces, File:, Template:, User talk: …, nor redirects, the main page or a README).
  linked-articles backlinks <article> [folder] [--format text|json]
      The links to an article (by title, file name or path), and to its redirect pages.
  linked-articles mentions <article> [folder] [--format text|json]
      The other articles an article names in its text without linking them (not those
      it links already), each place: what an editor's Outgoing Links view lists.
  linked-articles --help
  linked-articles --version

Options:
  --format text|json|github|sarif  output format (default text; github, sarif: check only)
  --severity CODE=LEVEL    set a problem's severity: error, warning, information, hint or off
                           (codes: broken-link, missing-file, broken-heading, ambiguous-link,
                           double-redirect, undefined-reference, unused-link-definition,
                           duplicate-link-definition, missing-footnote-definition,
                           unused-footnote-definition, duplicate-footnote-definition); may be repeated
  --case MODE              name matching: insensitive (default), first-letter (MediaWiki), exact
  --include GLOB / --exclude GLOB   which files are articles (default **/*.md, **/*.markdown)
  --root DIR               check: the wiki that article files given are checked against
  --cache DIR              keep an index cache in DIR (outside the wiki): a later run re-reads
                           only files whose size, time or content changed

The folder defaults to the current directory. The linkedArticles.* settings in the first
folder's .vscode/settings.json, the workspace settings VS Code applies to the wiki, are used
too (caseMode, include, exclude, interwiki, glossaryFiles, maxFileSizeMB, diagnostics.*,
orphans.exclude), and each other folder's diagnostics.* severities for its own files; the
flags take precedence over them.`;

class UsageError extends Error {}

/** Thrown to print the version and exit 0, as `--help` prints the usage. */
class VersionAsked extends Error {}

type Format = 'text' | 'json' | 'github' | 'sarif';

interface Options {
  command: string;
  positional: string[];
  format: Format;
  /** The settings the flags give; a wiki's `.vscode/settings.json` fills in the rest (settingsFor). */
  flags: Record<string, unknown>;
  /** check's `--root`: the wiki that article files given to check are checked against. */
  root?: string;
  cacheDir?: string;
}

function parseArgs(argv: string[]): Options {
  const positional: string[] = [];
  let format: Format = 'text';
  const severity: Record<string, string> = {};
  const raw: Record<string, unknown> = {};
  const include: string[] = [];
  const exclude: string[] = [];
  let cacheDir: string | undefined;
  let root: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const name = a.startsWith('--') ? a.split('=')[0] : a;
    switch (name) {
      case '--help':
      case '-h':
        throw new UsageError('');
      case '--version':
      case '-V':
        throw new VersionAsked();
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'github' && v !== 'sarif') throw new UsageError(`--format must be text, json, github or sarif, not '${v}'`);
        format = v;
        break;
      }
      case '--severity': {
        const v = value();
        const [code, level] = v.split('=');
        if (!code || !level || !(code in defaultSettings().severity) || !['error', 'warning', 'information', 'hint', 'off'].includes(level)) {
          throw new UsageError(`--severity takes CODE=LEVEL, e.g. broken-link=error; got '${v}'`);
        }
        severity[code] = level;
        break;
      }
      case '--case': {
        const v = value();
        if (!['insensitive', 'first-letter', 'exact'].includes(v)) throw new UsageError(`--case must be insensitive, first-letter or exact, not '${v}'`);
        raw.caseMode = v;
        break;
      }
      case '--include':
        include.push(value());
        break;
      case '--cache':
        cacheDir = value();
        break;
      case '--root':
        root = value();
        break;
      case '--exclude':
        exclude.push(value());
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  const command = positional.shift();
  if (!command) throw new UsageError('');
  if (!['check', 'wanted', 'orphans', 'backlinks', 'mentions'].includes(command)) throw new UsageError(`unknown command '${command}'`);
  if ((format === 'github' || format === 'sarif') && command !== 'check') throw new UsageError(`--format ${format} is for check; ${command} takes text or json`);
  raw.severity = severity;
  if (include.length) raw.include = include;
  if (exclude.length) raw.exclude = exclude;
  if (root !== undefined && command !== 'check') throw new UsageError(`--root is for check; ${command} takes its folder as an argument`);
  return { command, positional, format, flags: raw, cacheDir, root };
}

function checkFolders(folders: string[]): string[] {
  return folders.map((f) => {
    const abs = nodePath.resolve(f);
    const why: Record<string, string> = { ENOENT: 'no such folder', EACCES: 'permission denied', EPERM: 'permission denied', ELOOP: 'too many symbolic links' };
    try {
      // stat before readdir: a file given as the folder should say so, not ENOTDIR.
      if (!fs.statSync(abs).isDirectory()) throw new FolderError(`${f} is not a folder`);
      fs.readdirSync(abs);
    } catch (e) {
      if (e instanceof FolderError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new FolderError(`cannot read folder ${f}: ${code ? `${why[code] ?? 'error'} (${code})` : (e as Error).message}`);
    }
    return abs;
  });
}

class FolderError extends Error {}

/**
 * The settings of a run: the flags, over the `linkedArticles.*` settings of the first folder's
 * `.vscode/settings.json` (the workspace settings VS Code itself applies to that wiki, so that CI and the editor
 * report alike), over the defaults. The file is read as VS Code reads it (comments and trailing commas allowed),
 * only from inside the folder; one that cannot be read or parsed is said so on stderr and not used.
 */
function settingsFor(folders: string[], flags: Record<string, unknown>, folder = folders[0]): CoreSettings {
  const { file, section, problem } = readSettingsFile(new NodeWorkspace(folders, defaultSettings()), folder);
  if (problem) log(`${file}: ${problem}`);
  if (!section) return mergeSettings(flags);
  if (Object.keys(section).length) log(`settings from ${file}: ${Object.keys(section).join(', ')} (flags take precedence)`);
  const fromFile = partialFromSection(section);
  return mergeSettings({ ...fromFile, ...flags, severity: { ...(fromFile.severity as object), ...(flags.severity as object) } });
}

type Severities = CoreSettings['severity'];

/**
 * For a check of several folders: each folder's severities, as VS Code applies each folder's own settings to its
 * files (the rest, case mode and exclusions, is the wiki's, the first folder's), and the severities to check with,
 * every code on that some folder reports.
 */
function folderSeverities(folders: string[], flags: Record<string, unknown>, first: CoreSettings): { byFolder: Severities[]; union: Severities } | undefined {
  if (folders.length < 2) return undefined;
  const byFolder = [first.severity, ...folders.slice(1).map((folder) => settingsFor(folders, flags, folder).severity)];
  const union = { ...first.severity };
  for (const severity of byFolder) {
    for (const [code, level] of Object.entries(severity) as [keyof Severities, Severities[keyof Severities]][]) if (union[code] === 'off') union[code] = level;
  }
  return { byFolder, union };
}

const log = (msg: string) => process.stderr.write(`linked-articles: ${msg}\n`);

function load(folders: string[], settings: CoreSettings, cacheDir?: string): { wiki: Wiki; workspace: NodeWorkspace } {
  const workspace = new NodeWorkspace(folders, settings);
  const wiki = new Wiki(workspace.folders, settings);
  const report = buildIndex(wiki, workspace, { cacheDir, log });
  for (const s of report.skipped) process.stderr.write(`linked-articles: skipped ${s.path}: ${s.reason}\n`);
  return { wiki, workspace };
}

function relativeTo(folders: string[], path: string): string {
  const folder = folders.filter((f) => path.startsWith(f + '/')).sort((a, b) => b.length - a.length)[0];
  if (!folder) return path;
  const rel = path.slice(folder.length + 1);
  return folders.length > 1 ? toSlashes(nodePath.basename(folder)) + '/' + rel : rel;
}

/**
 * The folders (wikis) and the article files among check's paths. Files are what a pre-commit hook passes (the
 * files a commit touches): each is checked against the whole wiki it lies in, `--root` (default: the folders
 * given, else the current directory), and only their problems are reported.
 */
function checkPaths(paths: string[], root: string | undefined): { folders: string[]; only?: Set<string> } {
  const files: string[] = [];
  const folderArgs: string[] = [];
  for (const p of paths) {
    let isFile = false;
    try {
      isFile = fs.statSync(p).isFile();
    } catch {
      // checkFolders says what is wrong with it.
    }
    (isFile ? files : folderArgs).push(p);
  }
  if (!files.length) return { folders: checkFolders(folderArgs.length ? folderArgs : [root ?? '.']) };
  if (root !== undefined && folderArgs.length) throw new UsageError('give the wiki either as a folder or with --root, not both');
  const folders = checkFolders(folderArgs.length ? folderArgs : [root ?? '.']);
  const only = new Set<string>();
  for (const f of files) {
    const abs = toSlashes(nodePath.resolve(f));
    if (!folders.some((folder) => abs.startsWith(toSlashes(folder) + '/'))) {
      throw new FolderError(`${f} is not inside the wiki (${folders.join(', ')}); name the wiki's folder with --root DIR`);
    }
    only.add(abs);
  }
  return { folders, only };
}

function runCheck(opts: Options, out: (s: string) => void): number {
  const { folders, only } = checkPaths(opts.positional, opts.root);
  const settings = settingsFor(folders, opts.flags);
  const perFolder = folderSeverities(folders, opts.flags, settings);
  const { workspace, articles: checked, report } = checkWiki(folders, perFolder ? { ...settings, severity: perFolder.union } : settings, { cacheDir: opts.cacheDir, log });
  for (const s of report.skipped) process.stderr.write(`linked-articles: skipped ${s.path}: ${s.reason}\n`);
  const articles = only ? checked.filter((a) => only.has(a.path)) : checked;
  const all: { file: string; range: unknown; severity: string; code: string; message: string }[] = [];
  let failing = false;
  const lines: string[] = [];
  const sarif: { path: string; problem: Problem }[] = [];
  for (const { path, problems: found } of articles) {
    const file = relativeTo(workspace.folders, path);
    // The folders in the order given (the workspace keeps it, resolved).
    const own = perFolder?.byFolder[workspace.folders.findIndex((f) => path.startsWith(f + '/'))];
    const problems = own ? found.flatMap((p) => (own[p.code] === 'off' ? [] : [{ ...p, severity: own[p.code] as Problem['severity'] }])) : found;
    for (const p of problems) {
      if (p.severity === 'error' || p.severity === 'warning') failing = true;
      if (opts.format === 'json') all.push({ file, range: p.range, severity: p.severity, code: p.code, message: p.message });
      else if (opts.format === 'github') lines.push(githubAnnotation(path, p));
      else if (opts.format === 'sarif') sarif.push({ path, problem: p });
      else lines.push(`${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} ${p.code} ${p.message}`);
    }
  }
  if (opts.format === 'json') out(JSON.stringify(all, null, 1) + '\n');
  else if (opts.format === 'sarif') out(JSON.stringify(sarifLog(sarif), null, 1) + '\n');
  else {
    out(lines.join('\n') + (lines.length ? '\n' : ''));
    const problems = count(lines.length, 'problem');
    process.stderr.write(only ? `${articles.length} of ${count(checked.length, 'article')} reported, ${problems}\n` : `${count(articles.length, 'article')} checked, ${problems}\n`);
  }
  return failing ? 1 : 0;
}

const SARIF_LEVEL: Record<Problem['severity'], string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * The problems as a SARIF 2.1.0 log: one run, a rule per problem code that occurs, a result per problem. Paths are
 * relative to the current directory (the repository's root in a workflow, which code scanning resolves them against),
 * as URI references; columns count UTF-16 code units, as LSP's do and as SARIF's default says.
 */
function sarifLog(problems: { path: string; problem: Problem }[]): unknown {
  const codes = [...new Set(problems.map((x) => x.problem.code))].sort();
  const uriOf = (path: string) => toSlashes(nodePath.relative(process.cwd(), path)).split('/').map(encodeURIComponent).join('/');
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'linked-articles', version: VERSION, rules: codes.map((id) => ({ id, name: id })) } },
        columnKind: 'utf16CodeUnits',
        results: problems.map(({ path, problem: p }) => ({
          ruleId: p.code,
          ruleIndex: codes.indexOf(p.code),
          level: SARIF_LEVEL[p.severity],
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriOf(path) },
                region: { startLine: p.range.start.line + 1, startColumn: p.range.start.character + 1, endLine: p.range.end.line + 1, endColumn: p.range.end.character + 1 },
              },
            },
          ],
        })),
      },
    ],
  };
}

const GITHUB_LEVEL: Record<Problem['severity'], string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/**
 * A problem as a GitHub Actions workflow command. The file is relative to the current directory, the repository's
 * root in a workflow step, since GitHub places annotations by repository path; the folder checked may be below it.
 * Values are escaped as the runner unescapes them (%, CR and LF everywhere; also : and , in properties), so a message
 * or a file name can neither end the command early nor add a property.
 */
function githubAnnotation(path: string, p: Problem): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const file = toSlashes(nodePath.relative(process.cwd(), path));
  const r = p.range;
  const where = `file=${property(file)},line=${r.start.line + 1},col=${r.start.character + 1},endLine=${r.end.line + 1},endColumn=${r.end.character + 1}`;
  return `::${GITHUB_LEVEL[p.severity]} ${where},title=${property(p.code)}::${data(p.message)}`;
}

function runWanted(opts: Options, out: (s: string) => void): number {
  if (opts.positional.length > 1) throw new UsageError('wanted takes at most one folder');
  const folders = checkFolders(opts.positional.length ? opts.positional : ['.']);
  const { wiki, workspace } = load(folders, settingsFor(folders, opts.flags), opts.cacheDir);
  const wanted = wiki.wanted();
  if (opts.format === 'json') {
    out(JSON.stringify(wanted.map((w) => ({ name: w.name, links: w.count, from: w.sources.map((a) => relativeTo(workspace.folders, a.path)).sort() })), null, 1) + '\n');
  } else {
    for (const w of wanted) {
      const sources = w.sources.map((a) => relativeTo(workspace.folders, a.path));
      out(`${w.count}\t${w.name}\t(from ${sources.slice(0, 5).join(', ')}${sources.length > 5 ? `, and ${sources.length - 5} more` : ''})\n`);
    }
  }
  return 0;
}

function runOrphans(opts: Options, out: (s: string) => void): number {
  if (opts.positional.length > 1) throw new UsageError('orphans takes at most one folder');
  const folders = checkFolders(opts.positional.length ? opts.positional : ['.']);
  const { wiki, workspace } = load(folders, settingsFor(folders, opts.flags), opts.cacheDir);
  const orphans = wiki.orphans().map((a) => ({ title: a.title, file: relativeTo(workspace.folders, a.path) }));
  if (opts.format === 'json') out(JSON.stringify(orphans, null, 1) + '\n');
  else for (const o of orphans) out(`${o.file}\t${o.title}\n`);
  const proper = [...wiki.articles.values()].filter(isArticleProper).length;
  const others = wiki.articles.size - proper;
  const aside = others ? `; ${others} other ${others === 1 ? 'page' : 'pages'} (a main page, redirects, File:, Template: …) not counted` : '';
  process.stderr.write(`${orphans.length} of ${proper} articles have no link from another article${aside}\n`);
  return 0;
}

/** The wiki of the command's folder and the article it names (by title, file name or path); undefined, said on stderr, when none or several. */
function articleArgument(opts: Options, command: string): { wiki: Wiki; workspace: NodeWorkspace; article: Article } | undefined {
  const [name, folder, extra] = opts.positional;
  if (!name) throw new UsageError(`${command} needs an article: linked-articles ${command} <article> [folder]`);
  if (extra) throw new UsageError(`${command} takes one article and at most one folder`);
  const folders = checkFolders([folder ?? '.']);
  const settings = settingsFor(folders, opts.flags);
  const { wiki, workspace } = load(folders, settings, opts.cacheDir);
  const fromRoot = { path: workspace.folders[0] + '/.', folder: workspace.folders[0], rel: '.' };
  let r = wiki.resolveTarget(name, fromRoot);
  if (r.kind !== 'article') {
    const abs = toSlashes(nodePath.resolve(name));
    const direct = wiki.articles.get(abs);
    if (direct) r = { kind: 'article', article: direct };
  }
  if (r.kind === 'ambiguous') {
    process.stderr.write(`linked-articles: '${name}' could mean ${r.candidates.map((c) => relativeTo(workspace.folders, c.path)).join(' or ')}; give a path\n`);
    return undefined;
  }
  if (r.kind !== 'article') {
    process.stderr.write(`linked-articles: no article named '${name}' (${nameKey(name, settings.caseMode)})\n`);
    return undefined;
  }
  return { wiki, workspace, article: r.article };
}

function runMentions(opts: Options, out: (s: string) => void): number {
  const found = articleArgument(opts, 'mentions');
  if (!found) return 2;
  const { wiki, workspace } = found;
  const text = workspace.readText(found.article.path);
  if (text === undefined) {
    process.stderr.write(`linked-articles: cannot read ${relativeTo(workspace.folders, found.article.path)}\n`);
    return 2;
  }
  // The index may keep an article slim; its whole syntax is read again from its text.
  const article = wiki.analyse(found.article.path, text);
  const { mentions, complete } = outgoingMentions(wiki, article, text, { perTarget: Infinity, timeBudgetMs: 60_000 });
  const file = relativeTo(workspace.folders, article.path);
  if (opts.format === 'json') {
    out(JSON.stringify(mentions.map((m) => ({ title: m.article.title, file: relativeTo(workspace.folders, m.article.path), places: m.places.map((p) => ({ range: p.range, text: p.text })) })), null, 1) + '\n');
  } else {
    // In reading order, as a list of places (an editor's quickfix list) reads.
    const places = mentions.flatMap((m) => m.places.map((p) => ({ p, title: m.article.title }))).sort((a, b) => a.p.span.start - b.p.span.start);
    for (const { p, title } of places) out(`${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: '${p.text.replace(/\s+/g, ' ')}' names ${title}\n`);
    process.stderr.write(`${count(mentions.length, 'article')} named in ${count(places.length, 'place')} of ${article.title} without a link${complete ? '' : ' (its first 2 MB searched)'}\n`);
  }
  return 0;
}

function runBacklinks(opts: Options, out: (s: string) => void): number {
  const found = articleArgument(opts, 'backlinks');
  if (!found) return 2;
  const { wiki, workspace } = found;
  const r = { article: found.article };
  const links = wiki.backlinksThrough(r.article).sort((a, b) => (a.source.path < b.source.path ? -1 : a.source.path > b.source.path ? 1 : a.link.span.start - b.link.span.start));
  if (opts.format === 'json') {
    out(
      JSON.stringify(
        links.map((b) => ({ file: relativeTo(workspace.folders, b.source.path), range: b.source.lines.range(b.link.span), syntax: b.link.syntax, ...(b.via ? { via: b.via.title } : {}) })),
        null,
        1,
      ) + '\n',
    );
  } else {
    for (const b of links) {
      const pos = b.source.lines.positionAt(b.link.span.start);
      out(`${relativeTo(workspace.folders, b.source.path)}:${pos.line + 1}:${pos.character + 1}: ${b.link.syntax} link to ${b.via ? `${b.via.title}, a redirect to ` : ''}${r.article.title}\n`);
    }
    process.stderr.write(`${links.length} links to ${r.article.title} (${relativeTo(workspace.folders, r.article.path)})\n`);
  }
  return 0;
}

export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): number {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof VersionAsked) {
      out(VERSION + '\n');
      return 0;
    }
    if (e instanceof UsageError) {
      if (e.message) {
        process.stderr.write(`linked-articles: ${e.message}\nRun linked-articles --help for usage.\n`);
        return 2;
      }
      out(HELP + '\n');
      return argv.includes('--help') || argv.includes('-h') ? 0 : 2;
    }
    throw e;
  }
  try {
    if (opts.command === 'check') return runCheck(opts, out);
    if (opts.command === 'wanted') return runWanted(opts, out);
    if (opts.command === 'orphans') return runOrphans(opts, out);
    if (opts.command === 'mentions') return runMentions(opts, out);
    return runBacklinks(opts, out);
  } catch (e) {
    if (e instanceof FolderError || e instanceof UsageError) {
      process.stderr.write(`linked-articles: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  const code = main(process.argv.slice(2));
  // stdout may be a pipe: let it drain before exiting.
  process.stdout.write('', () => process.exit(code));
}

/** "1 article", "2 articles". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
