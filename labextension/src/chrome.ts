/**
 * Everything around the drawing: the toolbar (title, statistics, zoom and expand buttons),
 * the typeset formula of a single expression, the truncation banner, and the SVG stage.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { html, svg } from './dom';
import { DagGraph } from './graph';
import { ITruncated } from './payload';

export interface IChromeActions {
  zoomBy(f: number): void;
  fit(): void;
  expandAll(): void;
}

export interface IChrome {
  stats: HTMLSpanElement;
  svg: SVGSVGElement;
  /** The group the pan/zoom transform applies to. */
  viewport: SVGGElement;
  /** The drawing's positioned container (the minimap sits in its corner). */
  stage: HTMLDivElement;
}

/** Append the toolbar, formula, banner and drawing stage to ``host``. */
export function buildChrome(
  host: HTMLElement,
  g: DagGraph,
  typesetter: IRenderMime.ILatexTypesetter | null,
  actions: IChromeActions
): IChrome {
  const bar = html('div', 'symnb-dag-bar');
  if (g.payload.title) {
    bar.appendChild(html('span', 'symnb-dag-title', g.payload.title));
  }
  const stats = html('span', 'symnb-dag-stats');
  bar.appendChild(stats);
  addButtons(bar, actions);
  host.appendChild(bar);
  addFormula(host, g, typesetter);
  const tr = g.payload.truncated;
  if (tr) {
    host.appendChild(html('div', 'symnb-dag-truncated', truncationText(tr)));
  }
  const s = svg('svg', { class: 'symnb-dag-svg' });
  const viewport = svg('g', { class: 'symnb-viewport' }, s);
  const stage = html('div', 'symnb-dag-stage');
  stage.appendChild(s);
  host.appendChild(stage);
  return { stats, svg: s, viewport, stage };
}

function addButtons(bar: HTMLElement, actions: IChromeActions): void {
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
  button('+', 'zoom in', () => actions.zoomBy(1.25), 'symnb-zoom-in');
  button('−', 'zoom out', () => actions.zoomBy(0.8), 'symnb-zoom-out');
  button('fit', 'fit the graph into view', () => actions.fit(), 'symnb-fit');
  button(
    'expand all',
    'expand every collapsed node',
    () => actions.expandAll(),
    'symnb-expand-all'
  );
}

/** A single expression with its LaTeX: show the formula above its graph. */
function addFormula(
  host: HTMLElement,
  g: DagGraph,
  typesetter: IRenderMime.ILatexTypesetter | null
): void {
  const p = g.payload;
  const root = p.kind === 'dag' && p.roots.length === 1 ? g.byId.get(p.roots[0]) : undefined;
  if (root && root.latex && typesetter) {
    const f = html('div', 'symnb-dag-formula', `$$${root.latex}$$`);
    host.appendChild(f);
    void typesetter.typeset(f);
  }
}

function truncationText(tr: ITruncated): string {
  return (
    `Showing ${tr.shown} of ${tr.total} nodes: ${tr.omitted} left out ` +
    `(node budget ${tr.budget !== undefined ? tr.budget : tr.shown}). ` +
    'Nodes marked ⋯ have cut-off arguments.'
  );
}
