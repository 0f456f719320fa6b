/** The checkpoint's weights file in runs/<id>/checkpoint/ (beside model.json): training writes it, the results files name it. */
export const CHECKPOINT_WEIGHTS_FILE = 'weights.bin';
