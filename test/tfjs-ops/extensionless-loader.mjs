// tfjs-core's compiled ESM (dist/*.js) imports its modules without extensions, as its bundlers
// allow; Node needs them. Resolve './engine' to './engine.js' (or './ops/index.js').
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  if ((specifier.startsWith('./') || specifier.startsWith('../')) && context.parentURL?.includes('/@tensorflow/tfjs-core/dist/') && !/\.[cm]?js$/.test(specifier)) {
    for (const candidate of [`${specifier}.js`, `${specifier}/index.js`]) {
      const url = new URL(candidate, context.parentURL);
      if (existsSync(fileURLToPath(url))) return next(url.href, context);
    }
  }
  return next(specifier, context);
}
