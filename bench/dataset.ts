import { USCC_ALPHABET, withUsccCheckCharacter } from "../protocol/uscc.ts";

/**
 * The benchmark's data set, named by its size. Everything about it is a pure
 * function of the index, so the load generator can name a different enterprise
 * in every request without reading anything back from the databases.
 */
export interface DatasetSize {
  enterprises: number;
  /** Credit records in the associations' files, spread over the enterprises. */
  records: number;
}

/** The i-th enterprise's Unified Social Credit Code (0 ≤ i < 31⁹), valid check character included. */
export function usccAt(i: number): string {
  let body = "";
  let n = i;
  for (let d = 0; d < 9; d++) {
    body = USCC_ALPHABET.charAt(n % 31) + body;
    n = Math.floor(n / 31);
  }
  return withUsccCheckCharacter(`91330000${body}`);
}

export const enterpriseName = (i: number) => `基准企业${i}号有限公司`;

/** Databases of one data set: one per owner, named by the size so a seeded set is found again. */
export function databaseNames(size: DatasetSize, owners: readonly string[]): Record<string, string> {
  return Object.fromEntries(owners.map((o) => [o, `chbench_e${size.enterprises}_r${size.records}_${o}`]));
}
