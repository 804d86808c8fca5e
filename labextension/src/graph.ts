/**
 * The graph being shown: the payload indexed by id, the set of collapsed nodes, and the
 * units (nodes, or e-classes for an e-graph) reachable from the roots through expanded
 * nodes.
 */
import { IDagNode, IEClass, IPayload } from './payload';

export interface IVisible {
  /** Layout units in DFS order: node ids for a DAG, e-class ids for an e-graph. */
  units: string[];
  /** Node ids of the visible units (for an e-graph, every member of each class). */
  nodes: string[];
}

export class DagGraph {
  readonly payload: IPayload;
  readonly egraph: boolean;
  readonly byId: Map<string, IDagNode>;
  readonly classes: Map<string, IEClass>;
  readonly collapsed = new Set<string>();

  constructor(payload: IPayload) {
    this.payload = payload;
    this.egraph = payload.kind === 'egraph';
    this.byId = new Map(payload.nodes.map(n => [n.id, n]));
    this.classes = new Map((payload.classes || []).map(c => [c.id, c]));
    // a large graph opens collapsed: the payload says which nodes
    for (const id of payload.collapsed || []) {
      const n = this.byId.get(id);
      if (n && n.children.length) {
        this.collapsed.add(id);
      }
    }
  }

  node(id: string): IDagNode {
    return this.byId.get(id) as IDagNode;
  }

  eclass(id: string): IEClass {
    return this.classes.get(id) as IEClass;
  }

  /** The nodes a unit draws: the class members for an e-graph, else the node itself. */
  members(unit: string): string[] {
    return this.egraph ? this.eclass(unit).nodes : [unit];
  }

  /** Children drawn below node ``id`` (none while it is collapsed). */
  openChildren(id: string): string[] {
    return this.collapsed.has(id) ? [] : this.node(id).children;
  }

  /** Collapse or expand node ``id``; false when it has no children to hide. */
  toggle(id: string): boolean {
    const n = this.byId.get(id);
    if (!n || !n.children.length) {
      return false;
    }
    if (this.collapsed.has(id)) {
      this.collapsed.delete(id);
    } else {
      this.collapsed.add(id);
    }
    return true;
  }

  /** The e-nodes extraction chose, one per e-class that records one. */
  chosen(): Set<string> {
    const chosen = new Set<string>();
    for (const c of this.classes.values()) {
      if (c.chosen) {
        chosen.add(c.chosen);
      }
    }
    return chosen;
  }

  /** Units reachable from the roots without entering collapsed nodes. */
  visible(): IVisible {
    const seen = new Set<string>();
    const units: string[] = [];
    const nodes: string[] = [];
    const stack = this.payload.roots.slice().reverse();
    while (stack.length) {
      const u = stack.pop() as string;
      if (seen.has(u)) {
        continue;
      }
      seen.add(u);
      units.push(u);
      for (const m of this.members(u)) {
        nodes.push(m);
        const ch = this.openChildren(m);
        for (let i = ch.length - 1; i >= 0; i--) {
          if (!seen.has(ch[i])) {
            stack.push(ch[i]);
          }
        }
      }
    }
    return { units, nodes };
  }
}
