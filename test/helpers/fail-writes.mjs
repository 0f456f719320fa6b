// Preloaded with --import into the CLI under test: every write or new folder under
// NNLAB_TEST_FAIL_UNDER after the first NNLAB_TEST_FAIL_AFTER writes fails with NNLAB_TEST_FAIL_CODE
// (default ENOSPC, as on a full disk; EROFS as on a read-only mount).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const under = process.env.NNLAB_TEST_FAIL_UNDER;
const after = Number(process.env.NNLAB_TEST_FAIL_AFTER ?? 0);
const code = process.env.NNLAB_TEST_FAIL_CODE ?? 'ENOSPC';
const reasons = { ENOSPC: 'no space left on device', EROFS: 'read-only file system', EACCES: 'permission denied' };
let writes = 0;
const failing = (syscall, original) => async (file, ...rest) => {
  if (under && typeof file === 'string' && file.startsWith(under) && writes++ >= after) {
    throw Object.assign(new Error(`${code}: ${reasons[code] ?? 'failed'}, ${syscall} '${file}'`), { code, syscall, path: file });
  }
  return original(file, ...rest);
};
fs.promises.writeFile = failing('write', fs.promises.writeFile);
if (process.env.NNLAB_TEST_FAIL_CODE) fs.promises.mkdir = failing('mkdir', fs.promises.mkdir);
syncBuiltinESMExports();
