/** An IDX file: magic (0, 0, type, rank), big-endian uint32 dims, then the data bytes. */
export function idxBytes(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, type, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}
