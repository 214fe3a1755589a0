// Large articles' texts kept between reads from disk, for features that read the same article again and again.
// Backlinks cut each link's sentence from its article's text, and reading and decoding the bench's 1 MB article took
// 12 of the 14 ms a backlinks answer took; a small article reads in well under a millisecond and is never kept.

/** Texts shorter than this are read again each time. */
export const LARGE_TEXT = 64 * 1024;
/** At most this many characters are kept in all (a few MB), the least recently used going first. */
const MAX_CHARS = 4 * 1024 * 1024;

export class LargeTextCache {
  /** In order of use, the most recent last. */
  private readonly texts = new Map<string, { stamp: string; text: string }>();
  private chars = 0;

  /** The text kept for `path` if the file's stamp is still `stamp`. */
  get(path: string, stamp: string): string | undefined {
    const kept = this.texts.get(path);
    if (!kept) return undefined;
    this.texts.delete(path);
    if (kept.stamp !== stamp) {
      this.chars -= kept.text.length;
      return undefined;
    }
    this.texts.set(path, kept);
    return kept.text;
  }

  set(path: string, stamp: string, text: string): void {
    this.forget(path);
    if (text.length < LARGE_TEXT || text.length > MAX_CHARS) return;
    this.texts.set(path, { stamp, text });
    this.chars += text.length;
    for (const [p, t] of this.texts) {
      if (this.chars <= MAX_CHARS) break;
      this.texts.delete(p);
      this.chars -= t.text.length;
    }
  }

  forget(path: string): void {
    const kept = this.texts.get(path);
    if (!kept) return;
    this.texts.delete(path);
    this.chars -= kept.text.length;
  }

  clear(): void {
    this.texts.clear();
    this.chars = 0;
  }
}
