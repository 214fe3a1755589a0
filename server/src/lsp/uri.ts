// Conversions between LSP document URIs and the core's paths (absolute, `/`-separated).
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A `file:` URI as a core path; any other scheme (an unsaved document) keeps its URI as its "path", outside every folder. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    let p = fileURLToPath(uri).replace(/\\/g, '/');
    // VS Code writes Windows drive letters in lower case; the file system does not care, the index does.
    if (/^[a-z]:\//.test(p)) p = p[0].toUpperCase() + p.slice(1);
    return p;
  } catch {
    return uri;
  }
}

export function pathToUri(path: string): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(path) && !/^[a-z]:\//i.test(path)) return path;
  return pathToFileURL(path).href;
}
