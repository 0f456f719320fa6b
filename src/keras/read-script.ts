import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import { children, dottedName, evaluate, isCall, isUnknown, readArgs, type PyCall, type PyValue, type Scope } from './python-values.js';

/** What a Keras training script says, statically: the model, how it compiles and fits, where its data comes from. */
export interface KerasScript {
  /** The layers in order (Sequential's add calls or list, or a functional chain), each its constructor call. */
  layers: PyValue[];
  modelLine?: number;
  compile?: PyCall;
  fit?: PyCall;
  /** keras.datasets.<name>.load_data() calls, with the names their results are bound to. */
  datasets: Array<{ name: string; line: number; bound: string[] }>;
  /** Names bound to data derived from others (a slice, a reshape, a division), with the slice's end where there is one. */
  derived: Map<string, { from: string; stop?: number; line: number }>;
  /** Lines that load data nnlab cannot follow (read_csv, np.load, flow_from_directory…). */
  loads: Array<{ line: number; text: string }>;
  /** Names bound to values the mapping may need (callbacks, ImageDataGenerator, optimizers). */
  names: Map<string, PyValue>;
  /** Statements that do not set up training, and those that do but could not be read. */
  skipped: Array<{ line: number; text: string; why: string }>;
  /** Where the model as read is not the script's: branches merged into one, layers added in a loop. */
  modelProblems: Array<{ line: number; what: string; why: string }>;
  /** Assignments that rescale data by a constant (`x / 255`, `y / 100000`): names and text. */
  rescales: Array<{ line: number; names: string[]; text: string }>;
  /** The first line Python would refuse (a syntax error), where there is one. */
  syntaxError?: number;
}

/** Calls that read data from a file or a generator nnlab cannot reproduce. */
const DATA_LOADERS =
  /(^|\.)(read_csv|read_table|read_parquet|loadtxt|genfromtxt|load|fromfile|flow_from_directory|flow_from_dataframe|image_dataset_from_directory|text_dataset_from_directory|load_iris|load_digits|fetch_\w+|open)$/;
/** Calls that report on or use a model after training: they change nothing nnlab compares. */
const AFTER_TRAINING =
  /(^|\.)(summary|evaluate|predict|predict_classes|save|save_weights|load_weights|plot|show|print|savefig|figure|subplot|legend|xlabel|ylabel|title|plot_model|to_json|get_weights|set_weights)$/;

/**
 * Read a Keras training script with a Python parser, never running it: imports (and their
 * aliases), module-level constants, the model (Sequential with add() or a list, or a functional
 * chain from Input), compile and fit (or fit_generator), the keras.datasets it loads and how its
 * arrays are sliced. Statements are read in source order, function bodies and if-blocks included
 * (a build_model() function is common); anything else is listed in `skipped` with its line.
 * @example readKerasScript("model = Sequential([Dense(10)])").layers.length === 1
 */
export function readKerasScript(written: string): KerasScript {
  // `1/255.` is Python; @lezer/python reads a number ending in a point as an attribute access with
  // its name missing. Written `255.0` it parses (lines stay where they were).
  const source = written.replace(/(?<![\w.])(\d+)\.(?![\w.])/g, '$1.0');
  const tree = parser.parse(source);
  const lineStarts = [0, ...[...source.matchAll(/\n/g)].map((m) => m.index! + 1)];
  const lineOf = (pos: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const scope: Scope = { source, names: new Map(), aliases: new Map(), lineOf };
  const script: KerasScript = { layers: [], datasets: [], derived: new Map(), loads: [], names: scope.names, skipped: [], modelProblems: [], rescales: [] };
  const modelNames = new Set<string>();
  /** Functional API: a name bound to a layer's output, the layers from the Input to it, and where paths merged. */
  const chains = new Map<string, { layers: PyValue[]; input?: PyValue; merged?: number }>();
  const text = (n: SyntaxNode) => source.slice(n.from, n.to);
  const error = firstError(tree.topNode);
  if (error !== undefined) script.syntaxError = lineOf(error);

  /** The statements in source order, with whether a loop repeats them. */
  const statements = (node: SyntaxNode, inLoop = false): Array<{ node: SyntaxNode; inLoop: boolean }> =>
    children(node).flatMap((c) =>
      ['Body', 'IfStatement', 'FunctionDefinition', 'WithStatement', 'TryStatement', 'ForStatement', 'WhileStatement'].includes(c.name)
        ? statements(c, inLoop || c.name === 'ForStatement' || c.name === 'WhileStatement')
        : ['ExpressionStatement', 'AssignStatement', 'ImportStatement', 'ReturnStatement'].includes(c.name)
          ? [{ node: c, inLoop }]
          : [],
    );

  for (const { node: statement, inLoop } of statements(tree.topNode)) {
    const line = lineOf(statement.from);
    if (statement.name === 'ImportStatement') readImport(statement, scope);
    else if (statement.name === 'AssignStatement') assign(statement, line);
    else if (statement.name === 'ExpressionStatement' || statement.name === 'ReturnStatement') expression(statement, line, inLoop);
  }
  return script;

  /** `Sequential([...])` or `Model(inputs, outputs)` made here (assigned or returned from a build function): the model's layers. */
  function modelFrom(value: PyValue, valueNode: SyntaxNode, line: number, names: string[]): boolean {
    if (!isCall(value)) return false;
    const last = value.callee.split('.').pop()!;
    if (last === 'Sequential') {
      for (const name of names) modelNames.add(name);
      script.modelLine = line;
      script.layers = Array.isArray(value.args[0]) ? [...value.args[0]] : [];
      return true;
    }
    if (last === 'Model' || last === 'Functional') {
      const outputs = value.kwargs.outputs ?? value.args[1];
      const chain = isUnknown(outputs) ? chains.get(outputs.text) : undefined;
      for (const name of names) modelNames.add(name);
      script.modelLine = line;
      script.layers = chain ? [...(chain.input !== undefined ? [chain.input] : []), ...chain.layers] : [{ kind: 'unknown', text: text(valueNode), line }];
      if (chain?.merged !== undefined)
        script.modelProblems.push({
          line: chain.merged,
          what: 'branches merged into one',
          why: "nnlab's models are one chain of layers; only the path after the merge was read",
        });
      else if (chain && chain.input === undefined)
        script.modelProblems.push({
          line,
          what: "the model's input",
          why: 'the chain of layers does not start at an Input nnlab could follow; only the layers after it were read',
        });
      return true;
    }
    return false;
  }

  function assign(statement: SyntaxNode, line: number): void {
    const parts = children(statement);
    const op = parts.findIndex((p) => p.name === 'AssignOp' || p.name === 'UpdateOp');
    if (op < 0 || !parts[op + 1]) return;
    if (parts[op]!.name === 'UpdateOp') return skip(statement, line, 'an in-place update is not followed');
    const targets = parts.slice(0, op).filter((p) => p.name !== ',');
    const valueNode = parts[op + 1]!;
    const names = targets.flatMap(boundNames);
    // A layer applied to a tensor: `x = Dense(64)(x)` (functional API).
    const applied = appliedLayer(valueNode);
    if (applied) {
      const from = applied.inputs.length > 1 ? { layers: [], merged: line } : (chains.get(applied.inputs[0]!) ?? { layers: [] });
      for (const name of names) chains.set(name, { ...from, layers: [...from.layers, applied.layer] });
      return;
    }
    const value = evaluate(valueNode, scope);
    if (isCall(value)) {
      const last = value.callee.split('.').pop()!;
      if (last === 'Input' || last === 'InputLayer') {
        for (const name of names) chains.set(name, { layers: [], input: value });
        return;
      }
      if (modelFrom(value, valueNode, line, names)) return;
      // layers.concatenate([a, b]), layers.add([a, b]): paths merged (the functional form of Concatenate()([a, b])).
      if (MERGES.test(last)) {
        for (const name of names) chains.set(name, { layers: [], merged: line });
        return;
      }
      if (last === 'load_data' && /datasets\.(\w+)\.load_data$/.test(value.callee)) {
        script.datasets.push({ name: /datasets\.(\w+)\.load_data$/.exec(value.callee)![1]!, line, bound: names });
        return;
      }
      if (isModelCall(value, 'fit') || isModelCall(value, 'fit_generator')) {
        script.fit = value;
        return;
      }
      if (DATA_LOADERS.test(value.callee)) script.loads.push({ line, text: excerpt(text(valueNode)) });
    }
    if (isUnknown(value)) {
      derive(names, value.text, line);
      if (/[^*/][/*]\s*[\d.]+(e-?\d+)?\s*(\)|,|$)|\bastype\(/.test(value.text))
        script.rescales.push({ line, names, text: excerpt(source.slice(valueNode.from, statement.to)) });
    }
    for (const name of names) scope.names.set(name, value);
  }

  function expression(statement: SyntaxNode, line: number, inLoop = false): void {
    if (statement.name === 'ReturnStatement') {
      const returned = children(statement).find((c) => c.name !== 'return');
      if (returned && modelFrom(evaluate(returned, scope), returned, line, [])) return;
    }
    const callNode = children(statement).find((c) => c.name === 'CallExpression');
    if (!callNode) return;
    const [calleeNode, argList] = children(callNode);
    const callee = calleeNode ? dottedName(calleeNode, scope) : undefined;
    if (!callee || !argList) return skip(statement, line, 'not a call nnlab reads');
    const target = callee.split('.');
    const method = target.pop()!;
    const owner = target.join('.');
    if (
      modelNames.has(owner) ||
      (['add', 'compile', 'fit', 'fit_generator'].includes(method) && isModelCall({ kind: 'call', callee, args: [], kwargs: {}, line }, method))
    ) {
      const { args, kwargs } = readArgs(argList, scope);
      const call: PyCall = { kind: 'call', callee, args, kwargs, line };
      if (method === 'add') {
        script.layers.push(args[0] ?? { kind: 'unknown', text: text(callNode), line });
        if (inLoop)
          script.modelProblems.push({
            line,
            what: `${text(callNode).slice(0, 40)} in a loop`,
            why: 'nnlab read the layer once; write each layer out in the spec',
          });
      } else if (method === 'compile') script.compile = call;
      else if (method === 'fit' || method === 'fit_generator') script.fit = call;
      else if (AFTER_TRAINING.test(callee)) skip(statement, line, 'runs after training; nnlab reports on validation (and data.test_split)');
      else skip(statement, line, `${method}() on the model is not mapped`);
      return;
    }
    if (DATA_LOADERS.test(callee)) return void script.loads.push({ line, text: excerpt(text(callNode)) });
    if (AFTER_TRAINING.test(callee) || /^(print|plt\.|matplotlib)/.test(callee)) return;
    if (/\.fit$/.test(callee) && isCall(scope.names.get(owner)) && /ImageDataGenerator$/.test((scope.names.get(owner) as PyCall).callee)) return;
    skip(statement, line, 'not part of the model, compile or fit');
  }

  /** `model.fit(...)`: a method of the model (or, where the model came from a function nnlab did not read, of any plain name). */
  function isModelCall(value: PyCall, method: string): boolean {
    const parts = value.callee.split('.');
    if (parts.pop() !== method) return false;
    const owner = parts.join('.');
    return modelNames.has(owner) || (modelNames.size === 0 && owner !== '' && !owner.includes('.') && !scope.aliases.has(owner));
  }

  /** `Dense(64)(x)`: the layer's call and the names it is applied to (several: `Concatenate()([a, b])`). */
  function appliedLayer(node: SyntaxNode): { layer: PyValue; inputs: string[] } | undefined {
    if (node.name !== 'CallExpression') return undefined;
    const [inner, argList] = children(node);
    if (!inner || inner.name !== 'CallExpression' || !argList) return undefined;
    const layer = evaluate(inner, scope);
    const names = (n: SyntaxNode): string[] =>
      n.name === 'VariableName' ? [text(n)] : ['ArrayExpression', 'TupleExpression'].includes(n.name) ? children(n).flatMap(names) : [];
    const inputs = children(argList).flatMap(names);
    return isCall(layer) && inputs.length ? { layer, inputs } : undefined;
  }

  /** `x = x_train[:5000]`, `x = x_train.reshape(-1, 784) / 255`: the data a name is made from. */
  function derive(names: string[], expression: string, line: number): void {
    const sources = [...script.datasets.flatMap((d) => d.bound), ...script.derived.keys()];
    const used = (s: string) => new RegExp(`(^|[^\\w.])${s}([^\\w]|$)`).test(expression);
    const stop = /\[\s*:\s*(\d+)\s*[\],]/.exec(expression)?.[1];
    const from = sources.find((s) => !names.includes(s) && used(s));
    if (from) {
      for (const name of names) script.derived.set(name, { from, ...(stop ? { stop: Number(stop) } : {}), line });
      return;
    }
    // `x_train = x_train[:5000]`: the name keeps its source and takes the slice (a name that is its own source ends the trail).
    for (const name of names.filter((n) => sources.includes(n) && used(n))) {
      const known = script.derived.get(name);
      const stops = [known?.stop, stop ? Number(stop) : undefined].filter((n): n is number => n !== undefined);
      script.derived.set(name, { from: known?.from ?? name, ...(stops.length ? { stop: Math.min(...stops) } : {}), line });
    }
  }

  function boundNames(target: SyntaxNode): string[] {
    if (target.name === 'VariableName') return [text(target)];
    if (['TupleExpression', 'ParenthesizedExpression', 'ArrayExpression'].includes(target.name)) return children(target).flatMap(boundNames);
    return [];
  }

  function skip(statement: SyntaxNode, line: number, why: string): void {
    script.skipped.push({ line, text: text(statement).split('\n')[0]!.slice(0, 80), why });
  }
}

/** A piece of the script quoted in a message: its first line, at most 60 characters. */
const excerpt = (text: string) => {
  const line = text.split('\n')[0]!;
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
};

/** Keras' functional merges: several paths into one. */
const MERGES = /^(concatenate|add|subtract|multiply|average|maximum|minimum|dot|Concatenate|Add|Subtract|Multiply|Average|Maximum|Minimum|Dot)$/;

/** Where the parser first gave up (an error node): the script is not Python that runs. */
function firstError(top: SyntaxNode): number | undefined {
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) return cursor.from;
  } while (cursor.next());
  return undefined;
}

/** `import tensorflow as tf`, `from keras.layers import Dense as D, Dropout`: the names they bind. */
function readImport(statement: SyntaxNode, scope: Scope): void {
  const text = (n: SyntaxNode) => scope.source.slice(n.from, n.to);
  const parts = children(statement);
  const isFrom = parts[0]?.name === 'from';
  if (isFrom) {
    const importAt = parts.findIndex((p) => p.name === 'import');
    const module = parts.slice(1, importAt).map(text).join('');
    const names = parts.slice(importAt + 1).filter((p) => p.name !== ',' && p.name !== '(' && p.name !== ')');
    for (let i = 0; i < names.length; i++) {
      const name = text(names[i]!);
      if (names[i + 1]?.name === 'as' && names[i + 2]) {
        scope.aliases.set(text(names[i + 2]!), `${module}.${name}`);
        i += 2;
      } else if (name !== '*') scope.aliases.set(name, `${module}.${name}`);
    }
    return;
  }
  // import a.b.c [as d], e
  let dotted: string[] = [];
  const flush = (alias?: string) => {
    if (dotted.length === 0) return;
    if (alias) scope.aliases.set(alias, dotted.join('.'));
    else scope.aliases.set(dotted[0]!, dotted[0]!);
    dotted = [];
  };
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.name === 'VariableName') dotted.push(text(p));
    else if (p.name === 'as' && parts[i + 1]) {
      flush(text(parts[i + 1]!));
      i++;
    } else if (p.name === ',') flush();
  }
  flush();
}
