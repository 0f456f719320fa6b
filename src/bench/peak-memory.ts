/**
 * Preloaded (NODE_OPTIONS=--import) into every nnlab process a bench step starts, workers included:
 * at exit, appends the process's peak resident memory in KB to $NNLAB_BENCH_PEAK_FILE.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.NNLAB_BENCH_PEAK_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
