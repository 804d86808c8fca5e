/**
 * The DAG / e-graph view: layered SVG drawing with pan/zoom, collapse/expand, hover text
 * and LaTeX, e-class clusters, highlights, an explicit truncation banner and, when the
 * graph is larger than its view, a minimap.  Everything comes from the saved output, so a
 * reopened notebook renders without a kernel.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { ILayout, layout } from './layout';
import { IMiniRect, Minimap } from './minimap';
import { IDagNode, IEClass, IPayload, readPayload, subexpressionText } from './payload';

const SVGNS = 'http://www.w3.org/2000/svg';
const NODE_H = 22;
const CHAR_W = 7.4;
const CLS_PAD = 6;
const LABEL_MAX = 24;
const MIN_FIT_SCALE = 0.25;
const READABLE_SCALE = 0.7;

const CSS = `
.symnb-dag{font-family:var(--jp-ui-font-family,sans-serif);font-size:12px;position:relative;
 color:var(--jp-ui-font-color1,#222)}
.symnb-dag-bar{display:flex;gap:6px;align-items:center;margin:2px 0 4px 0;flex-wrap:wrap}
.symnb-dag-bar button{font-size:11px;padding:1px 6px;cursor:pointer;border:1px solid #bbb;
 border-radius:3px;background:var(--jp-layout-color1,#fff);color:inherit}
.symnb-dag-title{font-weight:bold}
.symnb-dag-formula{margin:2px 0 4px 0;overflow-x:auto}
.symnb-dag-stats{color:var(--jp-ui-font-color2,#666)}
.symnb-dag-truncated{background:#fff4ce;border:1px solid #e0c060;color:#5a4500;padding:2px 6px;
 margin:2px 0;border-radius:3px}
.symnb-dag-stage{position:relative}
.symnb-dag-svg{display:block;width:100%;border:1px solid var(--jp-border-color2,#ddd);
 border-radius:3px;cursor:grab;background:var(--jp-layout-color0,#fff);touch-action:none}
.symnb-dag-svg.dragging{cursor:grabbing}
.symnb-dag-svg .edge{fill:none;stroke:#8a8a8a;stroke-width:1}
.symnb-dag-svg .edge.hl{stroke:#d62728;stroke-width:2}
.symnb-node rect{stroke:#555;stroke-width:1;rx:4px}
.symnb-node{cursor:pointer}
.symnb-node text{font:12px var(--jp-code-font-family,monospace);text-anchor:middle;
 dominant-baseline:central;fill:#111;pointer-events:none}
.symnb-node.kind-call rect{fill:#e8f0fb}.symnb-node.kind-symbol rect{fill:#eaf7e6}
.symnb-node.kind-number rect{fill:#fdf3dd}.symnb-node.kind-other rect{fill:#f2f2f2}
.symnb-node.hl rect{stroke:#d62728;stroke-width:2.5}
.symnb-node.chosen rect{stroke:#2a7ae2;stroke-width:2}
.symnb-node.collapsed rect{stroke-dasharray:3 2;stroke-width:2}
.symnb-node:hover rect{stroke:#000;stroke-width:2}
.symnb-node .badge{font-size:10px;fill:#777}
.symnb-eclass{fill:rgba(120,120,120,0.06);stroke:#999;stroke-dasharray:4 3}
.symnb-eclass.hl{stroke:#d62728;stroke-width:2}
.symnb-eclass-cost{font-size:10px;fill:#666;text-anchor:end}
.symnb-dag-tip{position:absolute;z-index:10;max-width:520px;pointer-events:none;
 background:var(--jp-layout-color1,#fff);border:1px solid #999;border-radius:4px;padding:4px 6px;
 box-shadow:0 2px 6px rgba(0,0,0,.2);white-space:pre-wrap;word-break:break-word}
.symnb-dag-tip code{font-family:var(--jp-code-font-family,monospace)}
.symnb-minimap{position:absolute;right:6px;bottom:6px;z-index:5;line-height:0;cursor:crosshair;
 border:1px solid var(--jp-border-color1,#999);border-radius:2px;opacity:.92;touch-action:none;
 background:var(--jp-layout-color1,#fff);box-shadow:0 1px 4px rgba(0,0,0,.25)}
.symnb-minimap canvas{display:block}
.symnb-minimap-view{position:absolute;box-sizing:border-box;pointer-events:none;
 border:1.5px solid #2a7ae2;background:rgba(42,122,226,.14)}
.symnb-dag-error{border:1px solid #d62728;background:#fde8e8;color:#8a1010;padding:6px 8px;
 border-radius:3px;font-family:var(--jp-code-font-family,monospace)}
`;

let cssInstalled = false;
function installCss(): void {
  if (cssInstalled || typeof document === 'undefined') {
    return;
  }
  const style = document.createElement('style');
  style.setAttribute('data-symnb', 'dag');
  style.textContent = CSS;
  document.head.appendChild(style);
  cssInstalled = true;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: { [k: string]: string | number } = {},
  parent?: Element
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVGNS, tag);
  for (const k in attrs) {
    el.setAttribute(k, String(attrs[k]));
  }
  if (parent) {
    parent.appendChild(el);
  }
  return el;
}

function shortLabel(s: string): string {
  return s.length <= LABEL_MAX ? s : s.slice(0, LABEL_MAX - 1) + '…';
}

function kindOf(n: IDagNode): string {
  if (n.kind) {
    return n.kind;
  }
  return n.op === 'Symbol' ? 'symbol' : n.op === 'Number' ? 'number' : 'call';
}

export class DagWidget extends Widget implements IRenderMime.IRenderer {
  private _mime: string;
  private _typesetter: IRenderMime.ILatexTypesetter | null;
  private _p: IPayload | null = null;
  private _byId = new Map<string, IDagNode>();
  private _cls = new Map<string, IEClass>();
  private _collapsed = new Set<string>();
  private _view = { x: 0, y: 0, k: 1 };
  private _viewport: SVGGElement | null = null;
  private _svg: SVGSVGElement | null = null;
  private _tip: HTMLDivElement | null = null;
  private _stats: HTMLSpanElement | null = null;
  private _lay: ILayout | null = null;
  private _stage: HTMLDivElement | null = null;
  private _mini: Minimap | null = null;
  private _miniRects: IMiniRect[] = [];
  private _miniDirty = true;
  private _resizeObs: ResizeObserver | null = null;

  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mime = options.mimeType;
    this._typesetter = options.latexTypesetter || null;
    this.addClass('symnb-dag');
    installCss();
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const t0 = performance.now();
    this.node.textContent = '';
    try {
      this._p = readPayload(model.data[this._mime]);
    } catch (e) {
      this.showError((e as Error).message);
      return;
    }
    try {
      this._index();
      this._buildChrome();
      this._draw(true);
    } catch (e) {
      this.node.textContent = '';
      this.showError(`cannot draw this graph: ${(e as Error).message}`);
      return;
    }
    this.node.dataset.renderMs = (performance.now() - t0).toFixed(1);
    // time until the browser has painted the drawing (two animation frames later)
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        this.node.dataset.paintMs = (performance.now() - t0).toFixed(1);
      })
    );
  }

  showError(message: string): void {
    const box = document.createElement('div');
    box.className = 'symnb-dag-error';
    box.textContent = `symnb DAG view: ${message}`;
    this.node.appendChild(box);
  }

  private _index(): void {
    const p = this._p as IPayload;
    this._byId = new Map(p.nodes.map(n => [n.id, n]));
    this._cls = new Map((p.classes || []).map(c => [c.id, c]));
    this._collapsed.clear();
  }

  private _buildChrome(): void {
    const p = this._p as IPayload;
    const bar = document.createElement('div');
    bar.className = 'symnb-dag-bar';
    if (p.title) {
      const t = document.createElement('span');
      t.className = 'symnb-dag-title';
      t.textContent = p.title;
      bar.appendChild(t);
    }
    this._stats = document.createElement('span');
    this._stats.className = 'symnb-dag-stats';
    bar.appendChild(this._stats);
    const button = (label: string, title: string, fn: () => void, cls: string) => {
      const b = document.createElement('button');
      b.textContent = label;
      b.title = title;
      b.className = cls;
      b.addEventListener('click', ev => {
        ev.stopPropagation();
        fn();
      });
      bar.appendChild(b);
    };
    button('+', 'zoom in', () => this._zoomBy(1.25), 'symnb-zoom-in');
    button('−', 'zoom out', () => this._zoomBy(0.8), 'symnb-zoom-out');
    button('fit', 'fit the graph into view', () => this._fit(), 'symnb-fit');
    button('expand all', 'expand every collapsed node', () => {
      this._collapsed.clear();
      this._draw(false);
    }, 'symnb-expand-all');
    this.node.appendChild(bar);
    // a single expression with its LaTeX: show the formula above its graph
    const root = p.kind === 'dag' && p.roots.length === 1 ? this._byId.get(p.roots[0]) : undefined;
    if (root && root.latex && this._typesetter) {
      const f = document.createElement('div');
      f.className = 'symnb-dag-formula';
      f.textContent = `$$${root.latex}$$`;
      this.node.appendChild(f);
      this._typesetter.typeset(f);
    }
    const tr = p.truncated;
    if (tr) {
      const b = document.createElement('div');
      b.className = 'symnb-dag-truncated';
      b.textContent =
        `Showing ${tr.shown} of ${tr.total} nodes: ${tr.omitted} left out ` +
        `(node budget ${tr.budget !== undefined ? tr.budget : tr.shown}). ` +
        'Nodes marked ⋯ have cut-off arguments.';
      this.node.appendChild(b);
    }
    const s = svg('svg', { class: 'symnb-dag-svg' });
    this._svg = s;
    this._viewport = svg('g', { class: 'symnb-viewport' }, s);
    this._stage = document.createElement('div');
    this._stage.className = 'symnb-dag-stage';
    this._stage.appendChild(s);
    this.node.appendChild(this._stage);
    this._mini = null;
    if (this._resizeObs) {
      this._resizeObs.disconnect();
    }
    if (typeof ResizeObserver !== 'undefined') {
      // the view's width changes with the panel: keep the minimap's box in step
      this._resizeObs = new ResizeObserver(() => this._updateMinimap());
      this._resizeObs.observe(s);
    }
    this._tip = document.createElement('div');
    this._tip.className = 'symnb-dag-tip';
    this._tip.style.display = 'none';
    this.node.appendChild(this._tip);
    this._wire(s);
  }

  /** Units reachable from the roots without entering collapsed nodes. */
  private _visible(): { units: string[]; nodes: string[] } {
    const p = this._p as IPayload;
    const eg = p.kind === 'egraph';
    const seen = new Set<string>();
    const units: string[] = [];
    const nodes: string[] = [];
    const stack = p.roots.slice().reverse();
    while (stack.length) {
      const u = stack.pop() as string;
      if (seen.has(u)) {
        continue;
      }
      seen.add(u);
      units.push(u);
      const members = eg ? (this._cls.get(u) as IEClass).nodes : [u];
      for (const m of members) {
        nodes.push(m);
        if (this._collapsed.has(m)) {
          continue;
        }
        const ch = (this._byId.get(m) as IDagNode).children;
        for (let i = ch.length - 1; i >= 0; i--) {
          if (!seen.has(ch[i])) {
            stack.push(ch[i]);
          }
        }
      }
    }
    return { units, nodes };
  }

  private _width(id: string): number {
    const n = this._byId.get(id) as IDagNode;
    return Math.max(26, CHAR_W * shortLabel(n.label).length + 14);
  }

  private _draw(initial: boolean): void {
    const p = this._p as IPayload;
    const vp = this._viewport as SVGGElement;
    vp.textContent = '';
    const eg = p.kind === 'egraph';
    const vis = this._visible();
    const visSet = new Set(vis.units);
    const hl = new Set(p.highlight || []);
    const widths = new Map<string, number>();
    const heights = new Map<string, number>();
    const succ = new Map<string, string[]>();
    for (const u of vis.units) {
      if (eg) {
        const c = this._cls.get(u) as IEClass;
        let w = CLS_PAD;
        const s: string[] = [];
        for (const m of c.nodes) {
          w += this._width(m) + CLS_PAD;
          if (!this._collapsed.has(m)) {
            s.push(...(this._byId.get(m) as IDagNode).children.filter(x => visSet.has(x)));
          }
        }
        widths.set(u, w);
        heights.set(u, NODE_H + 2 * CLS_PAD);
        succ.set(u, s);
      } else {
        widths.set(u, this._width(u));
        heights.set(u, NODE_H);
        const n = this._byId.get(u) as IDagNode;
        succ.set(u, this._collapsed.has(u) ? [] : n.children.filter(x => visSet.has(x)));
      }
    }
    const lay = layout(vis.units, succ, widths, heights, p.roots);
    this._lay = lay;
    const mini: IMiniRect[] = [];
    for (const u of vis.units) {
      const b = lay.pos.get(u) as { x: number; y: number };
      const w = widths.get(u) as number;
      const h = heights.get(u) as number;
      mini.push({ x: b.x - w / 2, y: b.y - h / 2, w, h, hl: hl.has(u) });
    }
    this._miniRects = mini;
    this._miniDirty = true;
    // node centres
    const centre = new Map<string, { x: number; y: number }>();
    if (eg) {
      for (const u of vis.units) {
        const b = lay.pos.get(u) as { x: number; y: number };
        const c = this._cls.get(u) as IEClass;
        let cur = b.x - (widths.get(u) as number) / 2 + CLS_PAD;
        for (const m of c.nodes) {
          const w = this._width(m);
          centre.set(m, { x: cur + w / 2, y: b.y });
          cur += w + CLS_PAD;
        }
      }
    } else {
      for (const u of vis.units) {
        centre.set(u, lay.pos.get(u) as { x: number; y: number });
      }
    }
    const edges = svg('g', { class: 'edges' }, vp);
    const clusters = svg('g', { class: 'clusters' }, vp);
    const nodesG = svg('g', { class: 'nodes' }, vp);
    if (eg) {
      for (const u of vis.units) {
        const b = lay.pos.get(u) as { x: number; y: number };
        const w = widths.get(u) as number;
        const h = heights.get(u) as number;
        const c = this._cls.get(u) as IEClass;
        const r = svg('rect', {
          class: 'symnb-eclass' + (hl.has(u) ? ' hl' : ''),
          x: b.x - w / 2, y: b.y - h / 2, width: w, height: h, rx: 7, 'data-class': u
        }, clusters);
        const t = svg('title', {}, r);
        t.textContent = `e-class ${u}: ${c.nodes.length} e-node(s)` +
          (c.cost !== undefined && c.cost !== null ? `, best cost ${c.cost}` : '');
        if (c.cost !== undefined && c.cost !== null) {
          const ct = svg('text', { class: 'symnb-eclass-cost', x: b.x + w / 2 - 3,
            y: b.y - h / 2 - 3 }, clusters);
          ct.textContent = `cost ${c.cost}`;
        }
      }
    }
    const chosen = new Set<string>();
    for (const c of this._cls.values()) {
      if (c.chosen) {
        chosen.add(c.chosen);
      }
    }
    const parts: string[] = [];
    const hparts: string[] = [];
    for (const id of vis.nodes) {
      const n = this._byId.get(id) as IDagNode;
      if (this._collapsed.has(id)) {
        continue;
      }
      const a = centre.get(id) as { x: number; y: number };
      const w = this._width(id);
      const y1 = a.y + NODE_H / 2;
      n.children.forEach((ch, i) => {
        if (!visSet.has(ch)) {
          return;
        }
        const sx = a.x - w / 2 + ((i + 1) * w) / (n.children.length + 1);
        let tx: number;
        let ty: number;
        if (eg) {
          const b = lay.pos.get(ch) as { x: number; y: number };
          tx = b.x;
          ty = b.y - (heights.get(ch) as number) / 2;
        } else {
          const b = centre.get(ch) as { x: number; y: number };
          tx = b.x;
          ty = b.y - NODE_H / 2;
        }
        const d = ty > y1
          ? `M${sx.toFixed(1)} ${y1.toFixed(1)}C${sx.toFixed(1)} ${((y1 + ty) / 2).toFixed(1)} ` +
            `${tx.toFixed(1)} ${((y1 + ty) / 2).toFixed(1)} ${tx.toFixed(1)} ${ty.toFixed(1)}`
          : `M${sx.toFixed(1)} ${y1.toFixed(1)}C${sx.toFixed(1)} ${(y1 + 40).toFixed(1)} ` +
            `${tx.toFixed(1)} ${(ty - 40).toFixed(1)} ${tx.toFixed(1)} ${ty.toFixed(1)}`;
        (hl.has(id) && hl.has(ch) ? hparts : parts).push(d);
      });
    }
    // one path per style keeps thousands of edges cheap to draw
    if (parts.length) {
      svg('path', { class: 'edge', d: parts.join('') }, edges);
    }
    if (hparts.length) {
      svg('path', { class: 'edge hl', d: hparts.join('') }, edges);
    }
    for (const id of vis.nodes) {
      const n = this._byId.get(id) as IDagNode;
      const a = centre.get(id) as { x: number; y: number };
      const w = this._width(id);
      let cls = `symnb-node kind-${kindOf(n)}`;
      if (hl.has(id)) {
        cls += ' hl';
      }
      if (chosen.has(id)) {
        cls += ' chosen';
      }
      const collapsed = this._collapsed.has(id);
      if (collapsed) {
        cls += ' collapsed';
      }
      const g = svg('g', {
        class: cls, 'data-id': id,
        transform: `translate(${(a.x - w / 2).toFixed(1)},${(a.y - NODE_H / 2).toFixed(1)})`
      }, nodesG);
      svg('rect', { width: w.toFixed(1), height: NODE_H }, g);
      const t = svg('text', { x: (w / 2).toFixed(1), y: NODE_H / 2 }, g);
      t.textContent = shortLabel(n.label);
      let badge = '';
      if (collapsed && n.children.length) {
        badge = `▸ ${n.children.length} hidden`;
      } else if (n.elided) {
        badge = `⋯ ${n.elided} cut`;
      }
      if (badge) {
        const b = svg('text', { class: 'badge', x: (w / 2).toFixed(1), y: NODE_H + 9 }, g);
        b.textContent = badge;
      }
    }
    const s = this._svg as SVGSVGElement;
    s.dataset.nodes = String(vis.nodes.length);
    s.dataset.layout = lay.engine;
    if (initial) {
      const h = Math.min(Math.max(lay.height * this._fitScale() + 20, 80), 640);
      s.style.height = `${h}px`;
    }
    if (this._stats) {
      const extra = eg ? ` · ${vis.units.length} e-classes` : '';
      const coll = this._collapsed.size ? ` · ${this._collapsed.size} collapsed` : '';
      this._stats.textContent =
        `${vis.nodes.length} nodes${extra} · layout: ${lay.engine}${coll} · ` +
        'drag to pan, wheel to zoom, click a node to collapse/expand';
    }
    if (initial) {
      this._fit();
    } else {
      this._apply();
    }
  }

  private _svgWidth(): number {
    const s = this._svg as SVGSVGElement;
    const w = s.getBoundingClientRect().width;
    return w > 10 ? w : 900;
  }

  /** Scale that fits the width; very wide graphs start readable instead (then pan). */
  private _fitScale(): number {
    const lay = this._lay as ILayout;
    const k = Math.min(1.5, (this._svgWidth() - 10) / Math.max(lay.width, 1));
    return k < MIN_FIT_SCALE ? READABLE_SCALE : k;
  }

  private _fit(): void {
    const lay = this._lay;
    const s = this._svg;
    if (!lay || !s) {
      return;
    }
    const W = this._svgWidth();
    const H = parseFloat(s.style.height) || 400;
    let k = Math.min(this._fitScale(), (H - 10) / Math.max(lay.height, 1));
    let x: number;
    if (k * lay.width <= W) {
      x = (W - lay.width * k) / 2;
    } else {
      // too wide to fit legibly: centre the first root and let the user pan
      k = Math.max(k, READABLE_SCALE * 0.5);
      const p = this._p as IPayload;
      const r = p.roots.length ? lay.pos.get(p.roots[0]) : undefined;
      x = W / 2 - (r ? r.x : 0) * k;
    }
    this._view = { k, x, y: 5 };
    this._apply();
  }

  private _zoomBy(f: number, cx?: number, cy?: number): void {
    const s = this._svg as SVGSVGElement;
    const box = s.getBoundingClientRect();
    const px = cx !== undefined ? cx : box.width / 2;
    const py = cy !== undefined ? cy : box.height / 2;
    const v = this._view;
    const k = Math.min(Math.max(v.k * f, 0.01), 20);
    v.x = px - ((px - v.x) * k) / v.k;
    v.y = py - ((py - v.y) * k) / v.k;
    v.k = k;
    this._apply();
  }

  private _apply(): void {
    const v = this._view;
    (this._viewport as SVGGElement).setAttribute(
      'transform', `translate(${v.x.toFixed(2)},${v.y.toFixed(2)}) scale(${v.k.toFixed(4)})`);
    this._updateMinimap();
  }

  private _svgHeight(): number {
    const s = this._svg as SVGSVGElement;
    const h = s.getBoundingClientRect().height;
    return h > 10 ? h : parseFloat(s.style.height) || 400;
  }

  /** Show the minimap while the graph at the current zoom is larger than the view; it is
   * built on first need and its canvas redrawn only after a new layout. */
  private _updateMinimap(): void {
    const lay = this._lay;
    const stage = this._stage;
    if (!lay || !stage || !this._svg) {
      return;
    }
    const v = this._view;
    const W = this._svgWidth();
    const H = this._svgHeight();
    const need = lay.width * v.k > W + 1 || lay.height * v.k > H + 1;
    if (!need) {
      if (this._mini) {
        this._mini.node.style.display = 'none';
      }
      return;
    }
    if (!this._mini) {
      this._mini = new Minimap((gx, gy) => this._centreOn(gx, gy));
      stage.appendChild(this._mini.node);
    }
    const m = this._mini;
    if (this._miniDirty) {
      m.draw(this._miniRects, lay.width, lay.height);
      this._miniDirty = false;
    }
    m.node.style.display = '';
    m.setViewport(-v.x / v.k, -v.y / v.k, (W - v.x) / v.k, (H - v.y) / v.k);
  }

  /** Pan (zoom unchanged) so that graph point (gx, gy) is in the middle of the view. */
  private _centreOn(gx: number, gy: number): void {
    const v = this._view;
    v.x = this._svgWidth() / 2 - gx * v.k;
    v.y = this._svgHeight() / 2 - gy * v.k;
    this._hideTip();
    this._apply();
  }

  dispose(): void {
    if (this._resizeObs) {
      this._resizeObs.disconnect();
      this._resizeObs = null;
    }
    super.dispose();
  }

  private _wire(s: SVGSVGElement): void {
    let drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | null = null;
    s.addEventListener('pointerdown', ev => {
      drag = { x: ev.clientX, y: ev.clientY, vx: this._view.x, vy: this._view.y, moved: false };
    });
    s.addEventListener('pointermove', ev => {
      if (drag && (ev.buttons & 1)) {
        const dx = ev.clientX - drag.x;
        const dy = ev.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) {
          if (!drag.moved) {
            s.classList.add('dragging');
          }
          drag.moved = true;
          this._view.x = drag.vx + dx;
          this._view.y = drag.vy + dy;
          this._apply();
        }
      } else {
        this._hover(ev);
      }
    });
    const end = (ev: PointerEvent) => {
      const d = drag;
      drag = null;
      s.classList.remove('dragging');
      if (d && !d.moved) {
        const el = (ev.target as Element).closest('.symnb-node');
        if (el) {
          this._toggle(el.getAttribute('data-id') as string);
        }
      }
    };
    s.addEventListener('pointerup', end);
    s.addEventListener('pointerleave', () => {
      drag = null;
      s.classList.remove('dragging');
      this._hideTip();
    });
    s.addEventListener('wheel', ev => {
      ev.preventDefault();
      const box = s.getBoundingClientRect();
      this._zoomBy(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - box.left, ev.clientY - box.top);
    }, { passive: false });
  }

  private _toggle(id: string): void {
    const n = this._byId.get(id);
    if (!n || !n.children.length) {
      return;
    }
    if (this._collapsed.has(id)) {
      this._collapsed.delete(id);
    } else {
      this._collapsed.add(id);
    }
    this._hideTip();
    this._draw(false);
  }

  private _hideTip(): void {
    if (this._tip) {
      this._tip.style.display = 'none';
      this._tip.dataset.id = '';
    }
  }

  private _hover(ev: PointerEvent): void {
    const tip = this._tip as HTMLDivElement;
    const el = (ev.target as Element).closest ? (ev.target as Element).closest('.symnb-node') : null;
    if (!el) {
      this._hideTip();
      return;
    }
    const id = el.getAttribute('data-id') as string;
    const host = this.node.getBoundingClientRect();
    tip.style.left = `${ev.clientX - host.left + 14}px`;
    tip.style.top = `${ev.clientY - host.top + 14}px`;
    if (tip.dataset.id === id && tip.style.display !== 'none') {
      return;
    }
    const n = this._byId.get(id) as IDagNode;
    tip.dataset.id = id;
    tip.textContent = '';
    const head = document.createElement('div');
    const bits = [`${n.op}`];
    if (n.class) {
      bits.push(`e-class ${n.class}`);
    }
    if (n.value !== undefined && n.value !== null) {
      bits.push(`value ${n.value}`);
    }
    if (n.cost !== undefined && n.cost !== null) {
      bits.push(`cost ${n.cost}`);
    }
    head.textContent = bits.join(' · ');
    tip.appendChild(head);
    const p = this._p as IPayload;
    if (n.latex && this._typesetter) {
      const m = document.createElement('div');
      m.className = 'symnb-dag-tip-latex';
      m.textContent = `$${n.latex}$`;
      tip.appendChild(m);
      this._typesetter.typeset(m);
    }
    const code = document.createElement('code');
    code.className = 'symnb-dag-tip-text';
    code.textContent = n.text !== undefined ? n.text
      : p.kind === 'dag' ? subexpressionText(this._byId, id) : n.label;
    tip.appendChild(code);
    tip.style.display = 'block';
  }
}
