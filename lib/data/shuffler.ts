/**
 * The only thing the data layer needs from a random source: an in-place shuffle that returns its
 * argument. The project's seeded `Rng` (lib/tensor) has exactly this method; it is taken as a
 * structural type so that `lib/data` imports nothing else of ours.
 */
export interface Shuffler {
  /** Shuffles `items` in place and returns it. */
  shuffle<T>(items: T[]): T[];
}
