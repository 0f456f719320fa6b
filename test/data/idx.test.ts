import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeDataFile, readFileDataset } from '../../src/data/data-files.js';
import { parseIdxDataset, readIdxHeader } from '../../src/data/idx.js';
import { dataSchema } from '../../src/spec/schema.js';
import { dataFileRefusal } from '../helpers/data-file-refusal.js';
import { idxBytes } from '../helpers/idx-bytes.js';

// Three 2×2 images and their labels.
const images = idxBytes([3, 2, 2], [0, 255, 51, 102, 1, 2, 3, 4, 255, 255, 0, 0]);
const labels = idxBytes([3], [2, 0, 1]);
const files = { images: 'i.idx', labels: 'l.idx' };
const refusal = dataFileRefusal;

describe('IDX files', () => {
  it('reads images as [height, width, 1] scaled to 0..1, and the labels', () => {
    const d = parseIdxDataset(images, labels, files);
    expect(d.featureShape).toEqual([2, 2, 1]);
    expect(Array.from(d.x.subarray(0, 4))).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
    expect(Array.from(d.labels)).toEqual([2, 0, 1]);
    expect(d.numClasses).toBe(3);
  });

  it.each([
    {
      name: 'a wrong magic number',
      bytes: Uint8Array.from([0x1f, 0x8b, 8, 3, 0, 0, 0, 0]),
      message: 'Reading i.idx failed: wrong magic number 0x1f8b0803; IDX files start with 0x0000 (not an IDX file, or still compressed without a .gz name?).',
    },
    {
      name: 'an unknown element type',
      bytes: Uint8Array.from([0, 0, 7, 1, 0, 0, 0, 0]),
      message: 'Reading i.idx failed: unknown element type 0x7 in the magic number 0x00000701.',
    },
    {
      name: 'a truncated header',
      bytes: Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 3, 0]),
      message: 'Reading i.idx failed: the header declares 3 dimensions but the file ends after 9 bytes (truncated).',
    },
    {
      name: 'truncated data',
      bytes: images.subarray(0, images.length - 1),
      message: 'Reading i.idx failed: the header declares 3 × 2 × 2 unsigned bytes (12 bytes of data) but the file has 11 (truncated?).',
    },
    {
      name: 'dimensions whose product overflows 32 bits',
      bytes: idxBytes([0xffffffff, 0xffffffff, 0x10], [1, 2, 3]),
      message: 'Reading i.idx failed: the header declares 4294967295 × 4294967295 × 16 unsigned bytes (3.0e+20 bytes of data) but the file has 3 (truncated?).',
    },
    {
      name: 'too few bytes to be IDX',
      bytes: Uint8Array.from([0, 0]),
      message: 'Reading i.idx failed: 2 bytes is too short for an IDX file (not an IDX file?).',
    },
  ])('refuses $name with one line', ({ bytes, message }) => {
    expect(refusal(() => parseIdxDataset(bytes, labels, files))).toEqual({ field: 'images', message });
  });

  it('refuses labels that do not match the images, naming the labels file', () => {
    expect(refusal(() => parseIdxDataset(images, idxBytes([2], [0, 1]), files))).toEqual({
      field: 'labels',
      message: 'Reading l.idx failed: 2 labels for 3 images in i.idx.',
    });
    expect(refusal(() => parseIdxDataset(images, idxBytes([3, 1], [0, 1, 1]), files)).message).toMatch(
      /^Reading l\.idx failed: expected one unsigned byte per label/,
    );
  });

  it('reads headers of every element type', () => {
    expect(readIdxHeader(idxBytes([2], new Uint8Array(8), 0x0d), 'f.idx')).toEqual({ type: 0x0d, dims: [2], offset: 8 });
  });

  it('reads .gz files from the spec folder and says what is wrong with a file for the pre-flight checks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-idx-'));
    writeFileSync(join(dir, 'images.idx.gz'), gzipSync(images));
    writeFileSync(join(dir, 'labels.idx'), labels);
    writeFileSync(join(dir, 'broken.gz'), 'not gzip');
    const spec = dataSchema.parse({ dataset: 'idx', images: 'images.idx.gz', labels: 'labels.idx' });
    expect(Array.from(readFileDataset(spec, dir).labels)).toEqual([2, 0, 1]);
    expect(describeDataFile(spec, dir)).toMatchObject({ task: 'classification', featureShape: [2, 2, 1], samples: 3, numClasses: 3, valueRange: [0, 1] });
    expect(describeDataFile({ ...spec, labels: 'missing.idx' }, dir)).toEqual({
      errors: ['Reading missing.idx failed: no such file.'],
      path: ['data', 'labels'],
    });
    expect(describeDataFile({ ...spec, images: 'broken.gz' }, dir)).toEqual({
      errors: [expect.stringMatching(/^Reading broken\.gz failed: it is not valid gzip \(/)],
      path: ['data', 'images'],
    });
  });
});
