/**
 * The DAG / e-graph renderer: reads the saved payload and shows it as a DagView (layered
 * SVG drawing with pan/zoom, collapse/expand, hover text and LaTeX, e-class clusters,
 * highlights, an explicit truncation banner and, when the graph is larger than its view,
 * a minimap), or a red box naming what is wrong with the payload.  Everything comes from
 * the saved output, so a reopened notebook renders without a kernel.  The styles are in
 * style/index.css, loaded by JupyterLab and Voila with the extension.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { html } from './dom';
import { DagGraph } from './graph';
import { IPayload, readPayload } from './payload';
import { DagView } from './view';

export class DagWidget extends Widget implements IRenderMime.IRenderer {
  private _mime: string;
  private _typesetter: IRenderMime.ILatexTypesetter | null;
  private _view: DagView | null = null;

  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mime = options.mimeType;
    this._typesetter = options.latexTypesetter || null;
    this.addClass('symnb-dag');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const t0 = performance.now();
    this.node.textContent = '';
    this._dropView();
    let p: IPayload;
    try {
      p = readPayload(model.data[this._mime]);
    } catch (e) {
      this.showError((e as Error).message);
      return;
    }
    try {
      this._view = new DagView(this.node, new DagGraph(p), this._typesetter);
      this._view.draw(true);
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
    this.node.appendChild(html('div', 'symnb-dag-error', `symnb DAG view: ${message}`));
  }

  dispose(): void {
    this._dropView();
    super.dispose();
  }

  private _dropView(): void {
    if (this._view) {
      this._view.dispose();
      this._view = null;
    }
  }
}
