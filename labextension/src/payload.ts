/**
 * The symnb DAG payload (application/vnd.symnb.dag+json), schema version 1.
 * The Python side documents it in symnb/display/dag.py; this mirrors its validator.
 */

export const MIME_TYPE = 'application/vnd.symnb.dag+json';

export interface IDagNode {
  id: string;
  op: string;
  label: string;
  kind?: string;
  children: string[];
  text?: string;
  latex?: string;
  value?: number | null;
  cost?: number | null;
  elided?: number;
  class?: string;
}

export interface IEClass {
  id: string;
  nodes: string[];
  chosen?: string | null;
  cost?: number | null;
}

export interface ITruncated {
  total: number;
  shown: number;
  omitted: number;
  budget?: number;
}

export interface IPayload {
  version: number;
  kind: 'dag' | 'egraph';
  title?: string;
  nodes: IDagNode[];
  roots: string[];
  highlight?: string[];
  classes?: IEClass[];
  truncated?: ITruncated | null;
  stats?: { [key: string]: number };
}

export class PayloadError extends Error {}

function fail(msg: string): never {
  throw new PayloadError(msg);
}

function isNum(v: unknown): boolean {
  return typeof v === 'number' && isFinite(v as number);
}

/** Parse (object or JSON string) and check the payload; throws PayloadError naming the problem. */
export function readPayload(data: unknown): IPayload {
  let p: any = data;
  if (typeof data === 'string') {
    try {
      p = JSON.parse(data);
    } catch (e) {
      fail(`payload is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (p === null || typeof p !== 'object' || Array.isArray(p)) {
    fail('payload must be a JSON object');
  }
  if (p.version !== 1) {
    fail(`unsupported payload version ${JSON.stringify(p.version)} (expected 1)`);
  }
  if (p.kind !== 'dag' && p.kind !== 'egraph') {
    fail(`kind must be 'dag' or 'egraph', got ${JSON.stringify(p.kind)}`);
  }
  if (!Array.isArray(p.nodes)) {
    fail("'nodes' must be a list");
  }
  if (!Array.isArray(p.roots)) {
    fail("'roots' must be a list");
  }
  const ids = new Set<string>();
  p.nodes.forEach((n: any, k: number) => {
    if (n === null || typeof n !== 'object') {
      fail(`node #${k} is not an object`);
    }
    for (const key of ['id', 'op', 'label']) {
      if (typeof n[key] !== 'string') {
        fail(`node #${k}: '${key}' must be a string`);
      }
    }
    if (ids.has(n.id)) {
      fail(`duplicate node id '${n.id}'`);
    }
    ids.add(n.id);
    if (!Array.isArray(n.children) || n.children.some((c: any) => typeof c !== 'string')) {
      fail(`node '${n.id}': 'children' must be a list of ids`);
    }
    for (const key of ['value', 'cost']) {
      if (n[key] !== undefined && n[key] !== null && !isNum(n[key])) {
        fail(`node '${n.id}': '${key}' must be a number`);
      }
    }
  });
  let targets = ids;
  let what = 'node';
  if (p.kind === 'egraph') {
    if (!Array.isArray(p.classes)) {
      fail("an e-graph payload needs a 'classes' list");
    }
    targets = new Set<string>();
    const owner = new Map<string, string>();
    p.classes.forEach((c: any, k: number) => {
      if (c === null || typeof c !== 'object' || typeof c.id !== 'string') {
        fail(`class #${k} needs a string 'id'`);
      }
      if (!Array.isArray(c.nodes) || c.nodes.length === 0) {
        fail(`class '${c.id}': 'nodes' must be a non-empty list`);
      }
      targets.add(c.id);
      for (const m of c.nodes) {
        if (!ids.has(m)) {
          fail(`class '${c.id}' lists unknown e-node '${m}'`);
        }
        owner.set(m, c.id);
      }
      if (c.chosen !== undefined && c.chosen !== null && c.nodes.indexOf(c.chosen) < 0) {
        fail(`class '${c.id}': chosen e-node '${c.chosen}' is not in the class`);
      }
    });
    for (const n of p.nodes) {
      if (owner.get(n.id) !== n.class) {
        fail(`e-node '${n.id}': 'class' does not match the class listing it`);
      }
    }
    what = 'class';
  }
  for (const n of p.nodes) {
    for (const c of n.children) {
      if (!targets.has(c)) {
        fail(`node '${n.id}': child '${c}' is not a ${what} id`);
      }
    }
  }
  for (const r of p.roots) {
    if (!targets.has(r)) {
      fail(`root '${r}' is not a ${what} id`);
    }
  }
  const hl = p.highlight === undefined ? [] : p.highlight;
  if (!Array.isArray(hl)) {
    fail("'highlight' must list node or class ids");
  }
  return p as IPayload;
}

const INFIX: { [op: string]: string } = { Add: ' + ', Mul: '*' };

/** Text of the subexpression at ``id`` rebuilt from the DAG (when the payload has no text). */
export function subexpressionText(
  byId: Map<string, IDagNode>,
  id: string,
  limit = 600
): string {
  const parts: string[] = [];
  let size = 0;
  const go = (nid: string, depth: number): void => {
    if (size > limit) {
      return;
    }
    const n = byId.get(nid);
    if (!n) {
      parts.push('…');
      return;
    }
    if (n.children.length === 0) {
      const s = n.elided ? `${n.label}(…)` : n.label;
      parts.push(s);
      size += s.length;
      return;
    }
    const infix = INFIX[n.op];
    if (n.op === 'Pow' && n.children.length === 2) {
      parts.push('(');
      go(n.children[0], depth + 1);
      parts.push(')^(');
      go(n.children[1], depth + 1);
      parts.push(')');
      size += 5;
      return;
    }
    if (infix !== undefined) {
      if (depth > 0) {
        parts.push('(');
      }
      n.children.forEach((c, i) => {
        if (i > 0) {
          parts.push(infix);
        }
        go(c, depth + 1);
      });
      if (n.elided) {
        parts.push(infix + '…');
      }
      if (depth > 0) {
        parts.push(')');
      }
      size += 2 + n.children.length;
      return;
    }
    parts.push(n.label + '(');
    n.children.forEach((c, i) => {
      if (i > 0) {
        parts.push(', ');
      }
      go(c, depth + 1);
    });
    if (n.elided) {
      parts.push(', …');
    }
    parts.push(')');
    size += n.label.length + 2;
  };
  go(id, 0);
  let s = parts.join('');
  if (size > limit) {
    s = s.slice(0, limit) + ' …';
  }
  return s;
}
