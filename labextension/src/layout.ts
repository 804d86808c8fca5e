/**
 * Layered layouts: dagre (network-simplex ranking, good crossings) for small graphs, and a
 * linear-time longest-path + barycenter layout for large ones (dagre takes seconds past a
 * few hundred nodes).  Both return box centres.
 */
import * as dagre from '@dagrejs/dagre';

export interface IBox {
  x: number; // centre
  y: number; // centre
}

export interface ILayout {
  pos: Map<string, IBox>;
  width: number;
  height: number;
  engine: 'dagre' | 'layered';
}

export const DAGRE_MAX_NODES = 300;

export function layout(
  ids: string[],
  succ: Map<string, string[]>,
  widths: Map<string, number>,
  heights: Map<string, number>,
  roots: string[],
  rowGap = 36,
  colGap = 12
): ILayout {
  if (ids.length <= DAGRE_MAX_NODES) {
    return dagreLayout(ids, succ, widths, heights, rowGap, colGap);
  }
  return layeredLayout(ids, succ, widths, heights, roots, rowGap, colGap);
}

function dagreLayout(
  ids: string[],
  succ: Map<string, string[]>,
  widths: Map<string, number>,
  heights: Map<string, number>,
  rowGap: number,
  colGap: number
): ILayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', ranksep: rowGap, nodesep: colGap, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) {
    g.setNode(id, { width: widths.get(id) || 30, height: heights.get(id) || 20 });
  }
  let k = 0;
  for (const id of ids) {
    for (const c of succ.get(id) || []) {
      if (c !== id && g.hasNode(c)) {
        g.setEdge(id, c, {}, `e${k++}`);
      }
    }
  }
  dagre.layout(g);
  const pos = new Map<string, IBox>();
  for (const id of ids) {
    const n = g.node(id);
    pos.set(id, { x: n.x, y: n.y });
  }
  const gr = g.graph();
  return { pos, width: gr.width || 0, height: gr.height || 0, engine: 'dagre' };
}

/** Longest-path layering (DFS back edges ignored), barycenter sweeps, spaced x positions. */
export function layeredLayout(
  ids: string[],
  succ: Map<string, string[]>,
  widths: Map<string, number>,
  heights: Map<string, number>,
  roots: string[],
  rowGap: number,
  colGap: number
): ILayout {
  const n = ids.length;
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const adj: number[][] = ids.map(id =>
    (succ.get(id) || []).filter(c => index.has(c)).map(c => index.get(c) as number)
  );
  const starts = roots.filter(r => index.has(r)).map(r => index.get(r) as number);
  for (let i = 0; i < n; i++) {
    starts.push(i);
  }
  const { keep, topo } = acyclic(adj, starts);
  const layer = longestPathLayers(topo, keep);
  const preds: number[][] = ids.map(() => []);
  for (let v = 0; v < n; v++) {
    for (const w of keep[v]) {
      preds[w].push(v);
    }
  }
  const rows = orderRows(topo, layer, preds, keep);
  const w = ids.map(id => widths.get(id) || 30);
  const x = placeRows(rows, preds, keep, w, colGap);
  let rowH = 0;
  for (const id of ids) {
    rowH = Math.max(rowH, heights.get(id) || 20);
  }
  return positions(ids, x, w, layer, rows.length, rowH, rowGap);
}

/**
 * Iterative DFS from ``starts`` in order: the edges kept (back edges dropped, so the
 * rest is acyclic) and the vertices in topological order.
 */
function acyclic(adj: number[][], starts: number[]): { keep: number[][]; topo: number[] } {
  const state = new Uint8Array(adj.length);
  const keep: number[][] = adj.map(() => []);
  const post: number[] = [];
  for (const s of starts) {
    if (state[s]) {
      continue;
    }
    state[s] = 1;
    const stack: [number, number][] = [[s, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const v = top[0];
      const a = adj[v];
      if (top[1] < a.length) {
        const w = a[a.length - 1 - top[1]];
        top[1]++;
        if (state[w] === 1) {
          continue;
        }
        keep[v].push(w);
        if (state[w] === 0) {
          state[w] = 1;
          stack.push([w, 0]);
        }
      } else {
        state[v] = 2;
        post.push(v);
        stack.pop();
      }
    }
  }
  return { keep, topo: post.reverse() };
}

/** Layer of each vertex: the longest path to it from a source. */
function longestPathLayers(topo: number[], keep: number[][]): Int32Array {
  const layer = new Int32Array(keep.length);
  for (const v of topo) {
    const lv = layer[v] + 1;
    for (const w of keep[v]) {
      if (layer[w] < lv) {
        layer[w] = lv;
      }
    }
  }
  return layer;
}

/** Rows by layer, ordered by four barycenter sweeps (down, up, down, up). */
function orderRows(
  topo: number[],
  layer: Int32Array,
  preds: number[][],
  keep: number[][]
): number[][] {
  let nl = 0;
  for (let v = 0; v < layer.length; v++) {
    nl = Math.max(nl, layer[v] + 1);
  }
  const rows: number[][] = [];
  for (let i = 0; i < nl; i++) {
    rows.push([]);
  }
  for (const v of topo) {
    rows[layer[v]].push(v);
  }
  const rel = new Float64Array(layer.length);
  const setRel = (r: number[]) => r.forEach((v, i) => (rel[v] = i / Math.max(r.length, 1)));
  rows.forEach(setRel);
  const sweep = (r: number[], nbrs: number[][]) => {
    const key = new Map<number, number>();
    for (const v of r) {
      key.set(v, mean(nbrs[v], rel, rel[v]));
    }
    r.sort((a, b) => (key.get(a) as number) - (key.get(b) as number));
    setRel(r);
  };
  for (let s = 0; s < 4; s++) {
    if (s % 2 === 0) {
      for (let li = 1; li < nl; li++) {
        sweep(rows[li], preds);
      }
    } else {
      for (let li = nl - 2; li >= 0; li--) {
        sweep(rows[li], keep);
      }
    }
  }
  return rows;
}

/** Mean of ``val`` over ``nb``; ``empty`` when there are none. */
function mean(nb: number[], val: Float64Array, empty: number): number {
  if (!nb.length) {
    return empty;
  }
  let s = 0;
  for (const u of nb) {
    s += val[u];
  }
  return s / nb.length;
}

/** Box centres x: packed rows, then two rounds of pulls towards the neighbours' mean. */
function placeRows(
  rows: number[][],
  preds: number[][],
  keep: number[][],
  w: number[],
  colGap: number
): Float64Array {
  const x = new Float64Array(w.length);
  for (const r of rows) {
    let cur = 0;
    for (const v of r) {
      x[v] = cur + w[v] / 2;
      cur += w[v] + colGap;
    }
  }
  const nl = rows.length;
  for (let it = 0; it < 2; it++) {
    for (let li = 1; li < nl; li++) {
      pullRow(rows[li], preds, x, w, colGap);
    }
    for (let li = nl - 2; li >= 0; li--) {
      pullRow(rows[li], keep, x, w, colGap);
    }
  }
  return x;
}

/** Move row ``r`` towards its neighbours' mean x, keeping order and gaps. */
function pullRow(
  r: number[],
  nbrs: number[][],
  x: Float64Array,
  w: number[],
  colGap: number
): void {
  if (!r.length) {
    return;
  }
  const xs = r.map(v => mean(nbrs[v], x, x[v]));
  for (let i = 1; i < r.length; i++) {
    const lo = xs[i - 1] + (w[r[i - 1]] + w[r[i]]) / 2 + colGap;
    if (xs[i] < lo) {
      xs[i] = lo;
    }
  }
  for (let i = r.length - 2; i >= 0; i--) {
    const hi = xs[i + 1] - (w[r[i + 1]] + w[r[i]]) / 2 - colGap;
    if (xs[i] > hi) {
      xs[i] = hi;
    }
  }
  r.forEach((v, i) => (x[v] = xs[i]));
}

/** Final box centres, shifted so the drawing starts at a 10-pixel margin. */
function positions(
  ids: string[],
  x: Float64Array,
  w: number[],
  layer: Int32Array,
  nl: number,
  rowH: number,
  rowGap: number
): ILayout {
  let left = Infinity;
  let right = -Infinity;
  for (let v = 0; v < ids.length; v++) {
    left = Math.min(left, x[v] - w[v] / 2);
    right = Math.max(right, x[v] + w[v] / 2);
  }
  const pos = new Map<string, IBox>();
  for (let v = 0; v < ids.length; v++) {
    pos.set(ids[v], { x: x[v] - left + 10, y: 10 + layer[v] * (rowH + rowGap) + rowH / 2 });
  }
  return {
    pos,
    width: right - left + 20,
    height: nl * (rowH + rowGap) + 20,
    engine: 'layered'
  };
}
