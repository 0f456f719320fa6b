import { DataFileError } from './data-file-error.js';
import type { Dataset } from './dataset.js';

/** IDX element types (the third byte of the magic number) and their sizes in bytes. */
const ELEMENT_TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'unsigned byte', bytes: 1 },
  0x09: { name: 'signed byte', bytes: 1 },
  0x0b: { name: 'short', bytes: 2 },
  0x0c: { name: 'int', bytes: 4 },
  0x0d: { name: 'float', bytes: 4 },
  0x0e: { name: 'double', bytes: 8 },
};

interface IdxHeader {
  type: number;
  dims: number[];
  /** Where the data starts. */
  offset: number;
}

/**
 * The header of an IDX file (MNIST's format: two zero bytes, a type byte, the number of dimensions,
 * then each dimension as a big-endian uint32), checked against the file's length so that a corrupt
 * or truncated file is refused before anything is allocated.
 */
export function readIdxHeader(bytes: Uint8Array, file: string, field = 'images'): IdxHeader {
  const fail = (message: string): never => {
    throw new DataFileError(field, `Reading ${file} failed: ${message}`);
  };
  if (bytes.length < 4) fail(`${bytes.length} bytes is too short for an IDX file (not an IDX file?).`);
  const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
  if (bytes[0] !== 0 || bytes[1] !== 0)
    fail(`wrong magic number 0x${magic}; IDX files start with 0x0000 (not an IDX file, or still compressed without a .gz name?).`);
  const type = bytes[2]!;
  if (!ELEMENT_TYPES[type]) fail(`unknown element type 0x${type.toString(16)} in the magic number 0x${magic}.`);
  const rank = bytes[3]!;
  if (rank === 0) fail('the header declares zero dimensions.');
  const offset = 4 + 4 * rank;
  if (bytes.length < offset) fail(`the header declares ${rank} dimensions but the file ends after ${bytes.length} bytes (truncated).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  // Multiply as doubles: exact up to 2^53, and anything that large is refused just below.
  const count = dims.reduce((p, d) => p * d, 1);
  const expected = count * ELEMENT_TYPES[type]!.bytes;
  if (expected !== bytes.length - offset) {
    fail(
      `the header declares ${dims.join(' × ')} ${ELEMENT_TYPES[type]!.name}s (${expected <= Number.MAX_SAFE_INTEGER ? expected : expected.toExponential(1)} bytes of data) but the file has ${bytes.length - offset}${expected > bytes.length - offset ? ' (truncated?)' : ''}.`,
    );
  }
  return { type, dims, offset };
}

/**
 * An image IDX file ([n, height, width] or [n, height, width, channels] unsigned bytes, scaled to
 * 0..1) and a label IDX file ([n] unsigned bytes) as a classification dataset.
 */
export function parseIdxDataset(images: Uint8Array, labels: Uint8Array, files: { images: string; labels: string }): Dataset {
  const fail = (file: string, message: string): never => {
    throw new DataFileError(file === files.labels ? 'labels' : 'images', `Reading ${file} failed: ${message}`);
  };
  const ih = readIdxHeader(images, files.images, 'images');
  const lh = readIdxHeader(labels, files.labels, 'labels');
  if (ih.type !== 0x08) fail(files.images, `images must be unsigned bytes (type 0x08), got ${ELEMENT_TYPES[ih.type]!.name}s.`);
  if (ih.dims.length !== 3 && ih.dims.length !== 4)
    fail(files.images, `expected images of shape [count, height, width] or [count, height, width, channels], got [${ih.dims.join(', ')}].`);
  if (lh.type !== 0x08 || lh.dims.length !== 1)
    fail(files.labels, `expected one unsigned byte per label (shape [count], type 0x08), got [${lh.dims.join(', ')}] ${ELEMENT_TYPES[lh.type]!.name}s.`);
  const [count, height, width, channels = 1] = ih.dims as [number, number, number, number?];
  if (lh.dims[0] !== count) fail(files.labels, `${lh.dims[0]} labels for ${count} images in ${files.images}.`);
  if (count === 0) fail(files.images, 'the file holds no images.');
  const x = new Float32Array(count * height * width * channels);
  const pixels = images.subarray(ih.offset);
  for (let i = 0; i < x.length; i++) x[i] = pixels[i]! / 255;
  const raw = labels.subarray(lh.offset);
  const numClasses = raw.reduce((m, v) => Math.max(m, v), 0) + 1;
  if (numClasses < 2) fail(files.labels, 'every label is 0; a classifier needs at least two classes.');
  return { name: files.images, task: 'classification', featureShape: [height, width, channels], x, labels: Int32Array.from(raw), numClasses };
}
