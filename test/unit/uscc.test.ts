import { describe, expect, it } from "vitest";
import {
  describeUsccProblem,
  findUsccProblem,
  normalizeUscc,
  USCC_ALPHABET,
  usccCheckCharacter,
  withUsccCheckCharacter,
} from "../../protocol/uscc.ts";

describe("Unified Social Credit Code (GB 32100-2015)", () => {
  it("when given published codes, then they are valid", () => {
    // The first is the worked example of the standard itself.
    for (const code of ["91350100M000100Y43", "91110000802100433B", "91440300708461136T"]) {
      expect(findUsccProblem(code)).toBeNull();
    }
  });

  it("when the weighted sum is a multiple of 31, then the check character is 0", () => {
    // Σ wᵢ·cᵢ for 17 zeros is 0, so (31 − 0) mod 31 = 0, written '0'.
    expect(usccCheckCharacter("00000000000000000")).toBe("0");
  });

  it("when the weighted sum leaves 1, then the check character is the last of the alphabet", () => {
    // Only c₁ = 1 (weight 1): sum 1, check (31 − 1) mod 31 = 30 → 'Y'.
    expect(usccCheckCharacter("10000000000000000")).toBe("Y");
    // c₂ = 1 has weight 3: check 28 → 'W'.
    expect(usccCheckCharacter("01000000000000000")).toBe(USCC_ALPHABET.charAt(28));
  });

  it("when a code has the wrong length, then the problem names both lengths", () => {
    const problem = findUsccProblem("91350100M000100Y4");
    expect(problem).toEqual({ kind: "length", length: 17 });
    expect(describeUsccProblem(problem as NonNullable<typeof problem>)).toMatch(/18 characters; this one has 17/);
  });

  it.each([
    ["I", 9],
    ["O", 1],
    ["S", 18],
    ["V", 5],
    ["Z", 12],
    ["-", 3],
  ])("when the letter %s stands at position %i, then it is named as not allowed", (bad, position) => {
    const code = `${"91350100M000100Y43".slice(0, position - 1)}${bad}${"91350100M000100Y43".slice(position)}`;
    const problem = findUsccProblem(code);
    expect(problem).toEqual({ kind: "character", position, character: bad });
    expect(describeUsccProblem(problem as NonNullable<typeof problem>)).toContain(`at position ${position}`);
  });

  it("when only the check character is wrong, then the expected one is given", () => {
    const problem = findUsccProblem("91350100M000100Y44");
    expect(problem).toEqual({ kind: "check", expected: "3", actual: "4" });
    expect(describeUsccProblem(problem as NonNullable<typeof problem>)).toMatch(/should be "3"/);
  });

  it("when any one character of a valid code changes, then the check fails", () => {
    const valid = "91350100M000100Y43";
    for (let i = 0; i < 17; i++) {
      for (const c of USCC_ALPHABET) {
        if (c === valid[i]) continue;
        const changed = valid.slice(0, i) + c + valid.slice(i + 1);
        expect(findUsccProblem(changed)?.kind).toBe("check");
      }
    }
  });

  it("when typed in lower case with spaces around, then it normalises to the canonical code", () => {
    expect(normalizeUscc("  91350100m000100y43 ")).toBe("91350100M000100Y43");
    expect(withUsccCheckCharacter("91350100M000100Y4")).toBe("91350100M000100Y43");
  });
});
