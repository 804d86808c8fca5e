/**
 * The SVG drawing of a placed graph: e-class clusters with their cost, all edges as two
 * paths (plain and highlighted), and one group per node with its box, label and badge.
 */
import { svg } from './dom';
import { NODE_H, nodeWidth, shortLabel } from './geometry';
import { DagGraph } from './graph';
import { IBox } from './layout';
import { IDagNode } from './payload';
import { IScene } from './scene';

/** Redraw ``vp``'s content for scene ``sc``. */
export function drawScene(vp: SVGGElement, g: DagGraph, sc: IScene, hl: Set<string>): void {
  vp.textContent = '';
  const edges = svg('g', { class: 'edges' }, vp);
  const clusters = svg('g', { class: 'clusters' }, vp);
  const nodes = svg('g', { class: 'nodes' }, vp);
  if (g.egraph) {
    for (const u of sc.units) {
      drawCluster(clusters, g, sc, u, hl.has(u));
    }
  }
  drawEdges(edges, g, sc, hl);
  const chosen = g.chosen();
  for (const id of sc.nodes) {
    drawNode(nodes, g, id, sc.centre.get(id) as IBox, nodeClass(g, id, hl, chosen));
  }
}

function drawCluster(parent: SVGGElement, g: DagGraph, sc: IScene, u: string, hl: boolean): void {
  const b = sc.lay.pos.get(u) as IBox;
  const w = sc.widths.get(u) as number;
  const h = sc.heights.get(u) as number;
  const c = g.eclass(u);
  const hasCost = c.cost !== undefined && c.cost !== null;
  const r = svg(
    'rect',
    {
      class: 'symnb-eclass' + (hl ? ' hl' : ''),
      x: b.x - w / 2,
      y: b.y - h / 2,
      width: w,
      height: h,
      rx: 7,
      'data-class': u
    },
    parent
  );
  const t = svg('title', {}, r);
  t.textContent =
    `e-class ${u}: ${c.nodes.length} e-node(s)` + (hasCost ? `, best cost ${c.cost}` : '');
  if (hasCost) {
    const at = { class: 'symnb-eclass-cost', x: b.x + w / 2 - 3, y: b.y - h / 2 - 3 };
    svg('text', at, parent).textContent = `cost ${c.cost}`;
  }
}

/** Cubic from (sx, y1) down to (tx, ty); an edge going up loops below and above. */
function edgePath(sx: number, y1: number, tx: number, ty: number): string {
  const c1 = ty > y1 ? (y1 + ty) / 2 : y1 + 40;
  const c2 = ty > y1 ? (y1 + ty) / 2 : ty - 40;
  return (
    `M${sx.toFixed(1)} ${y1.toFixed(1)}C${sx.toFixed(1)} ${c1.toFixed(1)} ` +
    `${tx.toFixed(1)} ${c2.toFixed(1)} ${tx.toFixed(1)} ${ty.toFixed(1)}`
  );
}

/** One path per style keeps thousands of edges cheap to draw. */
function drawEdges(parent: SVGGElement, g: DagGraph, sc: IScene, hl: Set<string>): void {
  const parts: string[] = [];
  const hparts: string[] = [];
  for (const id of sc.nodes) {
    if (g.collapsed.has(id)) {
      continue;
    }
    const n = g.node(id);
    const a = sc.centre.get(id) as IBox;
    const w = nodeWidth(n);
    const y1 = a.y + NODE_H / 2;
    n.children.forEach((ch, i) => {
      if (!sc.visSet.has(ch)) {
        return;
      }
      // the edge leaves its slot on the node's bottom and enters the child unit's top
      const sx = a.x - w / 2 + ((i + 1) * w) / (n.children.length + 1);
      const b = sc.lay.pos.get(ch) as IBox;
      const ty = b.y - (sc.heights.get(ch) as number) / 2;
      (hl.has(id) && hl.has(ch) ? hparts : parts).push(edgePath(sx, y1, b.x, ty));
    });
  }
  if (parts.length) {
    svg('path', { class: 'edge', d: parts.join('') }, parent);
  }
  if (hparts.length) {
    svg('path', { class: 'edge hl', d: hparts.join('') }, parent);
  }
}

function kindOf(n: IDagNode): string {
  if (n.kind) {
    return n.kind;
  }
  return n.op === 'Symbol' ? 'symbol' : n.op === 'Number' ? 'number' : 'call';
}

function nodeClass(g: DagGraph, id: string, hl: Set<string>, chosen: Set<string>): string {
  let cls = `symnb-node kind-${kindOf(g.node(id))}`;
  if (hl.has(id)) {
    cls += ' hl';
  }
  if (chosen.has(id)) {
    cls += ' chosen';
  }
  if (g.collapsed.has(id)) {
    cls += ' collapsed';
  }
  if (g.node(id).group) {
    cls += ' group';
  }
  return cls;
}

function badgeText(n: IDagNode, collapsed: boolean): string {
  if (collapsed && n.children.length) {
    if (n.size !== undefined) {
      return `▸ ${n.size.toLocaleString('en-US')} nodes below`;
    }
    return `▸ ${n.children.length} hidden`;
  }
  return n.elided ? `⋯ ${n.elided} cut` : '';
}

function drawNode(parent: SVGGElement, g: DagGraph, id: string, a: IBox, cls: string): void {
  const n = g.node(id);
  const w = nodeWidth(n);
  const x = (a.x - w / 2).toFixed(1);
  const y = (a.y - NODE_H / 2).toFixed(1);
  const el = svg('g', { class: cls, 'data-id': id, transform: `translate(${x},${y})` }, parent);
  svg('rect', { width: w.toFixed(1), height: NODE_H }, el);
  const t = svg('text', { x: (w / 2).toFixed(1), y: NODE_H / 2 }, el);
  t.textContent = shortLabel(n.label);
  const badge = badgeText(n, g.collapsed.has(id));
  if (badge) {
    const b = svg('text', { class: 'badge', x: (w / 2).toFixed(1), y: NODE_H + 9 }, el);
    b.textContent = badge;
  }
}
