import { replaceKernel, type KernelArgs, type KernelResult } from './replace-kernel.js';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };

/**
 * Identity without a copy on the wasm backend. tfjs clones every tensor it saves for the backward
 * pass (43 times per step of the seed MLP, a [784, 1024] kernel among them) and the stock wasm
 * Identity copies the data each time. Tensors are immutable, so sharing the data with a reference
 * count — as the stock Reshape and the cpu backend's Identity already do — is equivalent.
 */
export function installSharedIdentity(backendName = 'wasm'): void {
  replaceKernel('Identity', backendName, (previous) => (args: KernelArgs) => {
    const x = (args.inputs as unknown as { x: TensorInfo }).x;
    if (x.dtype === 'string') return previous(args);
    (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype } as KernelResult;
  });
}
