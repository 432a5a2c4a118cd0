/**
 * Parser of the symgrad CLI contract's expression grammar (`../shared/fixtures/symgrad/CONTRACT.md`):
 * unsigned numbers (`2`, `0.5`, `.5`, `1.5e-3`), variables `x1`..`xp`, binary `+ - * / ^`, unary
 * minus, functions `sin cos exp log sqrt abs` (always with parentheses) and parentheses.
 * Precedence: `^` (right-associative; its exponent may start with a unary minus: `x1^-2`) binds
 * tighter than unary minus (`-x1^2` = −(x1²)), which binds tighter than `* /`, then `+ -`. Nothing
 * else (`**`, `pi`, `tan`, implicit products) is accepted.
 *
 * A unary minus applied directly to a number literal gives a negative constant (`-2` is the constant
 * −2); applied to anything else it gives a `neg` node.
 *
 * @module
 */

import { binary, constant, type Expr, unary, variable } from "../core/expression.ts";

/** A syntax error in an expression; `position` is the 0-based character offset. */
export class ExpressionSyntaxError extends Error {
  /** Offset of the offending character in the text. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = "ExpressionSyntaxError";
    this.position = position;
  }
}

type Token =
  | { kind: "num"; text: string; pos: number }
  | { kind: "name"; text: string; pos: number }
  | { kind: "op"; text: string; pos: number }
  | { kind: "end"; text: ""; pos: number };

const TOKEN = /\s*(?:((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z_0-9]*)|([-+*/^()]))/y;
const FUNCTIONS = ["sin", "cos", "exp", "log", "sqrt", "abs"] as const;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const end = text.trimEnd().length;
  while (pos < end) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (m === null || TOKEN.lastIndex === pos) {
      const at = pos + (text.slice(pos).length - text.slice(pos).trimStart().length);
      const hint = text.startsWith("**", at) ? " (use ^ for powers)" : "";
      throw new ExpressionSyntaxError(`unexpected character "${text[at]}" at ${at}${hint}`, at);
    }
    const start = TOKEN.lastIndex - m[0].trimStart().length;
    if (m[1] !== undefined) tokens.push({ kind: "num", text: m[1], pos: start });
    else if (m[2] !== undefined) tokens.push({ kind: "name", text: m[2], pos: start });
    else {
      if (m[3] === "*" && text[TOKEN.lastIndex] === "*") {
        throw new ExpressionSyntaxError(`"**" at ${start} is not in the grammar; use ^ for powers`, start);
      }
      tokens.push({ kind: "op", text: m[3], pos: start });
    }
    pos = TOKEN.lastIndex;
  }
  tokens.push({ kind: "end", text: "", pos: end });
  return tokens;
}

/**
 * Parses an expression of the contract grammar. `inputs` (p), when given, bounds the variables to
 * x1..xp. Throws {@link ExpressionSyntaxError} naming the position.
 *
 * @example
 * ```ts
 * const e = parseExpression("x1^2 + 0.85*sin(x2 + 1.08*x3)", 3);
 * ```
 */
export function parseExpression(text: string, inputs?: number): Expr {
  if (typeof text !== "string") throw new ExpressionSyntaxError("expected a string", 0);
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (t: Token, op: string) => t.kind === "op" && t.text === op;
  const expect = (op: string) => {
    const t = tokens[i];
    if (!isOp(t, op)) {
      throw new ExpressionSyntaxError(`expected "${op}" at ${t.pos}, got ${describe(t)}`, t.pos);
    }
    i++;
  };

  const sum = (): Expr => {
    let e = product();
    while (isOp(peek(), "+") || isOp(peek(), "-")) {
      const op = tokens[i++].text as "+" | "-";
      e = binary(op, e, product());
    }
    return e;
  };
  const product = (): Expr => {
    let e = negation();
    while (isOp(peek(), "*") || isOp(peek(), "/")) {
      const op = tokens[i++].text as "*" | "/";
      e = binary(op, e, negation());
    }
    return e;
  };
  const negation = (): Expr => {
    if (isOp(peek(), "-")) {
      i++;
      const literal = peek().kind === "num" && !isOp(tokens[i + 1], "^");
      const operand = negation();
      if (literal && operand.type === "const") return constant(-operand.value);
      return unary("neg", operand);
    }
    return power();
  };
  const power = (): Expr => {
    const base = atom();
    if (isOp(peek(), "^")) {
      i++;
      return binary("^", base, negation());
    }
    return base;
  };
  const atom = (): Expr => {
    const t = tokens[i++];
    if (t.kind === "num") return constant(Number(t.text));
    if (t.kind === "name") {
      const m = /^x([1-9]\d*)$/.exec(t.text);
      if (m) {
        const k = Number(m[1]);
        if (inputs !== undefined && k > inputs) {
          throw new ExpressionSyntaxError(
            `variable ${t.text} at ${t.pos} but there are ${inputs} inputs`,
            t.pos,
          );
        }
        return variable(k - 1);
      }
      if ((FUNCTIONS as readonly string[]).includes(t.text)) {
        expect("(");
        const arg = sum();
        expect(")");
        return unary(t.text as typeof FUNCTIONS[number], arg);
      }
      throw new ExpressionSyntaxError(
        `unknown name "${t.text}" at ${t.pos}; use x1..xp or ${FUNCTIONS.join(", ")}`,
        t.pos,
      );
    }
    if (isOp(t, "(")) {
      const e = sum();
      expect(")");
      return e;
    }
    throw new ExpressionSyntaxError(`unexpected ${describe(t)} at ${t.pos}`, t.pos);
  };

  const e = sum();
  if (peek().kind !== "end") {
    throw new ExpressionSyntaxError(
      `unexpected ${describe(peek())} at ${peek().pos} after a complete expression`,
      peek().pos,
    );
  }
  return e;
}

function describe(t: Token): string {
  return t.kind === "end" ? "the end" : `"${t.text}"`;
}
