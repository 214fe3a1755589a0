// The on-disk cache of the index: every article's facts with its file's size, mtime and content hash, in a storage folder outside the wiki.
// A restart reuses an entry whose size and mtime match without reading the file; a file whose stat differs is read and
// its content hash compared, so a touched but unchanged file is not scanned again. A corrupt or foreign file is ignored.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import * as os from 'node:os';
import * as zlib from 'node:zlib';
import { FactsDecoder, FactsEncoder } from './facts';
import type { CoreSettings } from './settings';
import type { Article } from './wiki';

/** Bumped when the record layout or what the scanner extracts changes meaning. */
const FORMAT = 2;
const MAGIC = 'linked-articles-index';
/**
 * Files modified this close to the moment the cache was written may have changed again within the same mtime tick
 * (git's "racily clean" problem): their content hash is checked even when size and mtime match.
 */
const RACY_MS = 2000;

export interface CacheEntry {
  /** Position of the record in the decoder. */
  at: number;
  /** Text length and content hash of the article as cached (Article.size and Article.hash). */
  size: number;
  hash: number;
  fileSize: number;
  mtimeMs: number;
}

export interface LoadedCache {
  file: string;
  writtenAt: number;
  entries: Map<string, CacheEntry>;
  decoder: FactsDecoder;
}

export interface CachedFile {
  article: Article;
  fileSize: number;
  mtimeMs: number;
}

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The code that produced the facts: the running bundle (dist/server.js or dist/cli.js), so an update invalidates the cache. */
function codeIdentity(): string {
  try {
    const st = fs.statSync(__filename);
    return `${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    return 'unknown';
  }
}

/** What the cached facts depend on besides the files: folders, the settings that change analysis, the code. */
function cacheKey(folders: string[], settings: CoreSettings): string {
  return JSON.stringify({ FORMAT, folders, caseMode: settings.caseMode, glossaryFiles: settings.glossaryFiles, code: codeIdentity() });
}

export function cacheFile(dir: string, folders: string[]): string {
  return nodePath.join(dir, `index-${fnv(folders.join('\n'))}.bin`);
}

function realOrResolved(p: string): string {
  let probe = nodePath.resolve(p);
  const rest: string[] = [];
  // The cache folder may not exist yet: resolve links on the part that does.
  for (;;) {
    try {
      return nodePath.join(fs.realpathSync(probe), ...rest).replace(/\\/g, '/');
    } catch {
      const parent = nodePath.dirname(probe);
      if (parent === probe) return nodePath.resolve(p).replace(/\\/g, '/');
      rest.unshift(nodePath.basename(probe));
      probe = parent;
    }
  }
}

/** Why a cache folder may not be used (it lies inside a wiki folder), or undefined when it may. */
export function cacheDirProblem(dir: string, folders: string[]): string | undefined {
  const real = realOrResolved(dir);
  for (const f of folders) {
    const rf = realOrResolved(f);
    if (real === rf || real.startsWith(rf + '/')) return `the cache folder ${dir} is inside the wiki folder ${f}; the index cache is never written into a wiki`;
  }
  return undefined;
}

function crc(parts: Uint8Array[]): number {
  const z = zlib as unknown as { crc32?: (b: Uint8Array, value?: number) => number };
  if (z.crc32) {
    let c = 0;
    for (const p of parts) c = z.crc32(p, c);
    return c >>> 0;
  }
  let h = 0x811c9dc5;
  for (const p of parts) for (let i = 0; i < p.length; i++) h = Math.imul(h ^ p[i], 0x01000193);
  return h >>> 0;
}

interface Header {
  magic: string;
  key: string;
  writtenAt: number;
  count: number;
  intsLength: number;
  stringsBytes: number;
  crc: number;
}

/**
 * Loads the cache for these folders and settings; undefined when there is none, when it was written for other
 * folders, settings or code, or when it is corrupt (said through `log`).
 */
export function loadCache(dir: string, folders: string[], settings: CoreSettings, log: (msg: string) => void, mapStrings?: (s: string) => string): LoadedCache | undefined {
  const file = cacheFile(dir, folders);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`index cache: cannot read ${file}: ${(e as Error).message}; indexing without it`);
    return undefined;
  }
  try {
    if (os.endianness() !== 'LE') return undefined;
    const nl = buf.indexOf(10);
    if (nl < 0 || nl > 4096) throw new Error('no header');
    const header = JSON.parse(buf.toString('utf8', 0, nl)) as Header;
    if (header.magic !== MAGIC) throw new Error('not an index cache');
    if (header.key !== cacheKey(folders, settings)) {
      log(`index cache: ${file} was written for other settings or another version; indexing without it`);
      return undefined;
    }
    const body = align8(nl + 1);
    const intsBytes = header.intsLength * 4;
    const statsBytes = header.count * 16;
    if (body + intsBytes + statsBytes + header.stringsBytes !== buf.length) throw new Error(`length ${buf.length} does not match its header`);
    if (crc([buf.subarray(body)]) !== header.crc) throw new Error('checksum mismatch');
    const ints = (buf.byteOffset + body) % 4 === 0 ? new Int32Array(buf.buffer, buf.byteOffset + body, header.intsLength) : new Int32Array(buf.buffer.slice(buf.byteOffset + body, buf.byteOffset + body + intsBytes));
    const statsAt = body + intsBytes;
    const stats = new Float64Array(buf.buffer.slice(buf.byteOffset + statsAt, buf.byteOffset + statsAt + statsBytes));
    let strings = JSON.parse(buf.toString('utf8', statsAt + statsBytes, buf.length)) as string[];
    if (!Array.isArray(strings)) throw new Error('bad string table');
    if (mapStrings) strings = strings.map(mapStrings);
    const decoder = new FactsDecoder(ints, strings);
    const entries = new Map<string, CacheEntry>();
    for (let i = 0; i < header.count; i++) {
      const r = decoder.peek();
      entries.set(r.path, { at: r.at, size: r.size, hash: r.hash, fileSize: stats[2 * i], mtimeMs: stats[2 * i + 1] });
    }
    if (!decoder.done) throw new Error('trailing data');
    return { file, writtenAt: header.writtenAt, entries, decoder };
  } catch (e) {
    log(`index cache: ignoring corrupt cache ${file}: ${(e as Error).message}`);
    return undefined;
  }
}

/** Whether a cached entry may be used for this file without reading it. */
export function unchangedByStat(cache: LoadedCache, entry: CacheEntry, fileSize: number, mtimeMs: number): boolean {
  return entry.fileSize === fileSize && entry.mtimeMs === mtimeMs && mtimeMs < cache.writtenAt - RACY_MS;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Collects articles for the cache (one `add` per article, so a caller can spread the work), then writes it atomically. */
export class CacheWriter {
  private enc = new FactsEncoder();
  private stats: number[] = [];
  readonly problem: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly folders: string[],
    private readonly settings: CoreSettings,
    private readonly log: (msg: string) => void,
  ) {
    this.problem = cacheDirProblem(dir, folders);
  }

  add(f: CachedFile): void {
    this.enc.add(f.article);
    this.stats.push(f.fileSize, f.mtimeMs);
  }

  private encode(): { file: string; head: string; parts: Buffer[] } {
    const file = cacheFile(this.dir, this.folders);
    const batch = this.enc.finish();
    const strings = Buffer.from(JSON.stringify(batch.strings), 'utf8');
    const intsBytes = Buffer.from(batch.ints.buffer, batch.ints.byteOffset, batch.ints.byteLength);
    const statsBytes = Buffer.from(new Float64Array(this.stats).buffer);
    const parts = [intsBytes, statsBytes, strings];
    const header: Header = {
      magic: MAGIC,
      key: cacheKey(this.folders, this.settings),
      writtenAt: Date.now(),
      count: this.enc.count,
      intsLength: batch.ints.length,
      stringsBytes: strings.length,
      crc: crc(parts),
    };
    // The header line is padded so the int section starts 8-aligned and can be viewed in place when loaded.
    let head = JSON.stringify(header);
    head += ' '.repeat(align8(Buffer.byteLength(head) + 1) - Buffer.byteLength(head) - 1) + '\n';
    return { file, head, parts };
  }

  /**
   * Lets go of the encoded cache once it is written: the server keeps the build's closures (and so this writer)
   * reachable, and the 10,000-article cache held 71 MB that way after it was on disk.
   */
  private release(): void {
    this.enc = new FactsEncoder();
    this.stats = [];
  }

  /** Writes through a temporary file renamed over the old cache; returns the bytes written (0 when it could not). */
  write(): number {
    try {
      return this.writeNow();
    } finally {
      this.release();
    }
  }

  private writeNow(): number {
    if (this.problem) {
      this.log(`index cache: ${this.problem}`);
      return 0;
    }
    const { file, head, parts } = this.encode();
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, head);
        for (const part of parts) fs.writeSync(fd, part);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
    } catch (e) {
      this.log(`index cache: cannot write ${file}: ${(e as Error).message}`);
      fs.rmSync(tmp, { force: true });
      return 0;
    }
    return parts.reduce((n, p) => n + p.length, Buffer.byteLength(head));
  }

  /**
   * As `write`, in pieces with `pause()` between them, so a language server keeps answering while it writes a
   * 50,000-article cache: one JSON.stringify of the whole string table and one checksum over 100 MB held up
   * keystrokes for hundreds of milliseconds.
   */
  async writeAsync(pause: () => Promise<void>): Promise<number> {
    try {
      return await this.writeAsyncNow(pause);
    } finally {
      this.release();
    }
  }

  private async writeAsyncNow(pause: () => Promise<void>): Promise<number> {
    if (this.problem) {
      this.log(`index cache: ${this.problem}`);
      return 0;
    }
    const file = cacheFile(this.dir, this.folders);
    const batch = this.enc.view();
    const stringParts: Buffer[] = [Buffer.from('[')];
    const CHUNK = 20_000;
    for (let i = 0; i < batch.strings.length; i += CHUNK) {
      const json = JSON.stringify(batch.strings.slice(i, i + CHUNK));
      stringParts.push(Buffer.from((i > 0 ? ',' : '') + json.slice(1, -1), 'utf8'));
      await pause();
    }
    stringParts.push(Buffer.from(']'));
    const ints = Buffer.from(batch.ints.buffer, batch.ints.byteOffset, batch.ints.byteLength);
    const PIECE = 8 << 20;
    const parts: Buffer[] = [];
    for (let i = 0; i < ints.length; i += PIECE) parts.push(ints.subarray(i, i + PIECE));
    parts.push(Buffer.from(new Float64Array(this.stats).buffer), ...stringParts);
    let c = 0;
    const z = zlib as unknown as { crc32?: (b: Uint8Array, value?: number) => number };
    if (z.crc32) {
      for (const part of parts) {
        c = z.crc32(part, c);
        await pause();
      }
    } else c = crc(parts);
    const stringsBytes = stringParts.reduce((n, b) => n + b.length, 0);
    const header: Header = { magic: MAGIC, key: cacheKey(this.folders, this.settings), writtenAt: Date.now(), count: this.enc.count, intsLength: batch.ints.length, stringsBytes, crc: c >>> 0 };
    let head = JSON.stringify(header);
    head += ' '.repeat(align8(Buffer.byteLength(head) + 1) - Buffer.byteLength(head) - 1) + '\n';
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      const fh = await fs.promises.open(tmp, 'w');
      try {
        await fh.write(head);
        for (const part of parts) await fh.write(part);
      } finally {
        await fh.close();
      }
      await fs.promises.rename(tmp, file);
    } catch (e) {
      this.log(`index cache: cannot write ${file}: ${(e as Error).message}`);
      await fs.promises.rm(tmp, { force: true });
      return 0;
    }
    return parts.reduce((n, p) => n + p.length, Buffer.byteLength(head));
  }
}

/** Writes the cache of these articles in one go. */
export function saveCache(dir: string, folders: string[], settings: CoreSettings, files: Iterable<CachedFile>, log: (msg: string) => void): number {
  const w = new CacheWriter(dir, folders, settings, log);
  if (w.problem) return w.write();
  for (const f of files) w.add(f);
  return w.write();
}
