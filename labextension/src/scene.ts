/**
 * Placement of the visible graph: box sizes per unit, the layered layout of the units,
 * the centre of every visible node (e-nodes side by side inside their class) and the
 * rectangles the minimap draws.
 */
import { CLS_PAD, NODE_H, nodeWidth } from './geometry';
import { DagGraph } from './graph';
import { IBox, ILayout, layout } from './layout';
import { IMiniRect } from './minimap';

export interface IScene {
  units: string[];
  nodes: string[];
  visSet: Set<string>;
  widths: Map<string, number>;
  heights: Map<string, number>;
  lay: ILayout;
  /** Centre of every visible node's box. */
  centre: Map<string, IBox>;
}

/** Lay out what ``g`` shows now (collapsed subtrees left out). */
export function placeGraph(g: DagGraph): IScene {
  const { units, nodes } = g.visible();
  const visSet = new Set(units);
  const widths = new Map<string, number>();
  const heights = new Map<string, number>();
  const succ = new Map<string, string[]>();
  for (const u of units) {
    widths.set(u, unitWidth(g, u));
    heights.set(u, g.egraph ? NODE_H + 2 * CLS_PAD : NODE_H);
    const s: string[] = [];
    for (const m of g.members(u)) {
      s.push(...g.openChildren(m).filter(x => visSet.has(x)));
    }
    succ.set(u, s);
  }
  const lay = layout(units, succ, widths, heights, g.payload.roots);
  const centre = nodeCentres(g, units, lay, widths);
  return { units, nodes, visSet, widths, heights, lay, centre };
}

function unitWidth(g: DagGraph, u: string): number {
  if (!g.egraph) {
    return nodeWidth(g.node(u));
  }
  let w = CLS_PAD;
  for (const m of g.eclass(u).nodes) {
    w += nodeWidth(g.node(m)) + CLS_PAD;
  }
  return w;
}

function nodeCentres(
  g: DagGraph,
  units: string[],
  lay: ILayout,
  widths: Map<string, number>
): Map<string, IBox> {
  const centre = new Map<string, IBox>();
  for (const u of units) {
    const b = lay.pos.get(u) as IBox;
    if (!g.egraph) {
      centre.set(u, b);
      continue;
    }
    let cur = b.x - (widths.get(u) as number) / 2 + CLS_PAD;
    for (const m of g.eclass(u).nodes) {
      const w = nodeWidth(g.node(m));
      centre.set(m, { x: cur + w / 2, y: b.y });
      cur += w + CLS_PAD;
    }
  }
  return centre;
}

/** Top-left box of unit ``u``. */
export function unitBox(sc: IScene, u: string): { x: number; y: number; w: number; h: number } {
  const b = sc.lay.pos.get(u) as IBox;
  const w = sc.widths.get(u) as number;
  const h = sc.heights.get(u) as number;
  return { x: b.x - w / 2, y: b.y - h / 2, w, h };
}

/** One rectangle per unit for the minimap; highlighted units flagged. */
export function miniRects(sc: IScene, hl: Set<string>): IMiniRect[] {
  return sc.units.map(u => ({ ...unitBox(sc, u), hl: hl.has(u) }));
}
