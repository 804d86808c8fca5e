/**
 * The view transform of the drawing: pan offset and zoom factor applied to the viewport
 * group, fitting the graph into the view, zooming about a point and centring on a point.
 */
import { IBox, ILayout } from './layout';

export const MIN_FIT_SCALE = 0.25;
export const READABLE_SCALE = 0.7;

/** Screen = graph * k + (x, y). */
export interface IView {
  x: number;
  y: number;
  k: number;
}

export class PanZoom {
  view: IView = { x: 0, y: 0, k: 1 };

  /** ``onApply`` runs after every change of the transform. */
  constructor(
    private _svg: SVGSVGElement,
    private _viewport: SVGGElement,
    private _onApply: () => void
  ) {}

  /** The drawing's width on screen (900 before it is laid out). */
  width(): number {
    const w = this._svg.getBoundingClientRect().width;
    return w > 10 ? w : 900;
  }

  /** The drawing's height on screen (its style height before it is laid out). */
  height(): number {
    const h = this._svg.getBoundingClientRect().height;
    return h > 10 ? h : parseFloat(this._svg.style.height) || 400;
  }

  /** Scale that fits the width; very wide graphs start readable instead (then pan). */
  fitScale(lay: ILayout): number {
    const k = Math.min(1.5, (this.width() - 10) / Math.max(lay.width, 1));
    return k < MIN_FIT_SCALE ? READABLE_SCALE : k;
  }

  /** Fit ``lay`` into the view; when too wide to fit legibly, centre ``root`` instead. */
  fit(lay: ILayout, root?: IBox): void {
    const W = this.width();
    const H = parseFloat(this._svg.style.height) || 400;
    let k = Math.min(this.fitScale(lay), (H - 10) / Math.max(lay.height, 1));
    let x: number;
    if (k * lay.width <= W) {
      x = (W - lay.width * k) / 2;
    } else {
      k = Math.max(k, READABLE_SCALE * 0.5);
      x = W / 2 - (root ? root.x : 0) * k;
    }
    this.view = { k, x, y: 5 };
    this.apply();
  }

  /** Zoom by ``f`` about screen point (cx, cy), the view's middle by default. */
  zoomBy(f: number, cx?: number, cy?: number): void {
    const box = this._svg.getBoundingClientRect();
    const px = cx !== undefined ? cx : box.width / 2;
    const py = cy !== undefined ? cy : box.height / 2;
    const v = this.view;
    const k = Math.min(Math.max(v.k * f, 0.01), 20);
    v.x = px - ((px - v.x) * k) / v.k;
    v.y = py - ((py - v.y) * k) / v.k;
    v.k = k;
    this.apply();
  }

  /** Move the pan offset to (x, y), zoom unchanged. */
  panTo(x: number, y: number): void {
    this.view.x = x;
    this.view.y = y;
    this.apply();
  }

  /** Pan (zoom unchanged) so that graph point (gx, gy) is in the middle of the view. */
  centreOn(gx: number, gy: number): void {
    const k = this.view.k;
    this.panTo(this.width() / 2 - gx * k, this.height() / 2 - gy * k);
  }

  apply(): void {
    const v = this.view;
    this._viewport.setAttribute(
      'transform',
      `translate(${v.x.toFixed(2)},${v.y.toFixed(2)}) scale(${v.k.toFixed(4)})`
    );
    this._onApply();
  }
}
