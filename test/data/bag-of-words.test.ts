import { describe, expect, it } from 'vitest';
import { fitVocabulary, internDocuments, tokenize, vectorize } from '../../src/data/bag-of-words.js';
import type { Dataset } from '../../src/data/dataset.js';
import { prepareSplit } from '../../src/data/prepare-split.js';
import { readSpam, subjectAndBody } from '../../src/data/spam.js';
import { dataSchema } from '../../src/spec/schema.js';

describe('bag of words', () => {
  it('tokenizes to lower-case words of two or more characters, without HTML tags', () => {
    expect(tokenize("<b>FREE</b> money!!! Click a link, e-mail me: win 100$ now's")).toEqual(['free', 'money', 'click', 'link', 'mail', 'me', 'win', "now's"]);
  });

  const corpus = internDocuments(['the cat sat', 'the cat ran', 'the dog ran ran', 'zebra zebra zebra']);

  it('keeps the words in most training documents, ties alphabetical, and never looks at other documents', () => {
    const train = corpus.documents.slice(0, 3);
    const vocab = fitVocabulary(corpus, train, 3);
    expect(vocab.words).toEqual(['the', 'cat', 'ran']);
    expect(Array.from(vocab.documentFrequency)).toEqual([3, 2, 2]);
    // "zebra" is only in the fourth (held-out) document: not a column however often it occurs there.
    expect(vocab.columns[corpus.tokens.indexOf('zebra')]).toBe(-1);
  });

  it('counts as binary, count or tf-idf (smoothed idf, unit rows)', () => {
    const train = corpus.documents.slice(0, 3);
    const vocab = fitVocabulary(corpus, train, 3);
    const doc = [corpus.documents[2]!]; // the dog ran ran
    expect(Array.from(vectorize(doc, vocab, 3, 'binary', 3))).toEqual([1, 0, 1]);
    expect(Array.from(vectorize(doc, vocab, 3, 'count', 3))).toEqual([1, 0, 2]);
    const idfThe = Math.log(4 / 4) + 1;
    const idfRan = Math.log(4 / 3) + 1;
    const norm = Math.hypot(idfThe, 2 * idfRan);
    const tfidf = Array.from(vectorize(doc, vocab, 3, 'tfidf', 3));
    expect(tfidf[0]).toBeCloseTo(idfThe / norm, 6);
    expect(tfidf[2]).toBeCloseTo((2 * idfRan) / norm, 6);
    expect(Math.hypot(...tfidf)).toBeCloseTo(1, 6);
  });

  it('fits the vocabulary on the training split only when preparing a run', () => {
    const texts = Array.from({ length: 40 }, (_, i) => (i % 2 ? `spam offer ${i < 30 ? 'deal' : 'rarely'}` : `meeting notes ${i}`));
    const data: Dataset = {
      name: 'toy',
      task: 'classification',
      featureShape: [0],
      x: new Float32Array(0),
      labels: Int32Array.from(texts, (_, i) => i % 2),
      numClasses: 2,
      text: internDocuments(texts),
    };
    const split = prepareSplit(data, dataSchema.parse({ dataset: 'spam', vocabulary: 5, validation_split: 0.25 }), 1);
    expect(split.train.featureShape).toEqual([5]);
    expect(split.train.x.length).toBe(30 * 5);
    expect(split.validation.x.length).toBe(10 * 5);
    expect(split.train.x.every((v) => v === 0 || v === 1)).toBe(true);
  });
});

describe('the spam dataset', () => {
  it('is the 6,046 SpamAssassin e-mails, 1,896 of them spam, with headers left out', async () => {
    const spam = await readSpam();
    expect(spam.labels.length).toBe(6046);
    expect(spam.labels.reduce((a, b) => a + b, 0)).toBe(1896);
    expect(spam.text!.documents).toHaveLength(6046);
    expect(subjectAndBody('From: a@b.c\nSubject: Cheap pills\nX-Spam: yes\n\nHello there')).toBe(' Cheap pills\n\n\nHello there');
  });
});
