import { unzipSync } from 'fflate';
import { DataFileError } from './data-file-error.js';
import type { Dataset } from './dataset.js';

/** An array read from a .npy file (or an entry of a .npz): its shape and its values as float32 (what training takes), in C order. */
interface NpyArray {
  shape: number[];
  /** float, int, uint or bool: what the file stores (labels must be whole numbers). */
  kind: 'f' | 'i' | 'u' | 'b';
  values: Float32Array;
}

const KINDS = 'fiub';
const SIZES: Record<string, number[]> = { f: [4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };

/**
 * A .npy file: the magic string, a version, a Python dict header ({'descr': '<f4', 'fortran_order':
 * False, 'shape': (100, 28, 28)}) and the data. float32/64, signed and unsigned integers and bool,
 * either byte order, C or Fortran order; anything else — and a header or length that does not add
 * up — is refused with a message naming the file, the field of the spec and what is wrong.
 * @example parseNpy(bytes, 'x.npy', 'x').shape → [100, 28, 28]
 */
export function parseNpy(bytes: Uint8Array, file: string, field: string): NpyArray {
  const fail = (message: string): never => {
    throw new DataFileError(field, `Reading ${file} failed: ${message}`);
  };
  const magic = '\x93NUMPY';
  if (bytes.length < 10 || String.fromCharCode(...bytes.subarray(0, 6)) !== magic) fail('it does not start with "\\x93NUMPY" (not a .npy file).');
  const major = bytes[6]!;
  if (major < 1 || major > 3) fail(`unknown .npy version ${major}.${bytes[7]}; expected 1, 2 or 3.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : bytes.length >= 12 ? view.getUint32(8, true) : fail('the header length is cut off.');
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) fail(`the header declares ${headerLength} bytes but the file ends after ${bytes.length - start} (truncated).`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([<>|=]?)([a-zA-Z])(\d*)'/.exec(header);
  const order = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shapeText)
    fail(`its header is not a dict with 'descr', 'fortran_order' and 'shape': ${JSON.stringify(header.trim().slice(0, 80))}.`);
  const [, endian, kind, sizeText] = descr!;
  const size = Number(sizeText);
  if (!KINDS.includes(kind!) || !SIZES[kind!]!.includes(size)) {
    fail(
      `its dtype '${descr![1]}${kind}${sizeText}' is not one nnlab reads; expected float32 or float64 (f4, f8), signed or unsigned integers (i1–i8, u1–u8) or bool (b1).`,
    );
  }
  const shape = shapeText![1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`its shape (${shapeText![1]!.replace(/[^\x20-\x7e]/g, '?')}) is not a tuple of whole numbers.`);
  const count = shape.reduce((p, d) => p * d, 1);
  const dataStart = start + headerLength;
  if (count * size !== bytes.length - dataStart) {
    fail(
      `its header declares shape (${shape.join(', ')}) of ${kind}${size} (${count * size} bytes) but the file has ${bytes.length - dataStart} bytes of data${count * size > bytes.length - dataStart ? ' (truncated?)' : ''}.`,
    );
  }
  const little = endian !== '>';
  const values = new Float32Array(count);
  const read = reader(kind!, size, view, little);
  for (let i = 0; i < count; i++) values[i] = read(dataStart + i * size);
  return { shape, kind: kind as NpyArray['kind'], values: order![1] === 'True' ? toCOrder(values, shape) : values };
}

/**
 * The arrays of a .npz file (a zip of .npy files, stored or deflated), by name without ".npy".
 * @example Object.keys(parseNpz(bytes, 'data.npz', 'path')) → ['x_train', 'y_train']
 */
export function parseNpz(bytes: Uint8Array, file: string, field: string): Record<string, Uint8Array> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    throw new DataFileError(field, `Reading ${file} failed: not a .npz file (a zip archive of .npy files): ${(err as Error).message}.`);
  }
  return Object.fromEntries(
    Object.entries(entries)
      .filter(([name]) => name.endsWith('.npy'))
      .map(([name, data]) => [name.slice(0, -4), data]),
  );
}

function reader(kind: string, size: number, view: DataView, little: boolean): (at: number) => number {
  if (kind === 'f') return size === 4 ? (at) => view.getFloat32(at, little) : (at) => view.getFloat64(at, little);
  if (kind === 'b' || (kind === 'u' && size === 1)) return (at) => view.getUint8(at);
  if (kind === 'i' && size === 1) return (at) => view.getInt8(at);
  if (size === 2) return kind === 'i' ? (at) => view.getInt16(at, little) : (at) => view.getUint16(at, little);
  if (size === 4) return kind === 'i' ? (at) => view.getInt32(at, little) : (at) => view.getUint32(at, little);
  return kind === 'i' ? (at) => Number(view.getBigInt64(at, little)) : (at) => Number(view.getBigUint64(at, little));
}

/** Column-major values (Fortran order) rearranged to row-major. */
function toCOrder(values: Float32Array, shape: number[]): Float32Array {
  if (shape.length < 2) return values;
  const out = new Float32Array(values.length);
  const strides = shape.map((_, d) => shape.slice(0, d).reduce((p, n) => p * n, 1));
  const index = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < out.length; c++) {
    let f = 0;
    for (let d = 0; d < shape.length; d++) f += index[d]! * strides[d]!;
    out[c] = values[f]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Features and labels (or targets) from two arrays: x of shape [n, …] (one sample per row: [n, 28,
 * 28], [n, 4]), y of shape [n], [n, 1] or [n, k] — class indices or one-hot rows for
 * classification, k targets for regression.
 * @example numpyDataset(x, y, {task: 'classification', name: 'data.npz', fields: {x: 'x', y: 'y'}}).numClasses === 10
 */
export function numpyDataset(
  x: NpyArray,
  y: NpyArray,
  options: { task: 'classification' | 'regression'; name: string; fields: { x: string; y: string }; files: { x: string; y: string } },
): Dataset {
  const n = x.shape[0] ?? 0;
  const fail = (field: string, file: string, message: string): never => {
    throw new DataFileError(field, `Reading ${file} failed: ${message}`);
  };
  if (x.shape.length === 0 || n === 0)
    fail(options.fields.x, options.files.x, `x has shape (${x.shape.join(', ')}); expected one sample per row, e.g. (n, 28, 28) or (n, 4).`);
  if (y.shape[0] !== n) fail(options.fields.y, options.files.y, `y has ${y.shape[0] ?? 0} rows but x has ${n}; expected one label (or target row) per sample.`);
  const featureShape = x.shape.length === 1 ? [1] : x.shape.slice(1);
  const width = y.shape.slice(1).reduce((p, d) => p * d, 1);
  const xs = x.values;
  if (options.task === 'regression') {
    return { name: options.name, task: 'regression', featureShape, x: xs, labels: new Int32Array(n), numClasses: 0, targets: y.values, targetWidth: width };
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (width === 1) {
      const v = y.values[i]!;
      if (!Number.isInteger(v) || v < 0)
        fail(options.fields.y, options.files.y, `row ${i} of y is ${v}; classification labels are class numbers 0, 1, 2, … (or one-hot rows).`);
      labels[i] = v;
    } else {
      let best = 0;
      for (let k = 1; k < width; k++) if (y.values[i * width + k]! > y.values[i * width + best]!) best = k;
      labels[i] = best;
    }
  }
  const numClasses = width > 1 ? width : labels.reduce((m, v) => Math.max(m, v), 0) + 1;
  if (numClasses < 2) fail(options.fields.y, options.files.y, 'y has one class only; classification needs two or more.');
  return { name: options.name, task: 'classification', featureShape, x: xs, labels, numClasses };
}
