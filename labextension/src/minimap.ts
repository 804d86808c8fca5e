/**
 * Minimap for graphs larger than their view: a small canvas overview (one tiny rectangle
 * per node or e-class, drawn once per layout) in a corner of the drawing, with the visible
 * part outlined by a box that moves without redrawing the canvas.  Clicking or dragging on
 * it asks the owner to centre the main view on that point.
 */

export const MINIMAP_MAX_W = 200;
export const MINIMAP_MAX_H = 110;
export const MINIMAP_MIN = 28;

/** A graph-space box for the overview: x, y (top left), w, h; hl marks highlighted ones. */
export interface IMiniRect {
  x: number;
  y: number;
  w: number;
  h: number;
  hl: boolean;
}

export class Minimap {
  readonly node: HTMLDivElement;
  private _canvas: HTMLCanvasElement;
  private _box: HTMLDivElement;
  private _sx = 1;
  private _sy = 1;
  private _w = 0;
  private _h = 0;

  /** ``onPan(gx, gy)``: centre the main view on graph point (gx, gy). */
  constructor(private _onPan: (gx: number, gy: number) => void) {
    this.node = document.createElement('div');
    this.node.className = 'symnb-minimap';
    this.node.title = 'overview: click or drag to move the view';
    this._canvas = document.createElement('canvas');
    this._canvas.className = 'symnb-minimap-canvas';
    this.node.appendChild(this._canvas);
    this._box = document.createElement('div');
    this._box.className = 'symnb-minimap-view';
    this.node.appendChild(this._box);
    this._wire();
  }

  /** Draw the overview of a ``width`` x ``height`` graph (once per layout). */
  draw(rects: IMiniRect[], width: number, height: number): void {
    const t0 = performance.now();
    const gw = Math.max(width, 1);
    const gh = Math.max(height, 1);
    const s = Math.min(MINIMAP_MAX_W / gw, MINIMAP_MAX_H / gh);
    // keep the aspect ratio unless one side would become too thin to hit
    const w = Math.max(MINIMAP_MIN, Math.round(gw * s));
    const h = Math.max(MINIMAP_MIN, Math.round(gh * s));
    this._w = w;
    this._h = h;
    this._sx = w / gw;
    this._sy = h / gh;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const c = this._canvas;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    c.style.width = `${w}px`;
    c.style.height = `${h}px`;
    this.node.dataset.nodes = String(rects.length);
    const ctx = c.getContext('2d');
    if (!ctx) {
      return;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const sx = this._sx;
    const sy = this._sy;
    const fill = (hl: boolean) => {
      ctx.beginPath();
      for (const r of rects) {
        if (r.hl === hl) {
          // at least one pixel each, so thousands of small nodes stay visible
          ctx.rect(r.x * sx, r.y * sy, Math.max(r.w * sx, 1), Math.max(r.h * sy, 1));
        }
      }
      ctx.fill();
    };
    ctx.fillStyle = '#7d8fa8';
    fill(false);
    ctx.fillStyle = '#d62728';
    fill(true);
    this.node.dataset.drawMs = (performance.now() - t0).toFixed(1);
  }

  /** Outline the visible graph region [x0, x1] x [y0, y1] (clipped to the overview). */
  setViewport(x0: number, y0: number, x1: number, y1: number): void {
    const cl = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
    const l = cl(x0 * this._sx, this._w - 2);
    const t = cl(y0 * this._sy, this._h - 2);
    const r = cl(x1 * this._sx, this._w);
    const b = cl(y1 * this._sy, this._h);
    const st = this._box.style;
    st.left = `${l.toFixed(1)}px`;
    st.top = `${t.toFixed(1)}px`;
    st.width = `${Math.max(r - l, 2).toFixed(1)}px`;
    st.height = `${Math.max(b - t, 2).toFixed(1)}px`;
  }

  private _wire(): void {
    const c = this._canvas;
    let active = false;
    const pan = (ev: PointerEvent) => {
      const box = c.getBoundingClientRect();
      const mx = Math.min(Math.max(ev.clientX - box.left, 0), box.width);
      const my = Math.min(Math.max(ev.clientY - box.top, 0), box.height);
      // the canvas may be shown scaled: map through its on-screen size
      const gx = (mx * this._w) / Math.max(box.width, 1) / this._sx;
      const gy = (my * this._h) / Math.max(box.height, 1) / this._sy;
      this._onPan(gx, gy);
    };
    this.node.addEventListener('pointerdown', ev => {
      if (ev.button !== 0) {
        return;
      }
      ev.preventDefault();
      ev.stopPropagation();
      active = true;
      this.node.classList.add('dragging');
      try {
        this.node.setPointerCapture(ev.pointerId);
      } catch {
        // capture is a nicety (drag leaving the box); panning works without it
      }
      pan(ev);
    });
    this.node.addEventListener('pointermove', ev => {
      if (active && ev.buttons & 1) {
        ev.stopPropagation();
        pan(ev);
      }
    });
    const end = (ev: PointerEvent) => {
      if (!active) {
        return;
      }
      active = false;
      this.node.classList.remove('dragging');
      try {
        this.node.releasePointerCapture(ev.pointerId);
      } catch {
        // not captured
      }
    };
    this.node.addEventListener('pointerup', end);
    this.node.addEventListener('pointercancel', end);
  }
}

/**
 * Where the minimap goes: shown while the graph at the current zoom is larger than the
 * view, built on first need, its canvas redrawn only after a new layout.
 */
export class MinimapSlot {
  private _mini: Minimap | null = null;
  private _rects: IMiniRect[] = [];
  private _dirty = true;

  /** The minimap is added to ``_stage``; ``_onPan`` as for Minimap. */
  constructor(
    private _stage: HTMLElement,
    private _onPan: (gx: number, gy: number) => void
  ) {}

  /** The overview's rectangles after a new layout. */
  setRects(rects: IMiniRect[]): void {
    this._rects = rects;
    this._dirty = true;
  }

  /** Show or hide the minimap for a graph of ``width`` x ``height`` seen through ``view``
   * (screen = graph * k + (x, y)) in a ``W`` x ``H`` drawing. */
  update(
    width: number,
    height: number,
    view: { x: number; y: number; k: number },
    W: number,
    H: number
  ): void {
    const v = view;
    if (!(width * v.k > W + 1 || height * v.k > H + 1)) {
      if (this._mini) {
        this._mini.node.style.display = 'none';
      }
      return;
    }
    if (!this._mini) {
      this._mini = new Minimap(this._onPan);
      this._stage.appendChild(this._mini.node);
    }
    const m = this._mini;
    if (this._dirty) {
      m.draw(this._rects, width, height);
      this._dirty = false;
    }
    m.node.style.display = '';
    m.setViewport(-v.x / v.k, -v.y / v.k, (W - v.x) / v.k, (H - v.y) / v.k);
  }
}
