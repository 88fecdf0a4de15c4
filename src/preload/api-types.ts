import { type PreloadApi } from '@shared/contract/ipc-channels';

/*
 * What the preload (src/preload/index.ts) puts on `window`, for renderer code that wants the
 * global typed. `api` is absent in a plain browser (`flowbench serve`), hence optional.
 */
export type { PreloadApi };

declare global {
  interface Window {
    readonly api?: PreloadApi;
  }
}
