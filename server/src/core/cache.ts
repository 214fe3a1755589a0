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
import { finish, inTurns } from './steps';

/** Bumped when the record layout or what the scanner extracts changes meaning. */
const FORMAT = 20;
const MAGIC = 'linked-articles-index';
/**
 * Files modified this close to the moment the cache was written may have changed again within the same mtime tick
 * (git's "racily clean" problem): their content hash is checked even when size and mtime match.
 */
const RACY_MS = 2000;

/** What a cache (this one, and the check's, problemCache.ts) knows of an article's file, to tell whether it changed. */
export interface FileStamp {
  /** Text length and content hash of the article as cached (Article.size and Article.hash). */
  size: number;
  hash: number;
  /** The file's size and mtime when it was read. */
  fileSize: number;
  mtimeMs: number;
}

export interface CacheEntry extends FileStamp {
  /** Position of the record in the decoder. */
  at: number;
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

export function fnv(s: string): string {
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
export function cacheKey(folders: string[], settings: CoreSettings): string {
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

const zcrc = (zlib as unknown as { crc32?: (b: Uint8Array, value?: number) => number }).crc32;
const CRC_START = zcrc ? 0 : 0x811c9dc5;

/** The checksum of the body, extended part by part (zlib's CRC-32 where node has it, FNV-1a before node 20.15). */
function crcUpdate(c: number, part: Uint8Array): number {
  if (zcrc) return zcrc(part, c) >>> 0;
  let h = c;
  for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part[i], 0x01000193);
  return h >>> 0;
}

function crc(parts: Uint8Array[]): number {
  let c = CRC_START;
  for (const p of parts) c = crcUpdate(c, p);
  return c >>> 0;
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

/** Bytes read, and checksummed, per step of `loadCacheInSteps`: a few milliseconds' work. */
const LOAD_STEP_BYTES = 8 << 20;
/** Records looked at per step of `loadCacheInSteps`. */
const LOAD_STEP_RECORDS = 4096;

/**
 * Loads the cache for these folders and settings; undefined when there is none, when it was written for other
 * folders, settings or code, or when it is corrupt (said through `log`). A step at a time, so that a server answers
 * requests between steps: loading the 201 MB cache of the 50,000-article bench wiki at once held a restart 0.46 s.
 */
export function* loadCacheInSteps(dir: string, folders: string[], settings: CoreSettings, log: (msg: string) => void): Generator<void, LoadedCache | undefined> {
  const file = cacheFile(dir, folders);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`index cache: cannot read ${file}: ${(e as Error).message}; indexing without it`);
    return undefined;
  }
  try {
    if (os.endianness() !== 'LE') return undefined;
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(4104, size));
    readFully(fd, head, 0);
    const nl = head.indexOf(10);
    if (nl < 0 || nl > 4096) throw new Error('no header');
    const header = JSON.parse(head.toString('utf8', 0, nl)) as Header;
    if (header.magic !== MAGIC) throw new Error('not an index cache');
    if (header.key !== cacheKey(folders, settings)) {
      log(`index cache: ${file} was written for other settings or another version; indexing without it`);
      return undefined;
    }
    const body = align8(nl + 1);
    const intsBytes = header.intsLength * 4;
    const statsBytes = header.count * 16;
    if (body + intsBytes + statsBytes + header.stringsBytes !== size) throw new Error(`length ${size} does not match its header`);
    // Each part is read into a buffer of its own: the records straight into the array the articles keep. Reading
    // the whole file and copying the records out of it took 1 s of a 50,000-article restart (184 MB of records).
    const ints = new Int32Array(header.intsLength);
    const rest = new Uint8Array(new ArrayBuffer(statsBytes + header.stringsBytes));
    let crc = CRC_START;
    for (const [into, at] of [[new Uint8Array(ints.buffer), body], [rest, body + intsBytes]] as const) {
      for (let done = 0; done < into.length; done += LOAD_STEP_BYTES) {
        const part = into.subarray(done, Math.min(into.length, done + LOAD_STEP_BYTES));
        readFully(fd, part, at + done);
        crc = crcUpdate(crc, part);
        yield;
      }
    }
    if (crc !== header.crc) throw new Error('checksum mismatch');
    const stats = new Float64Array(rest.buffer, 0, header.count * 2);
    const table = Buffer.from(rest.buffer, statsBytes);
    const strings: string[] = [];
    for (let at = 0; at < table.length; ) {
      const end = table.indexOf(10, at);
      if (end < 0) throw new Error('bad string table');
      const part = JSON.parse(table.toString('utf8', at, end)) as unknown;
      if (!Array.isArray(part)) throw new Error('bad string table');
      for (const x of part as string[]) strings.push(x);
      at = end + 1;
      yield;
    }
    const decoder = new FactsDecoder(ints, strings);
    const entries = new Map<string, CacheEntry>();
    for (let i = 0; i < header.count; i++) {
      if (i % LOAD_STEP_RECORDS === LOAD_STEP_RECORDS - 1) yield;
      const r = decoder.peek();
      entries.set(r.path, { at: r.at, size: r.size, hash: r.hash, fileSize: stats[2 * i], mtimeMs: stats[2 * i + 1] });
    }
    if (!decoder.done) throw new Error('trailing data');
    return { file, writtenAt: header.writtenAt, entries, decoder };
  } catch (e) {
    log(`index cache: ignoring corrupt cache ${file}: ${(e as Error).message}`);
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Fills `into` from the file at `position`; a file shorter than that is corrupt. */
function readFully(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = fs.readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error('shorter than its header says');
    done += n;
  }
}

/** Whether a cached entry may be used for this file without reading it; `writtenAt`, when its cache was written. */
export function unchangedByStat(cache: { writtenAt: number }, entry: FileStamp, fileSize: number, mtimeMs: number): boolean {
  return entry.fileSize === fileSize && entry.mtimeMs === mtimeMs && mtimeMs < cache.writtenAt - RACY_MS;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** The header line is padded to this many bytes: written last, over a placeholder, once the body's size and checksum are known. */
const HEADER_BYTES = 4096;
/*
 * The writer's buffers stay under glibc's first mmap threshold (128 KB). A larger block is mapped and unmapped on its
 * own, and unmapping it raises the thresholds to its size: from then on the main heap keeps twice that much free memory
 * instead of giving it back. With 4 MB pieces, a server that had written the 10,000-article cache kept 8 MB more RSS
 * for good (measured with /proc/<pid>/smaps: [heap] 13 MB against 5 MB).
 */
/** The encoded records are written out whenever this many ints have gathered (64 KB). */
const FLUSH_INTS = 1 << 14;
/** Strings are written this many at a time (about 40 KB of JSON). */
const STRING_CHUNK = 2_000;
/** File sizes and times are written this many numbers at a time (64 KB). */
const STATS_CHUNK = 8_192;
let writers = 0;

/**
 * Collects articles for the cache (one `add` per article, so a caller can spread the work) and streams them into a
 * temporary file renamed over the old cache at the end. Streaming, not building the whole file in memory: the
 * 10,000-article cache held 72 MB of buffers until the next full collection, and the 50,000-article one five times that.
 */
export class CacheWriter {
  private enc = new FactsEncoder();
  private stats: number[] = [];
  readonly problem: string | undefined;
  private fd: number | undefined;
  private readonly file: string;
  private readonly tmp: string;
  private failed: string | undefined;
  private intsLength = 0;
  private bodyBytes = 0;
  private crc = CRC_START;

  constructor(
    private readonly dir: string,
    private readonly folders: string[],
    private readonly settings: CoreSettings,
    private readonly log: (msg: string) => void,
  ) {
    this.problem = cacheDirProblem(dir, folders);
    this.file = cacheFile(dir, folders);
    // Unique per writer: a build cancelled by a newer one may still be writing, and abandoning deletes its file.
    this.tmp = `${this.file}.${process.pid}.${++writers}.tmp`;
  }

  private open(): number | undefined {
    if (this.fd !== undefined || this.failed || this.problem) return this.fd;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      this.fd = fs.openSync(this.tmp, 'w');
      fs.writeSync(this.fd, ' '.repeat(HEADER_BYTES - 1) + '\n');
    } catch (e) {
      this.fail(e);
    }
    return this.fd;
  }

  private fail(e: unknown): void {
    this.failed ??= (e as Error).message ?? String(e);
    this.abandon();
  }

  /** Closes and deletes the temporary file: the build was cancelled, or writing failed. */
  abandon(): void {
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    try {
      fs.rmSync(this.tmp, { force: true });
    } catch {
      // `force` covers a missing file, not a missing folder (ENOTDIR when the cache path runs through a file)
    }
    this.enc = new FactsEncoder();
    this.stats = [];
  }

  private put(bytes: Uint8Array): void {
    if (this.fd === undefined) return;
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
      this.crc = crcUpdate(this.crc, bytes);
      this.bodyBytes += bytes.length;
    } catch (e) {
      this.fail(e);
    }
  }

  private flushInts(): void {
    const ints = this.enc.drainInts();
    this.intsLength += ints.length;
    this.put(new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength));
  }

  add(f: CachedFile): void {
    if (this.problem || this.failed) return;
    if (this.open() === undefined) return;
    this.enc.add(f.article);
    this.stats.push(f.fileSize, f.mtimeMs);
    if (this.enc.length >= FLUSH_INTS) this.flushInts();
  }

  /** Writes the rest and renames the file into place; returns the bytes written (0 when it could not). */
  write(): number {
    finish(this.finishSteps());
    return this.done();
  }

  /** As `write`, with `pause()` between steps, so a language server keeps answering while it writes a large cache. */
  async writeAsync(pause: () => Promise<void>): Promise<number> {
    await inTurns(this.finishSteps(), 0, pause);
    return this.done();
  }

  private *finishSteps(): Generator<void> {
    if (this.problem || this.open() === undefined) return;
    this.flushInts();
    const count = this.enc.count;
    for (let i = 0; i < this.stats.length; i += STATS_CHUNK) this.put(new Uint8Array(new Float64Array(this.stats.slice(i, i + STATS_CHUNK)).buffer));
    const strings = this.enc.strings;
    let stringsBytes = 0;
    const text = (t: string) => {
      const b = Buffer.from(t, 'utf8');
      this.put(b);
      stringsBytes += b.length;
    };
    // A JSON array of STRING_CHUNK strings per line, written and read a line at a time: one JSON.stringify of 200,000
    // strings held up keystrokes for 100 ms, and one JSON.parse of all those of 50,000 articles a restart 150–200 ms.
    // JSON writes a newline inside a string as `\n`: a newline byte only ends a line.
    for (let i = 0; i < strings.length; i += STRING_CHUNK) {
      text(JSON.stringify(strings.slice(i, i + STRING_CHUNK)) + '\n');
      yield;
    }
    if (this.fd === undefined) return;
    const header: Header = { magic: MAGIC, key: cacheKey(this.folders, this.settings), writtenAt: Date.now(), count, intsLength: this.intsLength, stringsBytes, crc: this.crc >>> 0 };
    const head = JSON.stringify(header);
    if (Buffer.byteLength(head) >= HEADER_BYTES) return this.fail(new Error('header too long'));
    try {
      fs.writeSync(this.fd, head + ' '.repeat(HEADER_BYTES - 1 - Buffer.byteLength(head)) + '\n', 0);
      fs.closeSync(this.fd);
      this.fd = undefined;
      fs.renameSync(this.tmp, this.file);
    } catch (e) {
      this.fail(e);
    }
  }

  private done(): number {
    const bytes = this.failed || this.problem ? 0 : HEADER_BYTES + this.bodyBytes;
    if (this.problem) this.log(`index cache: ${this.problem}`);
    else if (this.failed) this.log(`index cache: cannot write ${this.file}: ${this.failed}`);
    this.abandon();
    return bytes;
  }
}

/** Writes the cache of these articles in one go. */
export function saveCache(dir: string, folders: string[], settings: CoreSettings, files: Iterable<CachedFile>, log: (msg: string) => void): number {
  const w = new CacheWriter(dir, folders, settings, log);
  if (w.problem) return w.write();
  for (const f of files) w.add(f);
  return w.write();
}
