/** What one run of the minute's rollup did. */
export type RollupOutcome =
  | { outcome: 'written'; minute: string; rows: number }
  | { outcome: 'no-data' | 'provider-error'; minute: string; rows: 0; reason: string };

/** Rollups are taken over one minute. */
export const ROLLUP_WINDOW_SECONDS = 60;

/** Daily partitions created ahead of today, so a write never waits for DDL at midnight. */
export const PARTITIONS_AHEAD_DAYS = 2;
