// Preloaded with --import into the CLI under test: every write under NNLAB_TEST_FAIL_UNDER after the
// first NNLAB_TEST_FAIL_AFTER fails with ENOSPC, as on a full disk.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const under = process.env.NNLAB_TEST_FAIL_UNDER;
const after = Number(process.env.NNLAB_TEST_FAIL_AFTER ?? 0);
let writes = 0;
const writeFile = fs.promises.writeFile;
fs.promises.writeFile = async (file, ...rest) => {
  if (under && typeof file === 'string' && file.startsWith(under) && writes++ >= after) {
    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', errno: -28, syscall: 'write', path: file });
  }
  return writeFile(file, ...rest);
};
syncBuiltinESMExports();
