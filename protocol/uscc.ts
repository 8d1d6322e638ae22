/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters from a 31-character alphabet (digits and upper-case letters
 * without I, O, S, V, Z); the 18th is a check character over the first 17.
 */

export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
export const USCC_LENGTH = 18;

/** wᵢ = 3^(i−1) mod 31 for i = 1..17. */
const WEIGHTS = Array.from({ length: USCC_LENGTH - 1 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

export type UsccProblem =
  | { kind: "length"; length: number }
  | { kind: "character"; position: number; character: string }
  | { kind: "check"; expected: string; actual: string };

/** The check character for the first 17 characters (which must be valid). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < USCC_LENGTH - 1; i++) {
    sum += USCC_ALPHABET.indexOf(first17.charAt(i)) * (WEIGHTS[i] as number);
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Upper-cases and trims, as people type codes in lower case or with spaces around. */
export function normalizeUscc(input: string): string {
  return input.trim().toUpperCase();
}

/** The first thing wrong with a (normalised) code, or null when it is valid. */
export function findUsccProblem(code: string): UsccProblem | null {
  const chars = [...code];
  if (chars.length !== USCC_LENGTH) return { kind: "length", length: chars.length };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (!USCC_ALPHABET.includes(c)) return { kind: "character", position: i + 1, character: c };
  }
  const expected = usccCheckCharacter(code.slice(0, USCC_LENGTH - 1));
  const actual = code.charAt(USCC_LENGTH - 1);
  return expected === actual ? null : { kind: "check", expected, actual };
}

export function describeUsccProblem(problem: UsccProblem): string {
  switch (problem.kind) {
    case "length":
      return `A Unified Social Credit Code has ${USCC_LENGTH} characters; this one has ${problem.length}.`;
    case "character":
      return `Character ${JSON.stringify(problem.character)} at position ${problem.position} is not allowed in a Unified Social Credit Code (allowed: 0-9 and A-H J-N P Q R T U W X Y).`;
    case "check":
      return `The check character (position 18) should be ${JSON.stringify(problem.expected)} for this code, not ${JSON.stringify(problem.actual)}.`;
  }
}

/** Completes 17 valid characters into a full code; used by demo data and tests. */
export function withUsccCheckCharacter(first17: string): string {
  return first17 + usccCheckCharacter(first17);
}
