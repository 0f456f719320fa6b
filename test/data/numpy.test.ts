import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numpyDataset, parseNpy, parseNpz } from '../../src/data/numpy.js';
import { NnlabError } from '../../src/shared/errors.js';
import { createRng } from '../../src/shared/rng.js';

// Written by numpy 1.x (np.save / np.savez / np.savez_compressed); their values are in the comments.
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'numpy');
const bytes = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const npy = (name: string) => parseNpy(bytes(name), name, 'x');

/** A .npy file from a header dict and raw data, for the cases numpy itself will not write. */
function craft(header: string, data: Uint8Array, version = 1): Uint8Array {
  const text = new TextEncoder().encode(header);
  const lengthBytes = version === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthBytes + text.length + data.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), version, 0]);
  new DataView(out.buffer).setUint32(8, text.length, true);
  if (version === 1) new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(text, 8 + lengthBytes);
  out.set(data, 8 + lengthBytes + text.length);
  return out;
}

describe('.npy', () => {
  it('reads float, integer and bool arrays in either byte order and either memory order', () => {
    // np.arange(6.).reshape(2, 3) saved in Fortran order: read back in C order.
    expect(npy('fortran.npy')).toEqual({ shape: [2, 3], kind: 'f', values: Float32Array.from([0, 1, 2, 3, 4, 5]) });
    // np.array([1, -2, 300], dtype='>i4')
    expect(npy('bigendian.npy')).toEqual({ shape: [3], kind: 'i', values: Float32Array.from([1, -2, 300]) });
    expect(npy('bool.npy')).toEqual({ shape: [3], kind: 'b', values: Float32Array.from([1, 0, 1]) });
    expect(npy('uint8.npy')).toEqual({ shape: [2, 2], kind: 'u', values: Float32Array.from([0, 255, 7, 8]) });
  });

  it('reads version 2 headers and 3-d Fortran arrays', () => {
    const values = new Float64Array([0, 1, 2, 3, 4, 5, 6, 7]);
    // A (2, 2, 2) array in Fortran order: element [i, j, k] is at i + 2j + 4k.
    const read = parseNpy(craft("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2, 2), }", new Uint8Array(values.buffer), 2), 'v2.npy', 'x');
    expect([...read.values]).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
  });

  it.each([
    ['not a .npy file', new TextEncoder().encode('x,y\n1,2\n'), /does not start with "\\x93NUMPY" \(not a \.npy file\)/],
    ['an unknown version', craft("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4), 9), /unknown \.npy version 9/],
    ['complex numbers', bytes('complex.npy'), /its dtype '<c8' is not one nnlab reads; expected float32 or float64/],
    ['strings', craft("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(12)), /dtype '<U3'/],
    ['Python objects', craft("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /dtype '\|O'/],
    ['a header that is no dict', craft('hello', new Uint8Array(0)), /its header is not a dict with 'descr', 'fortran_order' and 'shape'/],
    [
      'a negative dimension',
      craft("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2), }", new Uint8Array(0)),
      /shape \(-1, 2\) is not a tuple of whole numbers/,
    ],
    [
      'data cut short',
      bytes('fortran.npy').subarray(0, bytes('fortran.npy').length - 8),
      /declares shape \(2, 3\) of f8 \(48 bytes\) but the file has 40 bytes of data \(truncated\?\)/,
    ],
    ['a header cut short', bytes('fortran.npy').subarray(0, 40), /the header declares \d+ bytes but the file ends after 30 \(truncated\)/],
  ])('refuses %s, naming the file and what is wrong', (_, data, message) => {
    expect(() => parseNpy(data, 'data.npy', 'x')).toThrow(message);
    expect(() => parseNpy(data, 'data.npy', 'x')).toThrow(/^Reading data\.npy failed: /);
  });
});

describe('.npz', () => {
  it('reads stored and deflated archives, arrays by name', () => {
    const plain = parseNpz(bytes('plain.npz'), 'plain.npz', 'path');
    expect(Object.keys(plain).sort()).toEqual(['x', 'y']);
    const compressed = parseNpz(bytes('compressed.npz'), 'compressed.npz', 'path');
    expect(Object.keys(compressed).sort()).toEqual(['x_train', 'y_train']);
    // The same features either way: np.arange(24, dtype=float32).reshape(6, 2, 2) / 10.
    expect(parseNpy(compressed.x_train!, 'c', 'x').values).toEqual(parseNpy(plain.x!, 'p', 'x').values);
  });

  it('refuses a file that is no zip archive', () => {
    expect(() => parseNpz(new TextEncoder().encode('not a zip'), 'data.npz', 'path')).toThrow(/^Reading data\.npz failed: not a \.npz file/);
  });
});

describe('numpyDataset', () => {
  const files = { x: 'd.npz:x.npy', y: 'd.npz:y.npy' };
  const fields = { x: 'x', y: 'y' };
  const plain = parseNpz(bytes('plain.npz'), 'plain.npz', 'path');
  const x = parseNpy(plain.x!, 'x', 'x');

  it('takes class indices or one-hot rows as labels, and one sample per row of x', () => {
    const byIndex = numpyDataset(x, parseNpy(plain.y!, 'y', 'y'), { task: 'classification', name: 'd', fields, files });
    expect(byIndex).toMatchObject({ featureShape: [2, 2], numClasses: 3, labels: Int32Array.from([0, 1, 2, 0, 1, 2]) });
    const compressed = parseNpz(bytes('compressed.npz'), 'compressed.npz', 'path');
    const oneHot = numpyDataset(x, parseNpy(compressed.y_train!, 'y', 'y'), { task: 'classification', name: 'd', fields, files });
    expect(oneHot.labels).toEqual(byIndex.labels);
  });

  it('takes targets for regression', () => {
    const d = numpyDataset(x, parseNpy(plain.y!, 'y', 'y'), { task: 'regression', name: 'd', fields, files });
    expect(d).toMatchObject({ task: 'regression', targetWidth: 1, targets: Float32Array.from([0, 1, 2, 0, 1, 2]) });
  });

  it.each([
    [
      'labels that are no class numbers',
      { shape: [6], kind: 'f' as const, values: Float32Array.from([0, 1, 0.5, 0, 1, 1]) },
      /row 2 of y is 0\.5; classification labels are class numbers/,
    ],
    ['fewer labels than samples', { shape: [5], kind: 'i' as const, values: new Float32Array(5) }, /y has 5 rows but x has 6/],
    ['one class only', { shape: [6], kind: 'i' as const, values: new Float32Array(6) }, /y has one class only/],
  ])('refuses %s, naming the array', (_, y, message) => {
    expect(() => numpyDataset(x, y, { task: 'classification', name: 'd', fields, files })).toThrow(message);
  });
});

describe('damaged numpy files', () => {
  it('end in a located one-line error or a dataset, never anything else (2,000 random damages)', () => {
    const rng = createRng(7, 'numpy-fuzz');
    const sources = ['fortran.npy', 'bigendian.npy', 'uint8.npy', 'plain.npz', 'compressed.npz'].map((name) => ({ name, data: bytes(name) }));
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const { name, data } = sources[i % sources.length]!;
      const damaged = new Uint8Array(data);
      const kind = i % 3;
      let input = damaged;
      if (kind === 0) for (let k = 0; k < 1 + Math.floor(rng.next() * 4); k++) damaged[Math.floor(rng.next() * damaged.length)] = Math.floor(rng.next() * 256);
      else if (kind === 1) input = damaged.subarray(0, Math.floor(rng.next() * damaged.length));
      else input = Uint8Array.from([...damaged.subarray(0, 60), ...Array.from({ length: 40 }, () => Math.floor(rng.next() * 256)), ...damaged.subarray(60)]);
      try {
        if (name.endsWith('.npz')) for (const [entry, array] of Object.entries(parseNpz(input, name, 'path'))) parseNpy(array, `${name}:${entry}.npy`, 'x');
        else parseNpy(input, name, 'x');
      } catch (err) {
        expect(err, String(err)).toBeInstanceOf(NnlabError);
        expect((err as Error).message).toMatch(new RegExp(`^Reading ${name.replace('.', '\\.')}\\S* failed: [^\\n]+$`));
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
