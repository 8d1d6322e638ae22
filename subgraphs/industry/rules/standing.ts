import { type Finding, finding } from "../../sdk/findings.ts";
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

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

/** What one body's file says about the enterprise (empty: nothing to say). */
export function tradingFindings(f: TradingFileFacts): Finding[] {
  const findings: Finding[] = [];
  const payment = latestPayment(f);
  if (payment?.onTimeRatio != null) {
    const period = `${isoDate(payment.periodStart)}–${isoDate(payment.periodEnd)}`;
    const late = payment.onTimeRatio < PUNCTUALITY_FLOOR;
    findings.push(
      finding(late ? "LATE_PAYMENTS" : "ON_TIME_PAYMENTS", late, {
        value: payment.onTimeRatio,
        since: payment.periodEnd,
        message: `${period} 按时付款比例 ${percent(payment.onTimeRatio)}`,
        messageEn: `Paid ${percent(payment.onTimeRatio)} on time in ${period}.`,
      }),
    );
  }
  const c = contracts(f);
  if (c && c.due > 0 && c.fulfilled / c.due < FULFILMENT_FLOOR)
    findings.push(
      finding("UNFULFILLED_CONTRACTS", true, {
        value: c.fulfilled / c.due,
        label: `${c.fulfilled}/${c.due}`,
        message: `到期合同 ${c.due} 份，履约 ${c.fulfilled} 份`,
        messageEn: `Fulfilled ${c.fulfilled} of ${c.due} contracts due.`,
      }),
    );
  const pending = disputes(f, "PENDING");
  const unsettled = disputes(f, "NOT_SETTLED");
  if (pending)
    findings.push(
      finding("TRADE_DISPUTE", true, {
        value: pending,
        message: `${pending} 起贸易纠纷正在调解`,
        messageEn: `${pending} trade dispute(s) in mediation.`,
      }),
    );
  if (unsettled)
    findings.push(
      finding("UNSETTLED_DISPUTE", true, {
        value: unsettled,
        message: `${unsettled} 起贸易纠纷调解未果`,
        messageEn: `${unsettled} trade dispute(s) mediation could not settle.`,
      }),
    );
  return findings;
}
