// Watching the workspace folders ourselves, for clients that cannot register workspace/didChangeWatchedFiles.
import * as fs from 'node:fs';

export type FileEvent = { path: string; kind: 'changed' | 'deleted' };

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/**
 * Events are gathered briefly and checked with stat, since the event names are unreliable.
 *
 * On Linux, node 20's `fs.watch(folder, { recursive: true })` is written in JavaScript. It opens an inotify watch and
 * runs a synchronous stat for every file, and keeps each file's Stats. On the 10,000-article bench wiki that was 10,000
 * watchers and about 12 MB of heap, held for the server's life. The server also blocked while it set them up. So on
 * Linux each directory gets one non-recursive watch, which reports changes to the files in it, as chokidar and
 * VS Code's own watcher do. Elsewhere node's recursive watch is native and cheap.
 */
export class FolderWatcher {
  private readonly dirs = new Map<string, fs.FSWatcher>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private limitLogged = false;

  constructor(
    folders: string[],
    private readonly onEvents: (events: FileEvent[]) => void,
    private readonly log: (message: string) => void,
    private readonly perDirectory = process.platform === 'linux',
  ) {
    for (const folder of folders) {
      if (perDirectory) this.watchTree(folder, false);
      else this.watchRecursive(folder);
    }
  }

  /** How many directories have a watch of their own (the per-directory mode). */
  get watchedDirectories(): number {
    return this.dirs.size;
  }

  private watchRecursive(folder: string): void {
    try {
      const w = fs.watch(folder, { recursive: true }, (_event, filename) => {
        if (!filename) return;
        const rel = filename.toString().replace(/\\/g, '/');
        if (rel.split('/').some((part) => SKIPPED_DIRS.has(part))) return;
        this.queue(folder + '/' + rel);
      });
      w.on('error', (e) => this.log(`Watching ${folder} stopped: ${e.message}`));
      this.dirs.set(folder, w);
    } catch (e) {
      this.cannotWatch(folder, e);
    }
  }

  /** Watches `root` and every directory below it; `report` queues the files found, for a directory that just appeared. */
  private watchTree(root: string, report: boolean): void {
    const stack = [root];
    while (stack.length && !this.closed) {
      const dir = stack.pop()!;
      if (this.dirs.has(dir)) continue;
      if (!this.watchDirectory(dir)) continue;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue; // gone again, or unreadable: the listing of the index says why
      }
      for (const entry of entries) {
        const full = dir + '/' + entry.name;
        // Symbolic links to folders are not followed: the target may be outside the workspace, or a loop.
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) stack.push(full);
        } else if (report) this.queue(full);
      }
    }
  }

  private watchDirectory(dir: string): boolean {
    try {
      const w = fs.watch(dir, (_event, filename) => {
        if (filename) this.queue(dir + '/' + filename.toString());
        else this.requeueFiles(dir);
      });
      w.on('error', () => this.unwatchUnder(dir));
      this.dirs.set(dir, w);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      this.cannotWatch(dir, e);
      return false;
    }
  }

  /** No file name in an event means the kernel's queue overflowed: every file of the directory is looked at again. */
  private requeueFiles(dir: string): void {
    try {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (!entry.isDirectory()) this.queue(dir + '/' + entry.name);
    } catch {
      this.queue(dir);
    }
  }

  private cannotWatch(dir: string, e: unknown): void {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EMFILE') {
      // One message, not one per directory, when the system's limit on watches is reached.
      if (this.limitLogged) return;
      this.limitLogged = true;
      this.log(
        `Cannot watch more folders (${code}: the system's limit on file watches, fs.inotify.max_user_watches on Linux, is reached); files changed outside the editor in ${dir} and others will not be noticed until a restart`,
      );
      return;
    }
    this.log(`Cannot watch ${dir} for changes (${e instanceof Error ? e.message : String(e)}); files changed outside the editor will not be noticed until a restart`);
  }

  private queue(path: string): void {
    if (this.closed) return;
    this.pending.add(path);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), 50);
  }

  private unwatchUnder(dir: string): void {
    const prefix = dir + '/';
    for (const [d, w] of this.dirs) {
      if (d === dir || d.startsWith(prefix)) {
        w.close();
        this.dirs.delete(d);
      }
    }
  }

  private flush(): void {
    this.timer = undefined;
    const events: FileEvent[] = [];
    for (const path of this.pending) {
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(path);
      } catch {
        st = undefined;
      }
      if (st?.isDirectory()) {
        // A folder that was created or moved in: its files are news, and it needs a watch of its own.
        if (this.perDirectory && !this.dirs.has(path)) this.watchTree(path, true);
        continue;
      }
      if (!st && this.dirs.has(path) && this.perDirectory) this.unwatchUnder(path);
      events.push({ path, kind: st ? 'changed' : 'deleted' });
    }
    // The files of a new folder, queued by watchTree above, were visited by this same loop: a Set's iteration sees
    // what is added to it.
    this.pending.clear();
    if (events.length) this.onEvents(events);
  }

  dispose(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.dirs.values()) w.close();
    this.dirs.clear();
  }
}
