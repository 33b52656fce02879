/**
 * BullMQ is an optional peer dependency (only grids run over machines need it): loaded on first use,
 * with a message naming the packages to install when it is missing.
 */
export type Bullmq = typeof import('bullmq');

let loaded: Promise<Bullmq> | undefined;

export function loadBullmq(): Promise<Bullmq> {
  loaded ??= import('bullmq').catch((e: unknown) => {
    loaded = undefined;
    const missing = (e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (module|package) 'bullmq'/.test(String(e));
    throw new Error(missing
      ? 'the grid queue needs the optional packages bullmq and ioredis: npm install bullmq@6 ioredis@5'
      : `cannot load bullmq: ${(e as Error).message}`);
  });
  return loaded;
}
