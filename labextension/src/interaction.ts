/**
 * Pointer and wheel handling on the drawing: drag to pan, click a node to collapse or
 * expand it, hover for its tooltip, wheel to zoom about the pointer.
 */
import { PanZoom } from './panzoom';

export interface IPointerHandlers {
  /** Collapse or expand node ``id`` (a click without drag on it). */
  toggle(id: string): void;
  /** The pointer moves over the drawing without dragging. */
  hover(ev: PointerEvent): void;
  /** The pointer leaves the drawing. */
  leave(): void;
}

interface IDrag {
  x: number;
  y: number;
  vx: number;
  vy: number;
  moved: boolean;
}

/** A drag shorter than this (|dx| + |dy|, pixels) is a click. */
const CLICK_SLOP = 3;

export function wirePointer(s: SVGSVGElement, pz: PanZoom, h: IPointerHandlers): void {
  wireDrag(s, pz, h);
  s.addEventListener(
    'wheel',
    ev => {
      ev.preventDefault();
      const box = s.getBoundingClientRect();
      pz.zoomBy(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - box.left, ev.clientY - box.top);
    },
    { passive: false }
  );
}

function wireDrag(s: SVGSVGElement, pz: PanZoom, h: IPointerHandlers): void {
  let drag: IDrag | null = null;
  s.addEventListener('pointerdown', ev => {
    drag = { x: ev.clientX, y: ev.clientY, vx: pz.view.x, vy: pz.view.y, moved: false };
  });
  s.addEventListener('pointermove', ev => {
    if (drag && ev.buttons & 1) {
      dragTo(s, pz, drag, ev);
    } else {
      h.hover(ev);
    }
  });
  s.addEventListener('pointerup', ev => {
    const d = drag;
    drag = null;
    s.classList.remove('dragging');
    if (d && !d.moved) {
      const el = (ev.target as Element).closest('.symnb-node');
      if (el) {
        h.toggle(el.getAttribute('data-id') as string);
      }
    }
  });
  s.addEventListener('pointerleave', () => {
    drag = null;
    s.classList.remove('dragging');
    h.leave();
  });
}

function dragTo(s: SVGSVGElement, pz: PanZoom, drag: IDrag, ev: PointerEvent): void {
  const dx = ev.clientX - drag.x;
  const dy = ev.clientY - drag.y;
  if (Math.abs(dx) + Math.abs(dy) > CLICK_SLOP) {
    if (!drag.moved) {
      s.classList.add('dragging');
    }
    drag.moved = true;
    pz.panTo(drag.vx + dx, drag.vy + dy);
  }
}
