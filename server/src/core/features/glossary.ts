// The wiki's glossary as a lookup table (term → entries), rebuilt only when a glossary entry changes.
import { hasGlossary, type Article, type Wiki } from '../wiki';
import type { GlossaryEntry } from '../types';
import { phraseAt, termKey, type PhraseHit } from './text';

export interface TermEntry {
  term: string;
  definition: string;
  article: Article;
  entry: GlossaryEntry;
}

export class GlossaryIndex {
  private terms = new Map<string, TermEntry[]>();
  private maxWords = 1;
  private dirty = true;

  invalidate(): void {
    this.dirty = true;
  }

  private get(wiki: Wiki): Map<string, TermEntry[]> {
    if (!this.dirty) return this.terms;
    const terms = new Map<string, TermEntry[]>();
    let maxWords = 1;
    for (const article of wiki.allArticles()) {
      // Told without decoding: nearly no article has a glossary, and decoding every packed one took seconds at 50,000.
      if (!hasGlossary(article)) continue;
      for (const entry of article.syntax.glossary) {
        const key = termKey(entry.term);
        if (!key) continue;
        let list = terms.get(key);
        if (!list) terms.set(key, (list = []));
        // A glossary section often gives a term both a heading and a bold entry: keep one per article, the one whose
        // definition does not repeat the term.
        const same = list.findIndex((t) => t.article === article);
        const candidate = { term: entry.term, definition: entry.definition, article, entry };
        if (same < 0) list.push(candidate);
        else if (entry.definition.length < list[same].definition.length) list[same] = candidate;
        maxWords = Math.max(maxWords, key.split(' ').length);
      }
    }
    this.terms = terms;
    this.maxWords = Math.min(maxWords, 8);
    this.dirty = false;
    return terms;
  }

  lookup(wiki: Wiki, term: string): TermEntry[] | undefined {
    return this.get(wiki).get(termKey(term));
  }

  /** The longest glossary term written around the offset. */
  termAt(wiki: Wiki, text: string, offset: number): PhraseHit<TermEntry[]> | undefined {
    const terms = this.get(wiki);
    if (terms.size === 0) return undefined;
    return phraseAt(text, offset, this.maxWords, (k) => terms.get(k));
  }

  all(wiki: Wiki): IterableIterator<[string, TermEntry[]]> {
    return this.get(wiki).entries();
  }
}
