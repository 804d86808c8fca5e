/**
 * JupyterLab 4 MIME renderer for symnb expression DAGs and e-graphs
 * (application/vnd.symnb.dag+json; schema in symnb/display/dag.py).
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { MIME_TYPE } from './payload';
import { DagWidget } from './widget';

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  createRenderer: options => new DagWidget(options)
};

const extension: IRenderMime.IExtension = {
  id: 'symnb-dag:plugin',
  rendererFactory,
  // rank 0: preferred over the SVG/LaTeX fallbacks of the same bundle
  rank: 0,
  dataType: 'json',
  documentWidgetFactoryOptions: []
};

export default extension;
