// The workspace the core reads: listing and reading files, injected so tests can run on an in-memory wiki.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { Minimatch } from 'minimatch';
import type { CoreSettings } from './settings';
import { finish } from './steps';

export interface FileInfo {
  path: string;
  size: number;
  mtimeMs: number;
  /**
   * The walk found a regular file (not a symbolic link) in a folder it had confirmed to be inside the workspace, so
   * reading it needs no realpath: resolving every path again was 0.45 s of CPU per 10,000 articles.
   */
  confined?: boolean;
}

export interface Workspace {
  /** Absolute folder paths, `/`-separated. */
  readonly folders: string[];
  /** Every file under the folders (articles and attachments); `onSkip` hears of what could not be listed. */
  listFiles(onSkip?: (path: string, reason: string) => void): FileInfo[];
  /**
   * Optional: `listFiles` a step at a time, each step some files stated, so that a server answers requests between
   * steps (stating the 50,000 files of the largest bench wiki held the server 0.2–0.3 s at once).
   */
  listFilesInSteps?(onSkip?: (path: string, reason: string) => void): Generator<void, FileInfo[]>;
  /**
   * Reads a file's text; throws with a clear message when it cannot. `confined`: the path is one `listFiles` gave
   * with `confined` set, so the workspace only makes sure it has not become a symbolic link since.
   */
  readText(path: string, confined?: boolean): string;
  /**
   * The symbolic links listed last whose file is `path` (a path in the folders' terms). Optional: watchers report an
   * edit under the file's own path only, so a workspace that has such links names them for the edit to reach them.
   */
  linksTo?(path: string): string[];
  /**
   * Optional, with `linksTo`: a file at `path` was created, changed or deleted since the listing. A symbolic link made
   * (or pointed elsewhere, or replaced) since then is known to `linksTo` from now on, not only after the next listing.
   */
  noteFile?(path: string): void;
  /**
   * Something that changes whenever the file does (device, inode, size, modification time), read without opening it;
   * undefined when the path is not a regular file. Optional: a workspace without it gets no text kept between reads.
   */
  stamp?(path: string): string | undefined;
  /**
   * Optional: the first bytes of a file (at most `bytes`), confined to the folders as `readText` is; for what a file's
   * header says (an image's size for its preview), never its text.
   */
  readHead?(path: string, bytes: number): Uint8Array;
}

export function toSlashes(p: string): string {
  return p.replace(/\\/g, '/');
}

/**
 * Hidden folders (`.github`, `.obsidian`) hold tooling, not articles; but a file name may start with a dot
 * (owasp-wiki's `.NET.md`), and leaving it out would break every link to it.
 */
const matchers = new Map<string, (rel: string) => boolean>();
/**
 * A compiled glob, as a test of a folder-relative path, compiled once per pattern (one per file and pattern had taken
 * 1.7 s of CPU at the start of a 50,000-article wiki). Minimatch's own `match` walks the pattern's parts for every
 * path: classifying the 10,000 paths of the bench wiki with the two default globs took 110 ms of the index's start
 * (before any worker has a file); the regular expression Minimatch makes of the same pattern (negation included)
 * answers alike in a few milliseconds. A pattern it cannot express as one is matched the slow way.
 */
export function glob(pattern: string): (rel: string) => boolean {
  let test = matchers.get(pattern);
  if (!test) {
    const m = new Minimatch(pattern, { dot: true, nocase: true });
    const re = m.makeRe();
    test = re ? (rel) => re.test(rel) : (rel) => m.match(rel);
    if (matchers.size > 1000) matchers.clear();
    matchers.set(pattern, test);
  }
  return test;
}

export function isArticlePath(rel: string, settings: CoreSettings): boolean {
  if (/(^|\/)\.[^/]*\//.test(rel)) return false;
  return settings.include.some((g) => glob(g)(rel)) && !settings.exclude.some((g) => glob(g)(rel));
}

export function isExcluded(rel: string, settings: CoreSettings): boolean {
  return settings.exclude.some((g) => glob(g)(rel));
}

const DECODER = new TextDecoder('utf-8', { fatal: false });
/** Files stated per step of `listFilesInSteps`: about a millisecond's work. */
const LIST_STEP = 256;

/**
 * Turns a file's bytes into text: a BOM is dropped, invalid UTF-8 becomes U+FFFD, and a file with NUL bytes is
 * taken for binary and refused, since showing or indexing it would only produce noise.
 */
export function decodeArticle(bytes: Uint8Array, path: string): string {
  const probe = bytes.subarray(0, 8000);
  if (probe.indexOf(0) >= 0) throw new Error(`${path} looks binary (it contains NUL bytes); skipped`);
  let text = DECODER.decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Undefined where the platform has no such flag (Windows): every read is then confined with realpath. */
const O_NOFOLLOW: number | undefined = (fs.constants as { O_NOFOLLOW?: number }).O_NOFOLLOW;

/** Linux names each open file in /proc/self/fd: its target is the real path of what was opened. */
const PROC_FD = process.platform === 'linux' && fs.existsSync('/proc/self/fd');

function fdRealPath(fd: number): string | undefined {
  try {
    return toSlashes(fs.readlinkSync(`/proc/self/fd/${fd}`));
  } catch {
    return undefined;
  }
}

/** The real file system, confined to the folders: symbolic links that lead outside them are not followed. */
export class NodeWorkspace implements Workspace {
  readonly folders: string[];
  private readonly realFolders: string[];

  /** Symbolic links to files inside the workspace, by the path of the file they lead to (linksTo). */
  private readonly linkedFiles = new Map<string, string[]>();
  /** The same the other way: where each such link leads. */
  private readonly linkTargets = new Map<string, string>();

  constructor(folders: string[], private readonly settings: CoreSettings) {
    this.folders = folders.map((f) => toSlashes(nodePath.resolve(f)).replace(/\/+$/, ''));
    // Native, as isInside's is: both sides of its comparison come from the same realpath.
    this.realFolders = this.folders.map((f) => {
      try {
        return toSlashes(fs.realpathSync.native(f));
      } catch {
        return f;
      }
    });
  }

  /** Whether a path (after following links) stays inside a workspace folder. */
  isInside(path: string): boolean {
    let real: string;
    try {
      // The native realpath(3) is one call; the JavaScript one stats every component (13 µs against 30–60 µs a file,
      // paid for each article a backlinks answer or a hover reads).
      real = toSlashes(fs.realpathSync.native(path));
    } catch {
      return false;
    }
    return this.isReallyInside(real);
  }

  private isReallyInside(real: string | undefined): boolean {
    return real !== undefined && this.realFolders.some((f) => real === f || real.startsWith(f + '/'));
  }

  linksTo(path: string): string[] {
    return this.linkedFiles.get(path) ?? [];
  }

  noteFile(path: string): void {
    this.forgetLink(path);
    let link = false;
    try {
      link = fs.lstatSync(path).isSymbolicLink();
    } catch {
      return; // gone: forgotten above
    }
    if (!link) return;
    let target: string | undefined;
    try {
      // A link to a folder is not walked (listFiles), and leads to no article.
      if (!fs.statSync(path).isFile()) return;
      target = this.inFolderTerms(toSlashes(fs.realpathSync.native(path)));
    } catch {
      return; // dangling, or a loop: reading it says so
    }
    // A link that leads outside the folders is no article.
    if (target !== undefined && target !== path) this.rememberLink(path, target);
  }

  private rememberLink(link: string, target: string): void {
    const links = this.linkedFiles.get(target);
    if (links) {
      if (!links.includes(link)) links.push(link);
    } else this.linkedFiles.set(target, [link]);
    this.linkTargets.set(link, target);
  }

  private forgetLink(link: string): void {
    const target = this.linkTargets.get(link);
    if (target === undefined) return;
    this.linkTargets.delete(link);
    const links = this.linkedFiles.get(target)!;
    links.splice(links.indexOf(link), 1);
    if (!links.length) this.linkedFiles.delete(target);
  }

  /** A real path inside a workspace folder, written under that folder's path as given (which may itself be a link). */
  private inFolderTerms(real: string): string | undefined {
    for (let i = 0; i < this.realFolders.length; i++) {
      const f = this.realFolders[i];
      if (real === f || real.startsWith(f + '/')) return this.folders[i] + real.slice(f.length);
    }
    return undefined;
  }

  listFiles(onSkip?: (path: string, reason: string) => void): FileInfo[] {
    return finish(this.listFilesInSteps(onSkip));
  }

  *listFilesInSteps(onSkip?: (path: string, reason: string) => void): Generator<void, FileInfo[]> {
    const out: FileInfo[] = [];
    let stated = 0;
    this.linkedFiles.clear();
    this.linkTargets.clear();
    const visitedDirs = new Set<string>();
    for (const folder of this.folders) {
      const stack = [folder];
      while (stack.length) {
        const dir = stack.pop()!;
        let real: string;
        try {
          real = fs.realpathSync.native(dir);
        } catch (e) {
          onSkip?.(dir, (e as Error).message);
          continue;
        }
        // A symbolic-link loop or a second path to the same folder is read once.
        if (visitedDirs.has(real)) continue;
        visitedDirs.add(real);
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch (e) {
          onSkip?.(dir, (e as Error).message);
          continue;
        }
        for (const entry of entries) {
          const full = dir + '/' + entry.name;
          const rel = full.slice(folder.length + 1);
          if (entry.isDirectory()) {
            if (entry.name === 'node_modules' || entry.name === '.git' || isExcluded(rel + '/', this.settings)) continue;
            stack.push(full);
          } else if (entry.isFile() || entry.isSymbolicLink()) {
            if (++stated % LIST_STEP === 0) yield;
            let st: fs.Stats;
            try {
              // A link loop or a dangling link fails here, and says so, rather than pass for a link that leaves the workspace.
              st = fs.statSync(full);
            } catch (e) {
              onSkip?.(full, (e as Error).message);
              continue;
            }
            if (entry.isSymbolicLink() && !this.isInside(full)) {
              onSkip?.(full, 'a symbolic link that leads outside the workspace');
              continue;
            }
            if (st.isDirectory()) {
              // A link to a folder inside the workspace is not walked: the folder's files are listed under their own
              // paths, which are the ones file watchers (VS Code's, and watch.ts) report. Listed under the link's
              // path, an edit reported under the real one became a second article, and every link to it ambiguous.
              if (!entry.isSymbolicLink()) stack.push(full);
              continue;
            }
            // Reading a named pipe or a device behind a link would block or never end.
            if (!st.isFile()) {
              onSkip?.(full, 'not a regular file (a pipe, socket or device)');
              continue;
            }
            if (entry.isSymbolicLink()) {
              let target: string | undefined;
              try {
                target = this.inFolderTerms(toSlashes(fs.realpathSync.native(full)));
              } catch {
                target = undefined; // gone since the stat: reading it says so
              }
              if (target !== undefined) this.rememberLink(full, target);
            }
            out.push(entry.isFile() ? { path: full, size: st.size, mtimeMs: st.mtimeMs, confined: true } : { path: full, size: st.size, mtimeMs: st.mtimeMs });
          }
        }
      }
    }
    return out;
  }

  readText(path: string, confined = false): string {
    return this.read(path, confined, (fd) => decodeArticle(fs.readFileSync(fd), path));
  }

  readHead(path: string, bytes: number): Uint8Array {
    return this.read(path, false, (fd) => {
      const head = Buffer.alloc(Math.max(0, Math.min(bytes, fs.fstatSync(fd).size)));
      return head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
    });
  }

  /** Opens a file inside the folders (refusing one that leads out, or is no regular file) and reads it with `take`. */
  private read<T>(path: string, confined: boolean, take: (fd: number) => T): T {
    if ((confined || PROC_FD) && O_NOFOLLOW !== undefined && this.folders.some((f) => path.startsWith(f + '/')) && !/(^|\/)\.\.?(\/|$)/.test(path)) {
      // O_NOFOLLOW refuses the file if it is a symbolic link (one the walk checked may have been put in its place
      // since); O_NONBLOCK keeps a named pipe from blocking the open (fstat then refuses it).
      let fd: number;
      try {
        fd = fs.openSync(path, fs.constants.O_RDONLY | O_NOFOLLOW | (fs.constants.O_NONBLOCK ?? 0));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ELOOP') return this.readFollowing(path, take);
        throw e;
      }
      try {
        // A file the walk did not confine may lie behind a linked folder: where the open file really is comes from the
        // descriptor itself, in one call and with no window between the check and the read. realpath(3) stats every
        // part of the path; for the 38 files a backlinks answer reads it had been a quarter of the answer's time.
        if (!confined && !this.isReallyInside(fdRealPath(fd))) throw new Error(`${path} is outside the workspace folders`);
        if (!fs.fstatSync(fd).isFile()) throw new Error(`${path} is not a regular file`);
        return take(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    return this.readFollowing(path, take);
  }

  /** Reads a file that may be a symbolic link, after checking where it leads. */
  private readFollowing<T>(path: string, take: (fd: number) => T): T {
    const outside = () => new Error(`${path} is outside the workspace folders`);
    // A path outside the folders is refused before the file system is asked, so no answer tells whether it exists.
    const lexical = toSlashes(nodePath.resolve(path));
    if (!this.folders.some((f) => lexical === f || lexical.startsWith(f + '/'))) throw outside();
    // Inside, a missing file throws its own error (ENOENT), as the descriptor path above does, not "outside".
    if (!this.isReallyInside(toSlashes(fs.realpathSync.native(path)))) throw outside();
    const fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      if (!fs.fstatSync(fd).isFile()) throw new Error(`${path} is not a regular file`);
      return take(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  stamp(path: string): string | undefined {
    try {
      // lstat: a file replaced by a symbolic link has no stamp, so a text kept for it is not used and readText
      // confines the link again.
      const s = fs.lstatSync(path, { bigint: true });
      return s.isFile() ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}` : undefined;
    } catch {
      return undefined;
    }
  }
}

/** A wiki held in memory: the workspace of the unit tests. */
export class InMemoryWorkspace implements Workspace {
  readonly files = new Map<string, string>();
  constructor(readonly folders: string[], files: Record<string, string> = {}) {
    for (const [rel, text] of Object.entries(files)) this.files.set(this.folders[0] + '/' + rel, text);
  }
  listFiles(): FileInfo[] {
    return [...this.files.entries()].map(([path, text]) => ({ path, size: text.length, mtimeMs: 0 }));
  }
  readText(path: string): string {
    const text = this.files.get(path);
    if (text === undefined) throw new Error(`${path}: no such file`);
    return text;
  }
}
