"""Large graphs open collapsed (issue 18): the DAG of expand((x+y+1)^60) shows its top
levels with a summary node for the long sum; an e-graph shows the extracted term's
classes and their alternatives; everything stays one click (or ``collapse=False``) away."""
from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest

import symnb
from symnb.display import MIME_TYPE, PayloadError, dag, dag_payload, egraph_payload, \
    validate_payload
from symnb.display.collapse import collapse_dag, collapse_egraph, visible_ids, \
    visible_payload
from symnb.display.dag import OPTIONS
from symnb.display.view import egraph_view

x, y = symnb.symbols("x y")
BIG = symnb.expand((x + y + 1) ** 60)


def test_expand_60_opens_collapsed_with_a_summary_node():
    v = dag(BIG)
    p = validate_payload(v.payload)
    assert p["stats"]["total_nodes"] == 2396 and p["truncated"] is None   # all of it travels
    shown = visible_ids(p)
    assert 10 < len(shown) <= OPTIONS.open_nodes
    byid = {n["id"]: n for n in p["nodes"]}
    root = byid[p["roots"][0]]
    assert root["label"] == "+" and len(root["children"]) == OPTIONS.wide_args
    group = byid[root["children"][-1]]
    n_terms = len(symnb.arguments(BIG))
    assert group["group"] is True and group["label"] == f"… {n_terms - 11:,} more"
    assert len(group["children"]) == n_terms - 11 and group["id"] in p["collapsed"]
    assert group["size"] > 1000                 # distinct nodes below the summary node
    # every node is reachable once every collapsed node is opened
    assert set(visible_ids(dict(p, collapsed=[]))) == set(byid)
    assert "opens collapsed" in repr(v)


def test_collapsed_svg_draws_what_opens_visible():
    v = dag(BIG)
    svg = ET.fromstring(v.svg)
    rects = svg.findall(".//{http://www.w3.org/2000/svg}rect")
    assert len(rects) == len(visible_ids(v.payload))
    assert "1,880 more" in v.svg


def test_small_graphs_and_explicit_budgets_are_not_collapsed():
    assert "collapsed" not in dag(x * y + 1).payload
    assert "collapsed" not in dag(BIG, max_nodes=3000).payload      # asked to see that many
    full = dag(BIG, collapse=False).payload
    assert "collapsed" not in full and full["truncated"]["shown"] == OPTIONS.max_nodes
    forced = dag(symnb.sin(x) * y + symnb.sin(x), collapse=True).payload
    assert validate_payload(forced)["collapsed"] == []           # fits: nothing closed


def test_collapse_dag_respects_its_budget_and_checks_arguments():
    p = dag_payload(BIG)
    for budget in (1, 5, 50, 300):
        q = collapse_dag(p, open_nodes=budget, wide=6)
        assert len(visible_ids(q)) <= max(budget, 1)
        validate_payload(q)
    with pytest.raises(ValueError, match="open_nodes must be >= 1"):
        collapse_dag(p, open_nodes=0)


def _chain_egraph():
    classes = {}
    for i in range(200):
        nxt = f"k{i + 1}"
        side = f"s{i}"
        classes[f"k{i}"] = [("Add", [nxt, side], 1.0), ("Mul", [side, nxt], 3.0),
                            ("Neg", [side], 2.0)]
        classes[side] = [("sin", [f"t{i}"], 5.0), ("cos", [f"t{i}"], 5.0)]
        classes[f"t{i}"] = [(f"x{i}", [], 1.0)]
    classes["k200"] = [("leaf", [], 1.0)]
    chosen = {f"k{i}": 2 if i == 5 else 0 for i in range(200)}
    chosen.update({f"s{i}": 0 for i in range(200)})
    return classes, chosen


def test_egraph_opens_on_the_extracted_path_with_alternatives():
    classes, chosen = _chain_egraph()
    v = egraph_view(classes, ["k0"], chosen=chosen, max_nodes=None)
    p = validate_payload(v.payload)
    assert len(p["nodes"]) > OPTIONS.collapse_above and p["collapsed"]
    shown = set(visible_ids(p))
    byid = {n["id"]: n for n in p["nodes"]}
    shown_classes = {byid[i]["class"] for i in shown}
    # the path: k0..k5 (k5 chose Neg, so k6.. are off the path), their s-classes, t-classes
    path = {p["classes"][list(classes).index(k)]["id"]
            for k in [f"k{i}" for i in range(6)] + [f"s{i}" for i in range(6)]
            + [f"t{i}" for i in range(6)]}
    assert shown_classes == path
    for c in p["classes"]:                     # path classes show every alternative
        if c["id"] in path:
            assert set(c["nodes"]) <= shown
            assert all(m in p["collapsed"] for m in c["nodes"]
                       if m != c["chosen"] and byid[m]["children"])
    small = visible_payload(p)                  # the static drawing keeps to the path
    assert len(small["classes"]) == len(path)
    ET.fromstring(v.svg)
    assert egraph_view(classes, ["k0"], chosen=chosen, collapse=False).payload.get(
        "collapsed") is None


def test_egraph_without_extraction_is_left_whole():
    classes, _ = _chain_egraph()
    p = egraph_payload(classes, ["k0"])
    assert collapse_egraph(p) is p


def test_bundle_carries_the_collapsed_payload():
    b = dag(BIG)._repr_mimebundle_()
    import json
    p = validate_payload(json.loads(b[MIME_TYPE]))
    assert p["collapsed"]


@pytest.mark.parametrize("mutate,message", [
    (lambda p: p.update(collapsed=["nope"]), "'collapsed' must list node ids"),
    (lambda p: p.update(collapsed="n0"), "'collapsed' must list node ids"),
    (lambda p: p["nodes"][0].update(size=-1), "'size' must be a non-negative integer"),
    (lambda p: p["nodes"][0].update(group="yes"), "'group' must be true or false"),
])
def test_validator_checks_the_collapsed_fields(mutate, message):
    p = copy.deepcopy(dag(BIG).payload)
    mutate(p)
    with pytest.raises(PayloadError, match=message):
        validate_payload(p)


NODE_CHECK = r"""
const { readFileSync } = await import('fs');
const lib = process.argv[2];
const { readPayload, subexpressionText } = await import(lib + '/payload.js');
const { DagGraph } = await import(lib + '/graph.js');
const p = readPayload(readFileSync(process.argv[3], 'utf8'));
const g = new DagGraph(p);
const open = g.visible().nodes.length;
const text = subexpressionText(g.byId, p.roots[0], 80);
g.collapsed.clear();
let bad = '';
try { readPayload(JSON.stringify({ ...p, collapsed: ['zz'] })); } catch (e) { bad = e.message; }
console.log(JSON.stringify({ open, all: g.visible().nodes.length, text, bad }));
"""


def test_renderer_opens_the_same_nodes(tmp_path):
    """The built renderer (labextension/lib) starts from the payload's collapsed set."""
    import json
    import shutil
    import subprocess
    from pathlib import Path
    lib = Path(__file__).resolve().parents[2] / "labextension" / "lib"
    if shutil.which("node") is None or not (lib / "graph.js").exists():
        pytest.skip("node or the built renderer (cd labextension && npm run build) missing")
    p = dag(BIG).payload
    (tmp_path / "p.json").write_text(json.dumps(p))
    (tmp_path / "check.mjs").write_text(NODE_CHECK)
    out = subprocess.run(["node", str(tmp_path / "check.mjs"), lib.as_uri(),
                          str(tmp_path / "p.json")], capture_output=True, text=True,
                         timeout=120, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["open"] == len(visible_ids(p)) and r["all"] == len(p["nodes"])
    assert r["text"].startswith("1 + (60*x) + (60*y)")      # the summary node reads inline
    assert r["bad"] == "'collapsed' must list node ids"
