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
  const state = new Uint8Array(n);
  const keep: number[][] = ids.map(() => []);
  const post: number[] = [];
  const starts = roots.filter(r => index.has(r)).map(r => index.get(r) as number);
  for (let i = 0; i < n; i++) {
    starts.push(i);
  }
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
  const topo = post.reverse();
  const layer = new Int32Array(n);
  for (const v of topo) {
    const lv = layer[v] + 1;
    for (const w of keep[v]) {
      if (layer[w] < lv) {
        layer[w] = lv;
      }
    }
  }
  const preds: number[][] = ids.map(() => []);
  for (let v = 0; v < n; v++) {
    for (const w of keep[v]) {
      preds[w].push(v);
    }
  }
  let nl = 0;
  for (let v = 0; v < n; v++) {
    nl = Math.max(nl, layer[v] + 1);
  }
  const rows: number[][] = [];
  for (let i = 0; i < nl; i++) {
    rows.push([]);
  }
  for (const v of topo) {
    rows[layer[v]].push(v);
  }
  const rel = new Float64Array(n);
  const setRel = (r: number[]) => r.forEach((v, i) => (rel[v] = i / Math.max(r.length, 1)));
  rows.forEach(setRel);
  const sweep = (li: number, nbrs: number[][]) => {
    const r = rows[li];
    const key = new Map<number, number>();
    for (const v of r) {
      const nb = nbrs[v];
      let s = 0;
      for (const u of nb) {
        s += rel[u];
      }
      key.set(v, nb.length ? s / nb.length : rel[v]);
    }
    r.sort((a, b) => (key.get(a) as number) - (key.get(b) as number));
    setRel(r);
  };
  for (let s = 0; s < 4; s++) {
    if (s % 2 === 0) {
      for (let li = 1; li < nl; li++) {
        sweep(li, preds);
      }
    } else {
      for (let li = nl - 2; li >= 0; li--) {
        sweep(li, keep);
      }
    }
  }
  const w = ids.map(id => widths.get(id) || 30);
  const x = new Float64Array(n);
  for (const r of rows) {
    let cur = 0;
    for (const v of r) {
      x[v] = cur + w[v] / 2;
      cur += w[v] + colGap;
    }
  }
  const place = (r: number[], nbrs: number[][]) => {
    if (!r.length) {
      return;
    }
    const want = r.map(v => {
      const nb = nbrs[v];
      if (!nb.length) {
        return x[v];
      }
      let s = 0;
      for (const u of nb) {
        s += x[u];
      }
      return s / nb.length;
    });
    const xs = want.slice();
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
  };
  for (let it = 0; it < 2; it++) {
    for (let li = 1; li < nl; li++) {
      place(rows[li], preds);
    }
    for (let li = nl - 2; li >= 0; li--) {
      place(rows[li], keep);
    }
  }
  let left = Infinity;
  let right = -Infinity;
  for (let v = 0; v < n; v++) {
    left = Math.min(left, x[v] - w[v] / 2);
    right = Math.max(right, x[v] + w[v] / 2);
  }
  let rowH = 0;
  for (const id of ids) {
    rowH = Math.max(rowH, heights.get(id) || 20);
  }
  const pos = new Map<string, IBox>();
  for (let v = 0; v < n; v++) {
    pos.set(ids[v], { x: x[v] - left + 10, y: 10 + layer[v] * (rowH + rowGap) + rowH / 2 });
  }
  return {
    pos,
    width: right - left + 20,
    height: nl * (rowH + rowGap) + 20,
    engine: 'layered'
  };
}
