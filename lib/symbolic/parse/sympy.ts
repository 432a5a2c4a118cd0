/**
 * Expressions written in sympy's syntax (`**` for powers, `pi`), as the shared symgrad fixtures
 * store their truths, in the contract's grammar.
 *
 * @module
 */

/** `text` in the contract's grammar: `**` → `^`, `pi` → its float64 value. */
export function fromSympy(text: string): string {
  return text.replaceAll("**", "^").replace(/\bpi\b/g, String(Math.PI));
}
