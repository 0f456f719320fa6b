import * as tf from '@tensorflow/tfjs';

export type KernelArgs = Parameters<tf.KernelFunc>[0];
export type KernelResult = ReturnType<tf.KernelFunc>;

/**
 * Re-register a backend's kernel with a replacement built from the one registered before (which it
 * may call for the cases it does not handle). False when the backend has no such kernel.
 */
export function replaceKernel(kernelName: string, backendName: string, replacement: (previous: tf.KernelFunc) => (args: KernelArgs) => KernelResult): boolean {
  const previous = tf.getKernel(kernelName, backendName);
  if (!previous) return false;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ ...previous, kernelFunc: replacement(previous.kernelFunc) as tf.KernelFunc });
  return true;
}
