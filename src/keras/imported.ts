/** A spec field's source: the script line it came from, and what to know about it (a default, an approximation). */
interface Provenance {
  line?: number;
  note?: string;
}

/**
 * What the importer builds: the spec as plain data, the source of each entry by its path in the
 * spec (`train.epochs`, `model.layers.3`), and what could not be mapped, with its line and why.
 */
export interface Imported {
  spec: Record<string, unknown>;
  sources: Map<string, Provenance>;
  /** `changesModel`: without it the spec's model is not the script's (a layer dropped, branches merged). */
  unmapped: Array<{ line: number; what: string; why: string; changesModel?: boolean }>;
}

/** Records where a spec entry came from; `path` is the dotted path (`model.layers.2`). */
export function mark(imported: Pick<Imported, 'sources'>, path: string, line: number | undefined, note?: string): void {
  const known = imported.sources.get(path);
  imported.sources.set(path, {
    ...(line !== undefined ? { line } : known?.line !== undefined ? { line: known.line } : {}),
    ...(note ? { note: known?.note ? `${known.note}; ${note}` : note } : known?.note ? { note: known.note } : {}),
  });
}

/** Records what the script says that the spec cannot: it is listed, never silently dropped. */
export function unmapped(imported: Pick<Imported, 'unmapped'>, line: number, what: string, why: string, changesModel = false): void {
  if (!imported.unmapped.some((u) => u.line === line && u.what === what))
    imported.unmapped.push({ line, what, why, ...(changesModel ? { changesModel } : {}) });
}
