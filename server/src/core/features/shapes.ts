// Plain-data shapes the feature functions return: LSP's shapes with a core path instead of a URI, so the core needs no LSP package.
import type { Range } from '../types';
import type { AddBlockIdArgs } from './blocks';

/** LSP's CompletionItemKind values the features use. */
export const CompletionKind = { Text: 1, File: 17, Reference: 18, Folder: 19, Constant: 21, EnumMember: 20, Keyword: 14, Value: 12 } as const;
/** LSP's SymbolKind values the features use. */
export const SymbolKind = { File: 1, Module: 2, Namespace: 3, Field: 8, Constant: 14, String: 15, Key: 20, EnumMember: 22 } as const;

export interface TextEditShape {
  range: Range;
  newText: string;
}

export interface CompletionItemShape {
  label: string;
  kind: number;
  detail?: string;
  documentation?: { kind: 'markdown' | 'plaintext'; value: string };
  sortText?: string;
  filterText?: string;
  textEdit: TextEditShape;
  /** Edits elsewhere in the same document that come with the item (the id of a block of this article it links to). */
  additionalTextEdits?: TextEditShape[];
  /** The block of another article that gets the id the item inserts: the LSP adapter makes it the item's command. */
  addBlockId?: AddBlockIdArgs;
  /** What completionItem/resolve needs to fill in later (unused by the core). */
  data?: Record<string, unknown>;
}

export interface CompletionListShape {
  isIncomplete: boolean;
  items: CompletionItemShape[];
}

/** A place in the wiki: a core path (absolute, `/`-separated) and a range in it. */
export interface CoreLocation {
  path: string;
  range: Range;
}

export interface HoverShape {
  /** Untrusted markdown, already escaped (no raw HTML, no links the writer did not make). */
  markdown: string;
  range: Range;
}

export interface DocumentSymbolShape {
  name: string;
  detail?: string;
  kind: number;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbolShape[];
}

export interface WorkspaceSymbolShape {
  name: string;
  kind: number;
  containerName?: string;
  location: CoreLocation;
}

export interface DocumentLinkShape {
  range: Range;
  /** The file the link opens. */
  path: string;
  /** 0-based line of the heading it points at, when it names one. */
  line?: number;
  tooltip?: string;
}
