// Watching the workspace folders ourselves, for clients that cannot register workspace/didChangeWatchedFiles.
import * as fs from 'node:fs';

export type FileEvent = { path: string; kind: 'changed' | 'deleted' };

/** Recursive fs.watch on each folder; events are gathered briefly and checked with stat (the event names are unreliable). */
export class FolderWatcher {
  private readonly watchers: fs.FSWatcher[] = [];
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    folders: string[],
    private readonly onEvents: (events: FileEvent[]) => void,
    log: (message: string) => void,
  ) {
    for (const folder of folders) {
      try {
        const w = fs.watch(folder, { recursive: true }, (_event, filename) => {
          if (!filename) return;
          const rel = filename.toString().replace(/\\/g, '/');
          if (/(^|\/)(\.git|node_modules)(\/|$)/.test(rel)) return;
          this.pending.add(folder + '/' + rel);
          if (!this.timer) this.timer = setTimeout(() => this.flush(), 50);
        });
        w.on('error', (e) => log(`Watching ${folder} stopped: ${e.message}`));
        this.watchers.push(w);
      } catch (e) {
        log(`Cannot watch ${folder} for changes (${e instanceof Error ? e.message : String(e)}); files changed outside the editor will not be noticed until a restart`);
      }
    }
  }

  private flush(): void {
    this.timer = undefined;
    const events: FileEvent[] = [];
    for (const path of this.pending) {
      let kind: FileEvent['kind'] = 'deleted';
      try {
        const st = fs.statSync(path);
        if (st.isDirectory()) continue;
        kind = 'changed';
      } catch {
        kind = 'deleted';
      }
      events.push({ path, kind });
    }
    this.pending.clear();
    if (events.length) this.onEvents(events);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
  }
}
