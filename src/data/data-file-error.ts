import { NnlabError } from '../shared/errors.js';

/** A data-file problem and the spec field it concerns (`path`, `target`, `images`, …). */
export class DataFileError extends NnlabError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('NNLAB_DATA_INVALID', message);
  }
}
