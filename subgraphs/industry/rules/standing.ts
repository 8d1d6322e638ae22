import { filesByOwner } from "../../sdk/loaders.ts";
import { isoDate } from "../../sdk/validation.ts";

/**
 * The industry bodies' part of a bank's standing check, as plain rules: what
 * one body's trading-performance records say in numbers, and what in them
 * speaks against the enterprise.
 */

/** Paying less than this share on time, or fulfilling less than this share of contracts, is a concern. */
const PUNCTUALITY_FLOOR = 0.9;
const FULFILMENT_FLOOR = 0.9;

export interface TradeFacts {
  kind: string;
  onTimeRatio: number | null;
  periodStart: Date;
  periodEnd: Date;
  fulfilled: number | null;
  due: number | null;
  mediationOutcome: string | null;
}

/** One body's records in force about one enterprise, newest period first. */
export interface TradingFileFacts<R extends TradeFacts = TradeFacts> {
  ownerId: string;
  uscc: string;
  records: R[];
}

export const latestPayment = <R extends TradeFacts>(f: TradingFileFacts<R>): R | null =>
  f.records.find((r) => r.kind === "PAYMENT") ?? null;

export function contracts(f: TradingFileFacts): { fulfilled: number; due: number } | null {
  const c = f.records.filter((r) => r.kind === "CONTRACT");
  return c.length
    ? { fulfilled: c.reduce((n, r) => n + (r.fulfilled ?? 0), 0), due: c.reduce((n, r) => n + (r.due ?? 0), 0) }
    : null;
}

export const disputes = (f: TradingFileFacts, outcome: "PENDING" | "NOT_SETTLED"): number =>
  f.records.filter((r) => r.kind === "DISPUTE" && r.mediationOutcome === outcome).length;

/** Each body's file on the enterprise, from its records in force (newest period first). */
export function tradingFiles<R extends TradeFacts & { ownerId: string }>(
  uscc: string,
  records: readonly R[],
): TradingFileFacts<R>[] {
  return filesByOwner(uscc, records);
}

/** What one body's file says against the enterprise (empty: nothing adverse). */
export function tradingConcerns(f: TradingFileFacts): string[] {
  const concerns: string[] = [];
  const payment = latestPayment(f);
  if (payment?.onTimeRatio != null && payment.onTimeRatio < PUNCTUALITY_FLOOR)
    concerns.push(
      `Paid ${Math.round(payment.onTimeRatio * 100)}% on time in ${isoDate(payment.periodStart)}–${isoDate(payment.periodEnd)} (industry body ${f.ownerId}).`,
    );
  const c = contracts(f);
  if (c && c.due > 0 && c.fulfilled / c.due < FULFILMENT_FLOOR)
    concerns.push(`Fulfilled ${c.fulfilled} of ${c.due} contracts due (industry body ${f.ownerId}).`);
  const pending = disputes(f, "PENDING");
  const unsettled = disputes(f, "NOT_SETTLED");
  if (pending) concerns.push(`${pending} trade dispute(s) in mediation (industry body ${f.ownerId}).`);
  if (unsettled)
    concerns.push(`${unsettled} trade dispute(s) mediation could not settle (industry body ${f.ownerId}).`);
  return concerns;
}
