// Writes the numpy files the seed questions' scripts train on, into examples/keras/data/:
//   digits-0-5.npz     x (n, 28, 28, 1) float32, y (n,) int64: the mnist package's digits 0–5 (six classes,
//                      as in the overfitting question's six-class image set)
//   digits-3-vs-5.npz  x (n, 28, 28) float32, y (n,) 0/1: digits 3 and 5 (the two-class image question)
//   sensors.npz        x (n, 6, 10) float32, y (n,) 0/1: six seeded noisy signals of 10 steps whose class
//                      shifts their mean, stored class by class as many recordings are (the question whose
//                      accuracy fell with more epochs)
// Run from the project folder after npm install: node examples/keras/make-data.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'data');
const mnistRoot = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));

/** One .npy file (format 1.0, C order, little endian). */
function npy(array, descr, shape) {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  head.set(new TextEncoder().encode(header), 10);
  const body = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const file = new Uint8Array(head.length + body.length);
  file.set(head);
  file.set(body, head.length);
  return file;
}

function digits(classes) {
  const perClass = classes.map((d) => JSON.parse(readFileSync(join(mnistRoot, 'src', 'digits', `${d}.json`), 'utf8')).data);
  const n = perClass.reduce((s, values) => s + values.length / 784, 0);
  const x = new Float32Array(n * 784);
  const y = new BigInt64Array(n);
  let at = 0;
  perClass.forEach((values, label) => {
    x.set(values, at * 784);
    y.fill(BigInt(label), at, at + values.length / 784);
    at += values.length / 784;
  });
  return { x, y, n };
}

/** A seeded stream of uniform numbers (mulberry32), so the file is the same on every machine. */
function uniform(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sensors() {
  const next = uniform(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  // 600 recordings of class 0, then 400 of class 1: Keras' validation_split takes the last 20 %.
  const n = 1000;
  const x = new Float32Array(n * 60);
  const y = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const label = i < 600 ? 0 : 1;
    y[i] = BigInt(label);
    for (let s = 0; s < 6; s++) for (let t = 0; t < 10; t++) x[i * 60 + s * 10 + t] = (label ? 0.6 : 0) * (s % 2 ? 1 : -1) + normal();
  }
  return { x, y, n };
}

mkdirSync(out, { recursive: true });
const write = (name, { x, y, n }, shape) => {
  writeFileSync(join(out, name), zipSync({ 'x.npy': npy(x, '<f4', [n, ...shape]), 'y.npy': npy(y, '<i8', [n]) }, { level: 6 }));
  console.log(`wrote ${join('examples', 'keras', 'data', name)}: ${n} samples of shape (${shape.join(', ')})`);
};
write('digits-0-5.npz', digits([0, 1, 2, 3, 4, 5]), [28, 28, 1]);
write('digits-3-vs-5.npz', digits([3, 5]), [28, 28]);
write('sensors.npz', sensors(), [6, 10]);
