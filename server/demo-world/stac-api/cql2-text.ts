/**
 * A cql2-text parser for the Basic CQL2 subset the demo STAC API filters with, producing the same cql2-json
 * tree a client would POST, so both encodings go through one evaluator and give identical results.
 *
 * Grammar (keywords case-insensitive):
 * ```
 * expr      := and (OR and)*
 * and       := not (AND not)*
 * not       := NOT not | '(' expr ')' | predicate
 * predicate := scalar ( ('=' | '<>' | '!=' | '<' | '<=' | '>' | '>=') scalar
 *                     | [NOT] BETWEEN scalar AND scalar
 *                     | IS [NOT] NULL
 *                     | [NOT] IN '(' scalar (',' scalar)* ')'
 *                     | [NOT] LIKE scalar )
 *            | TRUE | FALSE
 * scalar    := number | 'string' | TRUE | FALSE | property | "quoted property"
 *            | TIMESTAMP('…') | DATE('…')
 * ```
 * Example: `eo:cloud_cover <= 50 AND eo:cloud_cover > 0`.
 */
import { badRequest } from './errors';
import type { Cql2Expression, Cql2Operand } from './cql2-types';

type TokenKind = 'number' | 'string' | 'ident' | 'qident' | 'op' | 'lparen' | 'rparen' | 'comma' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  value?: number | string;
  pos: number;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IS', 'NULL', 'IN', 'LIKE', 'TRUE', 'FALSE', 'TIMESTAMP', 'DATE']);
const COMPARISON: Readonly<Record<string, string>> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function syntaxError(source: string, pos: number, what: string): Error {
  return badRequest(
    `Invalid cql2-text filter ${JSON.stringify(source)}: ${what} at position ${pos + 1}. ` +
      `Example: eo:cloud_cover <= 50 AND eo:cloud_cover > 0`,
  );
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(rest);
    if (num) {
      tokens.push({ kind: 'number', text: num[0], value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    if (ch === "'") {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= src.length) throw syntaxError(src, i, 'unterminated string');
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += src[j++];
      }
      tokens.push({ kind: 'string', text: src.slice(i, j + 1), value: text, pos: i });
      i = j + 1;
      continue;
    }
    if (ch === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) throw syntaxError(src, i, 'unterminated quoted property name');
      tokens.push({ kind: 'qident', text: src.slice(i, end + 1), value: src.slice(i + 1, end), pos: i });
      i = end + 1;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_:.]*/.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], value: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    const op = /^(<=|>=|<>|!=|=|<|>)/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[0], pos: i });
      i += op[0].length;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', text: ch, pos: i });
      i++;
      continue;
    }
    throw syntaxError(src, i, `unexpected character ${JSON.stringify(ch)}`);
  }
  tokens.push({ kind: 'end', text: 'end of filter', pos: src.length });
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly src: string, private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isKeyword(t: Token, kw: string): boolean {
    return t.kind === 'ident' && t.text.toUpperCase() === kw;
  }

  private acceptKeyword(kw: string): boolean {
    if (this.isKeyword(this.peek(), kw)) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(kind: TokenKind, what: string): Token {
    const t = this.next();
    if (t.kind !== kind) throw this.unexpected(t, what);
    return t;
  }

  private expectKeyword(kw: string): void {
    const t = this.next();
    if (!this.isKeyword(t, kw)) throw this.unexpected(t, kw);
  }

  private unexpected(t: Token, expected: string): Error {
    const found = t.kind === 'end' ? 'end of filter' : JSON.stringify(t.text);
    return syntaxError(this.src, t.pos, `expected ${expected} but found ${found}`);
  }

  parse(): Cql2Expression {
    const e = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw this.unexpected(t, 'AND, OR or the end of the filter');
    return e;
  }

  private or(): Cql2Expression {
    const args = [this.and()];
    while (this.acceptKeyword('OR')) args.push(this.and());
    return args.length === 1 ? args[0] : { op: 'or', args };
  }

  private and(): Cql2Expression {
    const args = [this.not()];
    while (this.acceptKeyword('AND')) args.push(this.not());
    return args.length === 1 ? args[0] : { op: 'and', args };
  }

  private not(): Cql2Expression {
    if (this.acceptKeyword('NOT')) return { op: 'not', args: [this.not()] };
    if (this.peek().kind === 'lparen') {
      this.next();
      const e = this.or();
      this.expect('rparen', "')'");
      return e;
    }
    return this.predicate();
  }

  private predicate(): Cql2Expression {
    const startTok = this.peek();
    const left = this.scalar();
    const t = this.peek();
    if (t.kind === 'op') {
      this.next();
      return { op: COMPARISON[t.text], args: [left, this.scalar()] };
    }
    if (this.acceptKeyword('IS')) {
      const negate = this.acceptKeyword('NOT');
      this.expectKeyword('NULL');
      const e: Cql2Expression = { op: 'isNull', args: [left] };
      return negate ? { op: 'not', args: [e] } : e;
    }
    const negate = this.acceptKeyword('NOT');
    let e: Cql2Expression | null = null;
    if (this.acceptKeyword('BETWEEN')) {
      const low = this.scalar();
      this.expectKeyword('AND');
      e = { op: 'between', args: [left, low, this.scalar()] };
    } else if (this.acceptKeyword('IN')) {
      this.expect('lparen', "'(' after IN");
      const list = [this.scalar()];
      while (this.peek().kind === 'comma') {
        this.next();
        list.push(this.scalar());
      }
      this.expect('rparen', "')'");
      e = { op: 'in', args: [left, list] };
    } else if (this.acceptKeyword('LIKE')) {
      e = { op: 'like', args: [left, this.scalar()] };
    }
    if (e) return negate ? { op: 'not', args: [e] } : e;
    if (negate) throw this.unexpected(this.peek(), 'BETWEEN, IN or LIKE after NOT');
    if (typeof left === 'boolean') return left;
    throw this.unexpected(this.peek(), `a comparison after ${JSON.stringify(startTok.text)}`);
  }

  private scalar(): Cql2Operand {
    const t = this.next();
    switch (t.kind) {
      case 'number':
      case 'string':
        return t.value!;
      case 'qident':
        return { property: String(t.value) };
      case 'ident': {
        const kw = t.text.toUpperCase();
        if (kw === 'TRUE') return true;
        if (kw === 'FALSE') return false;
        if (kw === 'TIMESTAMP' || kw === 'DATE') {
          this.expect('lparen', `'(' after ${kw}`);
          const s = this.expect('string', 'a quoted date-time');
          this.expect('rparen', "')'");
          return kw === 'DATE' ? { date: String(s.value) } : { timestamp: String(s.value) };
        }
        if (KEYWORDS.has(kw)) throw this.unexpected(t, 'a property name or a value');
        return { property: t.text };
      }
      default:
        throw this.unexpected(t, 'a property name or a value');
    }
  }
}

/**
 * Parses a cql2-text filter into the equivalent cql2-json tree.
 *
 * @throws GeoCropError `STAC_BAD_PARAMETER` (400) naming the position and the unexpected token.
 * @example
 * parseCql2Text('eo:cloud_cover <= 50');
 * // { op: '<=', args: [{ property: 'eo:cloud_cover' }, 50] }
 */
export function parseCql2Text(source: string): Cql2Expression {
  if (source.trim() === '') throw badRequest('Invalid cql2-text filter: it is empty');
  return new Parser(source, tokenize(source)).parse();
}
