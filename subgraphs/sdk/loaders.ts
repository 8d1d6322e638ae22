import DataLoader from "dataloader";

/** Per-request DataLoaders: one batch query per field and arguments, however many entities a request names. */
export type RequestLoaders = Map<string, DataLoader<unknown, unknown>>;

/**
 * The request's loader for `name` (include any arguments that change the
 * query in it), made on first use. `batch` gets every key asked for in one
 * tick and returns one value per key, in order.
 */
export function requestLoader<K, V>(
  loaders: RequestLoaders,
  name: string,
  batch: (keys: readonly K[]) => Promise<V[]>,
): DataLoader<K, V> {
  let loader = loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch);
    loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/** Groups rows by a key, in the order of `keys`: what a list-per-key batch returns. */
export function groupBy<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/** One enterprise's rows as each owner's file, owners in the order their first row came. */
export function filesByOwner<R extends { ownerId: string }>(
  uscc: string,
  rows: readonly R[],
): { ownerId: string; uscc: string; records: R[] }[] {
  const owners = [...new Set(rows.map((r) => r.ownerId))];
  return groupBy(owners, [...rows], (r) => r.ownerId).map((records, i) => ({
    ownerId: owners[i] as string,
    uscc,
    records,
  }));
}
