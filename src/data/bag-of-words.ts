/** Documents as token ids into one shared token table. */
export interface TokenizedCorpus {
  tokens: string[];
  documents: Int32Array[];
}

type BagOfWordsMode = 'binary' | 'count' | 'tfidf';

/** Bump when tokenize() changes: cached tokenized corpora are keyed by it. */
export const TOKENIZER_VERSION = 1;

/**
 * Lower-case words of two or more letters/digits/apostrophes, HTML tags dropped: enough for a
 * bag-of-words classifier, and the same on every machine (no locale-dependent rules).
 */
export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, ' ')
      .match(/[a-z][a-z0-9']+/g) ?? []
  );
}

/** Intern every document's tokens into one table. */
export function internDocuments(texts: string[]): TokenizedCorpus {
  const ids = new Map<string, number>();
  const tokens: string[] = [];
  const documents = texts.map((text) =>
    Int32Array.from(tokenize(text), (t) => {
      let id = ids.get(t);
      if (id === undefined) {
        id = tokens.length;
        ids.set(t, id);
        tokens.push(t);
      }
      return id;
    }),
  );
  return { tokens, documents };
}

/**
 * The `size` tokens that occur in the most training documents (ties: alphabetical), so the vocabulary
 * never sees the validation split. Returns token id → column, -1 for tokens left out.
 */
export function fitVocabulary(
  corpus: TokenizedCorpus,
  trainDocuments: Int32Array[],
  size: number,
): { columns: Int32Array; words: string[]; documentFrequency: Float64Array } {
  const df = new Float64Array(corpus.tokens.length);
  const seen = new Int32Array(corpus.tokens.length).fill(-1);
  trainDocuments.forEach((doc, d) => {
    for (const t of doc) {
      if (seen[t] !== d) {
        seen[t] = d;
        df[t]!++;
      }
    }
  });
  const ranked = [...df.keys()]
    .filter((t) => df[t]! > 0)
    .sort((a, b) => df[b]! - df[a]! || (corpus.tokens[a]! < corpus.tokens[b]! ? -1 : 1))
    .slice(0, size);
  const columns = new Int32Array(corpus.tokens.length).fill(-1);
  ranked.forEach((t, column) => (columns[t] = column));
  const documentFrequency = Float64Array.from(ranked, (t) => df[t]!);
  return { columns, words: ranked.map((t) => corpus.tokens[t]!), documentFrequency };
}

/**
 * Documents as rows of `width` features: word present (binary), occurrences (count), or tf-idf with
 * scikit-learn's smoothed idf ln((1 + n) / (1 + df)) + 1 from the `trainCount` training documents
 * and each row scaled to unit length.
 */
export function vectorize(
  documents: Int32Array[],
  vocabulary: { columns: Int32Array; documentFrequency: Float64Array },
  width: number,
  mode: BagOfWordsMode,
  trainCount: number,
): Float32Array {
  const x = new Float32Array(documents.length * width);
  const idf = Float64Array.from(vocabulary.documentFrequency, (df) => Math.log((1 + trainCount) / (1 + df)) + 1);
  documents.forEach((doc, d) => {
    const row = x.subarray(d * width, (d + 1) * width);
    for (const t of doc) {
      const c = vocabulary.columns[t]!;
      if (c < 0) continue;
      row[c] = mode === 'binary' ? 1 : row[c]! + 1;
    }
    if (mode !== 'tfidf') return;
    let norm = 0;
    for (let c = 0; c < width; c++) {
      row[c] = row[c]! * idf[c]!;
      norm += row[c]! ** 2;
    }
    if (norm > 0) for (let c = 0; c < width; c++) row[c] = row[c]! / Math.sqrt(norm);
  });
  return x;
}
