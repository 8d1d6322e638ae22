/**
 * The grade rules live in rules/grades.ts and the sanction levels in
 * rules/sanctions.ts; this module keeps the names bench/seed.ts and
 * test/grades.test.ts import.
 */
export * from "./rules/grades.ts";
export { isSerious, SANCTION_LEVELS, type SanctionLevel } from "./rules/sanctions.ts";
