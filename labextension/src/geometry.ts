/**
 * Sizes of the drawn boxes: node height, label width, e-class padding.
 */
import { IDagNode } from './payload';

export const NODE_H = 22;
export const CHAR_W = 7.4;
export const CLS_PAD = 6;
export const LABEL_MAX = 24;

/** The label as drawn: at most LABEL_MAX characters, the cut marked with an ellipsis. */
export function shortLabel(s: string): string {
  return s.length <= LABEL_MAX ? s : s.slice(0, LABEL_MAX - 1) + '…';
}

/** Width of a node's box, from its (shortened) label. */
export function nodeWidth(n: IDagNode): number {
  return Math.max(26, CHAR_W * shortLabel(n.label).length + 14);
}
