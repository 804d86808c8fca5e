/**
 * The hover box of a node: operator, e-class, value and cost on one line, the LaTeX of
 * the subexpression when the payload has it, and its text.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { html } from './dom';
import { DagGraph } from './graph';
import { IDagNode, subexpressionText } from './payload';

/** Offset of the box from the pointer, pixels. */
const TIP_OFFSET = 14;

export class Tooltip {
  readonly node: HTMLDivElement;

  /** ``_host`` is the element the box is positioned in. */
  constructor(
    private _g: DagGraph,
    private _host: HTMLElement,
    private _typesetter: IRenderMime.ILatexTypesetter | null
  ) {
    this.node = html('div', 'symnb-dag-tip');
    this.node.style.display = 'none';
  }

  hide(): void {
    this.node.style.display = 'none';
    this.node.dataset.id = '';
  }

  /** Follow the pointer over a node, hide elsewhere. */
  hover(ev: PointerEvent): void {
    const target = ev.target as Element;
    const el = target.closest ? target.closest('.symnb-node') : null;
    if (!el) {
      this.hide();
      return;
    }
    const tip = this.node;
    const id = el.getAttribute('data-id') as string;
    const host = this._host.getBoundingClientRect();
    tip.style.left = `${ev.clientX - host.left + TIP_OFFSET}px`;
    tip.style.top = `${ev.clientY - host.top + TIP_OFFSET}px`;
    if (tip.dataset.id === id && tip.style.display !== 'none') {
      return;
    }
    tip.dataset.id = id;
    this._fill(id);
    tip.style.display = 'block';
  }

  private _fill(id: string): void {
    const tip = this.node;
    const n = this._g.node(id);
    tip.textContent = '';
    tip.appendChild(html('div', '', headline(n)));
    if (n.latex && this._typesetter) {
      const m = html('div', 'symnb-dag-tip-latex', `$${n.latex}$`);
      tip.appendChild(m);
      void this._typesetter.typeset(m);
    }
    tip.appendChild(html('code', 'symnb-dag-tip-text', this._text(n)));
  }

  private _text(n: IDagNode): string {
    if (n.text !== undefined) {
      return n.text;
    }
    return this._g.payload.kind === 'dag' ? subexpressionText(this._g.byId, n.id) : n.label;
  }
}

function headline(n: IDagNode): string {
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
  return bits.join(' · ');
}
