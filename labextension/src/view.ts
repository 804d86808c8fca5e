/**
 * One rendered graph: its chrome, the draw cycle (place, draw, size, fit), collapse and
 * expand, the minimap kept in step with the view, and the tooltip.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { buildChrome, IChrome } from './chrome';
import { drawScene } from './draw';
import { DagGraph } from './graph';
import { wirePointer } from './interaction';
import { MinimapSlot } from './minimap';
import { PanZoom } from './panzoom';
import { IScene, miniRects, placeGraph } from './scene';
import { Tooltip } from './tooltip';

const HINT = 'drag to pan, wheel to zoom, click a node to collapse/expand';

export class DagView {
  private _chrome: IChrome;
  private _pz: PanZoom;
  private _mini: MinimapSlot;
  private _tip: Tooltip;
  private _scene: IScene | null = null;
  private _resizeObs: ResizeObserver | null = null;

  /** Build the view of ``_g`` inside ``host`` (drawn by ``draw``). */
  constructor(
    host: HTMLElement,
    private _g: DagGraph,
    typesetter: IRenderMime.ILatexTypesetter | null
  ) {
    this._chrome = buildChrome(host, _g, typesetter, {
      zoomBy: f => this._pz.zoomBy(f),
      fit: () => this._fit(),
      expandAll: () => {
        _g.collapsed.clear();
        this.draw(false);
      }
    });
    const { svg, viewport, stage } = this._chrome;
    this._pz = new PanZoom(svg, viewport, () => this._updateMinimap());
    this._mini = new MinimapSlot(stage, (gx, gy) => this._centreOn(gx, gy));
    if (typeof ResizeObserver !== 'undefined') {
      // the view's width changes with the panel: keep the minimap's box in step
      this._resizeObs = new ResizeObserver(() => this._updateMinimap());
      this._resizeObs.observe(svg);
    }
    this._tip = new Tooltip(_g, host, typesetter);
    host.appendChild(this._tip.node);
    wirePointer(svg, this._pz, {
      toggle: id => this._toggle(id),
      hover: ev => this._tip.hover(ev),
      leave: () => this._tip.hide()
    });
  }

  /** Lay out and draw what is visible; the first draw also sizes and fits the view. */
  draw(initial: boolean): void {
    const vp = this._chrome.viewport;
    vp.textContent = '';
    const hl = new Set(this._g.payload.highlight || []);
    const sc = placeGraph(this._g);
    this._scene = sc;
    this._mini.setRects(miniRects(sc, hl));
    drawScene(vp, this._g, sc, hl);
    this._describe(sc, initial);
    if (initial) {
      this._fit();
    } else {
      this._pz.apply();
    }
  }

  dispose(): void {
    if (this._resizeObs) {
      this._resizeObs.disconnect();
      this._resizeObs = null;
    }
  }

  /** Data attributes, first height and the statistics line. */
  private _describe(sc: IScene, initial: boolean): void {
    const s = this._chrome.svg;
    const lay = sc.lay;
    s.dataset.nodes = String(sc.nodes.length);
    s.dataset.layout = lay.engine;
    if (initial) {
      const h = Math.min(Math.max(lay.height * this._pz.fitScale(lay) + 20, 80), 640);
      s.style.height = `${h}px`;
    }
    const n = this._g.collapsed.size;
    const extra = this._g.egraph ? ` · ${sc.units.length} e-classes` : '';
    const coll = n ? ` · ${n} collapsed` : '';
    this._chrome.stats.textContent =
      `${sc.nodes.length} nodes${extra} · layout: ${lay.engine}${coll} · ` + HINT;
  }

  private _fit(): void {
    const sc = this._scene;
    if (!sc) {
      return;
    }
    const roots = this._g.payload.roots;
    this._pz.fit(sc.lay, roots.length ? sc.lay.pos.get(roots[0]) : undefined);
  }

  private _toggle(id: string): void {
    if (this._g.toggle(id)) {
      this._tip.hide();
      this.draw(false);
    }
  }

  private _centreOn(gx: number, gy: number): void {
    this._tip.hide();
    this._pz.centreOn(gx, gy);
  }

  private _updateMinimap(): void {
    const sc = this._scene;
    if (!sc) {
      return;
    }
    const lay = sc.lay;
    this._mini.update(lay.width, lay.height, this._pz.view, this._pz.width(), this._pz.height());
  }
}
