import type * as Heavy from './heavy';

export type HeavyApi = typeof Heavy;

let loaded: HeavyApi | undefined;

/**
 * The core, loaded the first time a feature needs it. In the Node extension host it is dist/heavy.js beside this
 * bundle; the web build resolves the same require to the bundled module (esbuild), where it is initialised lazily too.
 */
export function heavy(): HeavyApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./heavy.js') as HeavyApi;
  return loaded;
}
