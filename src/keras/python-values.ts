import type { SyntaxNode } from '@lezer/common';

/** A constructor call in a script, e.g. Dense(64, activation='relu'), its callee resolved through the imports. */
export interface PyCall {
  kind: 'call';
  /** The callee as written, through the imports: `tf.keras.layers.Dense` → tensorflow.keras.layers.Dense. */
  callee: string;
  args: PyValue[];
  kwargs: Record<string, PyValue>;
  line: number;
}

/** Something the script computes at run time (a slice of its data, a function's result): kept as its text. */
interface PyUnknown {
  kind: 'unknown';
  text: string;
  line: number;
}

export type PyValue = number | string | boolean | null | PyValue[] | { [key: string]: PyValue } | PyCall | PyUnknown;

export const isCall = (v: PyValue | undefined): v is PyCall => typeof v === 'object' && v !== null && !Array.isArray(v) && (v as PyCall).kind === 'call';
export const isUnknown = (v: PyValue | undefined): v is PyUnknown =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as PyUnknown).kind === 'unknown';

/** What evaluation sees: the source, module-level names bound so far, and the imports' aliases. */
export interface Scope {
  source: string;
  names: Map<string, PyValue>;
  /** `np` → numpy, `Dense` → keras.layers.Dense, `layers` → tensorflow.keras.layers. */
  aliases: Map<string, string>;
  lineOf(pos: number): number;
}

/**
 * A Python expression's value as far as it can be known without running the script: literals,
 * tuples, lists and dicts, names bound to such values at module level (N_HIDDEN = 200), arithmetic
 * on numbers (+ − * / // % **, unary −), and constructor calls (kept as calls, their arguments
 * evaluated). Anything else — a slice of the data, an attribute of a variable, a function's result —
 * is `unknown`, with its text, for the importer to report.
 * @example evaluate(parse('2 * N'), {names: {N: 100}}) === 200
 */
export function evaluate(node: SyntaxNode, scope: Scope): PyValue {
  const text = scope.source.slice(node.from, node.to);
  const unknown = (): PyUnknown => ({ kind: 'unknown', text, line: scope.lineOf(node.from) });
  switch (node.name) {
    case 'Number':
      return parseNumber(text) ?? unknown();
    case 'String':
      return parseString(text) ?? unknown();
    case 'Boolean':
    case '@specialize':
      return text === 'True' ? true : text === 'False' ? false : unknown();
    case 'None':
      return null;
    case 'VariableName': {
      if (text === 'True' || text === 'False') return text === 'True';
      if (text === 'None') return null;
      // A name bound to something computed stands for itself: the importer follows data by name.
      const bound = scope.names.get(text);
      return bound !== undefined && !isUnknown(bound) ? bound : unknown();
    }
    case 'ParenthesizedExpression': {
      const inner = children(node).find((c) => !'()'.includes(c.name));
      return inner ? evaluate(inner, scope) : unknown();
    }
    case 'TupleExpression':
    case 'ArrayExpression':
      return children(node)
        .filter((c) => !['(', ')', '[', ']', ','].includes(c.name))
        .map((c) => evaluate(c, scope));
    case 'DictionaryExpression':
      return dictionary(node, scope) ?? unknown();
    case 'UnaryExpression': {
      const [op, operand] = children(node);
      const v = operand ? evaluate(operand, scope) : undefined;
      if (typeof v !== 'number') return unknown();
      const sign = scope.source.slice(op!.from, op!.to);
      return sign === '-' ? -v : sign === '+' ? v : unknown();
    }
    case 'BinaryExpression':
      return arithmetic(node, scope) ?? unknown();
    case 'CallExpression':
      return call(node, scope) ?? unknown();
    default:
      return unknown();
  }
}

/**
 * The dotted name of a callee or attribute chain (`keras.layers.Dense`, `model.add`), its first
 * name replaced by what the imports bind it to; undefined for anything that is not a plain chain.
 */
export function dottedName(node: SyntaxNode, scope: Scope): string | undefined {
  if (node.name === 'VariableName') {
    const name = scope.source.slice(node.from, node.to);
    return scope.aliases.get(name) ?? name;
  }
  if (node.name !== 'MemberExpression') return undefined;
  const parts = children(node);
  const object = parts[0];
  const property = parts.find((p) => p.name === 'PropertyName');
  if (!object || !property || parts.some((p) => p.name === '[')) return undefined;
  const base = dottedName(object, scope);
  return base === undefined ? undefined : `${base}.${scope.source.slice(property.from, property.to)}`;
}

/** The children of a node (its named and punctuation nodes), in order. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function call(node: SyntaxNode, scope: Scope): PyCall | undefined {
  const [callee, argList] = children(node);
  if (!callee || !argList || argList.name !== 'ArgList') return undefined;
  const name = dottedName(callee, scope);
  if (name === undefined) return undefined;
  const { args, kwargs } = readArgs(argList, scope);
  return { kind: 'call', callee: name, args, kwargs, line: scope.lineOf(node.from) };
}

/** Positional and keyword arguments of an ArgList (`*args` and `**kwargs` become unknown values). */
export function readArgs(argList: SyntaxNode, scope: Scope): { args: PyValue[]; kwargs: Record<string, PyValue> } {
  const parts = children(argList).filter((c) => !['(', ')', ','].includes(c.name));
  const args: PyValue[] = [];
  const kwargs: Record<string, PyValue> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.name === 'VariableName' && parts[i + 1]?.name === 'AssignOp' && parts[i + 2]) {
      kwargs[scope.source.slice(part.from, part.to)] = evaluate(parts[i + 2]!, scope);
      i += 2;
    } else if (part.name === '*' || part.name === '**' || part.name === 'ArithOp') {
      args.push({ kind: 'unknown', text: scope.source.slice(part.from, parts[i + 1]?.to ?? part.to), line: scope.lineOf(part.from) });
      i += 1;
    } else args.push(evaluate(part, scope));
  }
  return { args, kwargs };
}

function dictionary(node: SyntaxNode, scope: Scope): Record<string, PyValue> | undefined {
  const parts = children(node).filter((c) => !['{', '}', ','].includes(c.name));
  const out: Record<string, PyValue> = {};
  for (let i = 0; i + 2 < parts.length + 1; i += 3) {
    const [key, colon, value] = [parts[i], parts[i + 1], parts[i + 2]];
    if (!key || !colon || colon.name !== ':' || !value) return undefined;
    const k = evaluate(key, scope);
    if (typeof k !== 'string' && typeof k !== 'number') return undefined;
    out[String(k)] = evaluate(value, scope);
  }
  return out;
}

function arithmetic(node: SyntaxNode, scope: Scope): number | string | undefined {
  const [left, op, right] = children(node);
  if (!left || !op || !right) return undefined;
  const a = evaluate(left, scope);
  const b = evaluate(right, scope);
  const sign = scope.source.slice(op.from, op.to);
  if (typeof a === 'string' && typeof b === 'string' && sign === '+') return a + b;
  if (typeof a !== 'number' || typeof b !== 'number') return undefined;
  const value = numeric(a, b, sign);
  // 0.1 * 3 is 0.30000000000000004 in Python too; the spec says 0.3 (15 significant digits).
  return value === undefined || !Number.isFinite(value) ? value : Number(value.toPrecision(15));
}

function numeric(a: number, b: number, sign: string): number | undefined {
  switch (sign) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '//':
      return b === 0 ? undefined : Math.floor(a / b);
    case '%':
      return b === 0 ? undefined : a - b * Math.floor(a / b);
    case '**':
      return a ** b;
    default:
      return undefined;
  }
}

/** Python's number literals: 1e-3, 0.5, 1_000, 0x10 (imaginary ones are not numbers here). */
function parseNumber(text: string): number | undefined {
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return undefined;
  const n = /^0[xob]/i.test(clean) ? Number(clean.toLowerCase()) : Number(clean.replace(/[lL]$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** A string literal's text (quotes, raw and byte prefixes, the common escapes); f-strings are not values. */
function parseString(text: string): string | undefined {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(text);
  if (!m || /[fF]/.test(m[1]!)) return undefined;
  const body = m[3]!;
  if (/r/i.test(m[1]!)) return body;
  return body.replace(/\\(n|t|r|\\|'|"|\n)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' })[c]!);
}
