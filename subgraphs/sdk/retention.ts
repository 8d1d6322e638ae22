/** A negative record stops being shared five years after the behaviour ended (the seed policy's rule, for every owner). */
export const RETENTION_YEARS = 5;

export function retentionCutoff(now: Date): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - RETENTION_YEARS);
  return cutoff;
}

/** Whether a negative record still counts against the enterprise: its behaviour goes on, or ended within the retention period. */
export function negativeInForce(record: { endedOn: Date | null }, now: Date): boolean {
  return record.endedOn === null || record.endedOn > retentionCutoff(now);
}
