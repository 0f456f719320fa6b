import { NnlabError } from '../shared/errors.js';

/**
 * Data-file problems and the spec field they concern (`path`, `target`, `images`, …): usually one;
 * the cells of a CSV that cannot be read are all reported, in file order (see parseCsvDataset).
 */
export class DataFileError extends NnlabError {
  readonly messages: string[];

  constructor(
    readonly field: string,
    message: string,
    more: string[] = [],
  ) {
    super('NNLAB_DATA_INVALID', message);
    this.messages = [message, ...more];
  }
}
