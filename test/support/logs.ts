import { vi } from "vitest";

/**
 * Keeps what the in-process hub logs while a deliberate fault runs (a
 * subgraph stopped, an audit table that refuses writes, a config that does
 * not compose): the test reads the lines and checks what they say, and the
 * run's output shows no error a reader would take for a real one.
 */
export function captureLogs(): { text(): string; restore(): void } {
  const lines: string[] = [];
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  const consoleError = vi.spyOn(console, "error").mockImplementation((...args) => {
    lines.push(`${args.map(String).join(" ")}\n`);
  });
  return {
    text: () => lines.join(""),
    restore: () => {
      stderr.mockRestore();
      consoleError.mockRestore();
    },
  };
}
