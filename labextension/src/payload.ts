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
  /** A summary node: it stands for the arguments of a wide node past its first few. */
  group?: boolean;
  /** Distinct nodes below a node that opens collapsed. */
  size?: number;
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
  /** Nodes that open collapsed (large graphs); the rest of the graph is one click away. */
  collapsed?: string[];
}

export class PayloadError extends Error {}

function fail(msg: string): never {
  throw new PayloadError(msg);
}

function isNum(v: unknown): boolean {
  return typeof v === 'number' && isFinite(v);
}

/** A parsed JSON object, fields not yet checked. */
type IJsonObject = { [key: string]: unknown };

function isObject(v: unknown): v is IJsonObject {
  return v !== null && typeof v === 'object';
}

/** Parse (object or JSON string) and check the payload; throws PayloadError naming the problem. */
export function readPayload(data: unknown): IPayload {
  let p: unknown = data;
  if (typeof data === 'string') {
    try {
      p = JSON.parse(data);
    } catch (e) {
      fail(`payload is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isObject(p) || Array.isArray(p)) {
    fail('payload must be a JSON object');
  }
  checkHeader(p);
  const ids = checkNodes(p.nodes as unknown[]);
  const egraph = p.kind === 'egraph';
  const targets = egraph ? checkClasses(p, ids) : ids;
  const payload = p as unknown as IPayload;
  checkReferences(payload, targets, egraph ? 'class' : 'node');
  const coll = p.collapsed === undefined ? [] : p.collapsed;
  if (!Array.isArray(coll) || coll.some(c => typeof c !== 'string' || !ids.has(c))) {
    fail("'collapsed' must list node ids");
  }
  const hl = p.highlight === undefined ? [] : p.highlight;
  if (!Array.isArray(hl)) {
    fail("'highlight' must list node or class ids");
  }
  return payload;
}

function checkHeader(p: IJsonObject): void {
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
}

/** Check every node's fields; returns the node ids. */
function checkNodes(nodes: unknown[]): Set<string> {
  const ids = new Set<string>();
  nodes.forEach((n, k) => {
    if (!isObject(n)) {
      fail(`node #${k} is not an object`);
    }
    for (const key of ['id', 'op', 'label']) {
      if (typeof n[key] !== 'string') {
        fail(`node #${k}: '${key}' must be a string`);
      }
    }
    const id = n.id as string;
    if (ids.has(id)) {
      fail(`duplicate node id '${id}'`);
    }
    ids.add(id);
    if (!Array.isArray(n.children) || n.children.some(c => typeof c !== 'string')) {
      fail(`node '${id}': 'children' must be a list of ids`);
    }
    for (const key of ['value', 'cost']) {
      if (n[key] !== undefined && n[key] !== null && !isNum(n[key])) {
        fail(`node '${id}': '${key}' must be a number`);
      }
    }
    for (const key of ['elided', 'size']) {
      const v = n[key];
      if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
        fail(`node '${id}': '${key}' must be a non-negative integer`);
      }
    }
    if (n.group !== undefined && typeof n.group !== 'boolean') {
      fail(`node '${id}': 'group' must be true or false`);
    }
  });
  return ids;
}

/** Check an e-graph's classes against node ids ``ids``; returns the class ids. */
function checkClasses(p: IJsonObject, ids: Set<string>): Set<string> {
  if (!Array.isArray(p.classes)) {
    fail("an e-graph payload needs a 'classes' list");
  }
  const targets = new Set<string>();
  const owner = new Map<string, string>();
  p.classes.forEach((c: unknown, k: number) => {
    if (!isObject(c) || typeof c.id !== 'string') {
      fail(`class #${k} needs a string 'id'`);
    }
    const id = c.id;
    if (!Array.isArray(c.nodes) || c.nodes.length === 0) {
      fail(`class '${id}': 'nodes' must be a non-empty list`);
    }
    targets.add(id);
    for (const m of c.nodes as unknown[]) {
      if (typeof m !== 'string' || !ids.has(m)) {
        fail(`class '${id}' lists unknown e-node '${String(m)}'`);
      }
      owner.set(m, id);
    }
    if (c.chosen !== undefined && c.chosen !== null && c.nodes.indexOf(c.chosen) < 0) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- shown as JS prints it
      fail(`class '${id}': chosen e-node '${String(c.chosen)}' is not in the class`);
    }
  });
  for (const n of p.nodes as IDagNode[]) {
    if (owner.get(n.id) !== n.class) {
      fail(`e-node '${n.id}': 'class' does not match the class listing it`);
    }
  }
  return targets;
}

/** Children and roots must name ``targets`` (nodes, or classes for an e-graph). */
function checkReferences(p: IPayload, targets: Set<string>, what: string): void {
  for (const n of p.nodes) {
    for (const c of n.children) {
      if (!targets.has(c)) {
        fail(`node '${n.id}': child '${c}' is not a ${what} id`);
      }
    }
  }
  for (const r of p.roots) {
    if (!targets.has(r)) {
      fail(`root '${String(r)}' is not a ${what} id`);
    }
  }
}

const INFIX: { [op: string]: string } = { Add: ' + ', Mul: '*' };

/** Text of the subexpression at ``id`` rebuilt from the DAG (when the payload has no text). */
export function subexpressionText(byId: Map<string, IDagNode>, id: string, limit = 600): string {
  const w = new SubexpressionWriter(byId, limit);
  w.write(id, 0);
  let s = w.parts.join('');
  if (w.size > limit) {
    s = s.slice(0, limit) + ' …';
  }
  return s;
}

/** Writes a subexpression as text until about ``limit`` characters are written. */
class SubexpressionWriter {
  readonly parts: string[] = [];
  size = 0;

  constructor(
    private _byId: Map<string, IDagNode>,
    private _limit: number
  ) {}

  write(nid: string, depth: number): void {
    if (this.size > this._limit) {
      return;
    }
    const n = this._byId.get(nid);
    if (!n) {
      this.parts.push('…');
      return;
    }
    const infix = INFIX[n.op];
    if (n.children.length === 0) {
      const s = n.elided ? `${n.label}(…)` : n.label;
      this.parts.push(s);
      this.size += s.length;
    } else if (n.group) {
      this._join(n, ', ', depth);
    } else if (n.op === 'Pow' && n.children.length === 2) {
      this._power(n, depth);
    } else if (infix !== undefined) {
      this._infix(n, infix, depth);
    } else {
      this._call(n, depth);
    }
  }

  private _power(n: IDagNode, depth: number): void {
    this.parts.push('(');
    this.write(n.children[0], depth + 1);
    this.parts.push(')^(');
    this.write(n.children[1], depth + 1);
    this.parts.push(')');
    this.size += 5;
  }

  /** The children joined by ``sep``, each written at ``depth + 1`` (a summary node's
   * children stand in its place, as arguments of ``n``). */
  private _join(n: IDagNode, sep: string, depth: number): void {
    let first = true;
    const each = (ids: string[]): void => {
      for (const c of ids) {
        const child = this._byId.get(c);
        if (child && child.group) {
          each(child.children);
          continue;
        }
        if (!first) {
          this.parts.push(sep);
        }
        first = false;
        this.write(c, depth + 1);
      }
    };
    each(n.children);
  }

  private _infix(n: IDagNode, infix: string, depth: number): void {
    if (depth > 0) {
      this.parts.push('(');
    }
    this._join(n, infix, depth);
    if (n.elided) {
      this.parts.push(infix + '…');
    }
    if (depth > 0) {
      this.parts.push(')');
    }
    this.size += 2 + n.children.length;
  }

  private _call(n: IDagNode, depth: number): void {
    this.parts.push(n.label + '(');
    this._join(n, ', ', depth);
    if (n.elided) {
      this.parts.push(', …');
    }
    this.parts.push(')');
    this.size += n.label.length + 2;
  }
}
