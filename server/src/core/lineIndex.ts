// Converts between UTF-16 offsets and LSP positions; CRLF, LF and lone CR all end a line, as in LSP.
import type { Position, Range, Span } from './types';

export class LineIndex {
  /** Offset at which each line starts. */
  readonly starts: Uint32Array;
  readonly length: number;
  /**
   * Bit n set: line n ends with CRLF, so its content ends two characters before the next line starts. Absent in
   * indexes rebuilt from worker or cache facts (facts.ts), which only closed articles have; lineEnd then assumes LF.
   */
  private readonly crlf?: Uint8Array;

  /** `split`: the text's line starts and CRLF bits as the scanner found them (scanArticleAndLines), not searched again. */
  constructor(text: string, split?: { starts: Uint32Array; crlf: Uint8Array }) {
    this.length = text.length;
    if (split) {
      this.starts = split.starts;
      this.crlf = split.crlf;
      return;
    }
    const starts: number[] = [0];
    const crlfLines: number[] = [];
    // Most files have no CR: indexOf finds line feeds several times faster than a loop over every character
    // (the loop was 0.4 s of each index worker's 5 s at 10,000 articles).
    if (text.indexOf('\r') < 0) for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    else for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) {
          i++;
          crlfLines.push(starts.length - 1);
        }
        starts.push(i + 1);
      }
    }
    this.starts = Uint32Array.from(starts);
    this.crlf = new Uint8Array((starts.length + 7) >> 3);
    for (const l of crlfLines) this.crlf[l >> 3] |= 1 << (l & 7);
  }

  /** Offset where a line's content ends, before its line break: a range may end there, never inside a CRLF. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.length;
    return this.starts[line + 1] - ((this.crlf?.[line >> 3] ?? 0) & (1 << (line & 7)) ? 2 : 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.length;
    const lineStart = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.length;
    return Math.min(lineStart + Math.max(0, pos.character), next);
  }

  range(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
}
