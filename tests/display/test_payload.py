"""DAG / e-graph payload schema, truncation, SVG fallback and term bundles."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from symnb import cos, exp, sin, symbols
from symnb.display import (MIME_TYPE, OPTIONS, DagView, PayloadError, dag, dag_payload,
                           egraph_payload, payload_svg, step_view, truncate_payload,
                           validate_payload)

x, y, z = symbols("x y z")
SVG_NS = "{http://www.w3.org/2000/svg}"


def big_expr(n_nodes: int) -> list:
    xs = symbols("x0:200")
    out, i = [], 0
    while True:
        for _ in range(50):
            out.append(sin(xs[i % 200] * xs[(7 * i) % 200] + i) + xs[(3 * i) % 200] ** (i % 5 + 2))
            i += 1
        if dag_payload(out, max_nodes=10 ** 6)["stats"]["nodes"] >= n_nodes:
            return out


def test_shared_nodes_once_and_argument_order():
    s = sin(x)
    p = validate_payload(dag_payload(s * y + s))
    byid = {n["id"]: n for n in p["nodes"]}
    assert sum(n["label"] == "sin" for n in p["nodes"]) == 1
    pw = dag_payload(x ** y)
    root = {n["id"]: n for n in pw["nodes"]}[pw["roots"][0]]
    labels = {n["id"]: n["label"] for n in pw["nodes"]}
    assert [labels[c] for c in root["children"]] == ["x", "y"]      # base, exponent
    assert p["stats"]["edges"] == sum(len(n["children"]) for n in byid.values())


def test_small_graph_has_node_text_large_does_not():
    p = dag_payload(sin(x) * y)
    assert all("text" in n and "latex" in n for n in p["nodes"])
    big = dag_payload(big_expr(400))
    assert all("text" not in n for n in big["nodes"])


def test_values_and_costs():
    p = dag_payload(exp(x) + y * x, values={x: 0.0, y: 2.0}, costs={"Mul": 3.0})
    root = {n["id"]: n for n in p["nodes"]}[p["roots"][0]]
    assert root["value"] == 1.0
    assert [n.get("cost") for n in p["nodes"] if n["op"] == "Mul"] == [3.0]


def test_sympy_terms_through_interface():
    sp = pytest.importorskip("sympy")
    a, b = sp.symbols("a b")
    p = validate_payload(dag_payload(sp.sin(a) * b + sp.sin(a)))
    assert sorted(n["label"] for n in p["nodes"]) == sorted(["+", "×", "sin", "a", "b"])


def test_truncation_is_explicit():
    exprs = big_expr(600)
    p = validate_payload(dag_payload(exprs, max_nodes=100))
    assert len(p["nodes"]) == 100
    tr = p["truncated"]
    assert tr["shown"] == 100 and tr["budget"] == 100 and tr["omitted"] == tr["total"] - 100
    ids = {n["id"] for n in p["nodes"]}
    assert all(c in ids for n in p["nodes"] for c in n["children"])
    assert sum(n.get("elided", 0) for n in p["nodes"]) > 0
    svg = payload_svg(p)
    assert f"{tr['omitted']} of {tr['total']} nodes not shown" in svg


def test_truncate_payload_again():
    p = dag_payload(big_expr(300), max_nodes=10 ** 6)
    q = validate_payload(truncate_payload(p, 50))
    assert q["truncated"]["shown"] == 50 and q["truncated"]["total"] == len(p["nodes"])


def test_highlight_subtree():
    p = dag_payload(sin(x) * y + z, highlight=[sin(x)])
    labels = {n["id"]: n["label"] for n in p["nodes"]}
    assert sorted(labels[i] for i in p["highlight"]) == ["sin", "x"]


EG = {"a": [("Mul", ["b", "c"], 4.0), ("Add", ["b", "b"], 1.0)], "b": [("x", [], 1.0)],
      "c": [("2", [], 1.0)]}


def test_egraph_payload_roundtrip():
    p = validate_payload(egraph_payload(EG, ["a"], chosen={"a": 1},
                                        class_costs={"a": 3.0, "b": 1.0, "c": 1.0},
                                        highlight=["a"]))
    assert p["kind"] == "egraph" and p["stats"]["classes"] == 3
    a = p["classes"][0]
    assert a["chosen"] == "e1" and a["cost"] == 3.0 and a["nodes"] == ["e0", "e1"]
    assert p["nodes"][1]["children"] == ["c1", "c1"]
    json.loads(json.dumps(p))


def test_egraph_cycle_and_svg():
    cyc = {"r": [("Mul", ["r", "o"]), ("x", [])], "o": [("1", [])]}   # x*1 = x: a cycle
    p = egraph_payload(cyc, ["r"], chosen={"r": 1})
    root = ET.fromstring(payload_svg(p))
    assert len(root.findall(f".//{SVG_NS}rect")) == 3 + 2          # 3 e-nodes + 2 class boxes


def test_egraph_truncation_keeps_whole_classes():
    classes = {f"k{i}": [("f", [f"k{i+1}"]), ("g", [f"k{i+1}"])] for i in range(50)}
    classes["k50"] = [("leaf", [])]
    p = validate_payload(egraph_payload(classes, ["k0"], max_nodes=21))
    assert p["truncated"]["shown"] == 20 and len(p["classes"]) == 10


def _mut(kind: str, fn) -> dict:
    base = dag_payload(sin(x) * y) if kind == "dag" else egraph_payload(EG, ["a"])
    p = copy.deepcopy(base)
    fn(p)
    return p


BAD = [
    ("dag", lambda p: p.update(version=2), "unsupported payload version"),
    ("dag", lambda p: p.update(kind="tree"), "kind must be"),
    ("dag", lambda p: p.pop("nodes"), "'nodes' must be a list"),
    ("dag", lambda p: p["nodes"][0].pop("op"), "'op' must be a string"),
    ("dag", lambda p: p["nodes"].append(dict(p["nodes"][0])), "duplicate node id"),
    ("dag", lambda p: p["nodes"][0]["children"].append("zz"), "child 'zz' is not a node id"),
    ("dag", lambda p: p.update(roots=["zz"]), "root 'zz'"),
    ("dag", lambda p: p["nodes"][0].update(value="big"), "'value' must be a number"),
    ("dag", lambda p: p["nodes"][0].update(kind="blob"), "kind must be one of"),
    ("dag", lambda p: p.update(highlight=["zz"]), "'highlight'"),
    ("dag", lambda p: p.update(truncated={"total": 5, "shown": 1, "omitted": 1}),
     "total must equal"),
    ("egraph", lambda p: p.pop("classes"), "needs a 'classes' list"),
    ("egraph", lambda p: p["classes"][0].update(chosen="e2"), "is not in the class"),
    ("egraph", lambda p: p["nodes"][0].update({"class": "c2"}), "does not match"),
    ("egraph", lambda p: p["nodes"][0]["children"].append("e1"), "is not a class id"),
    ("egraph", lambda p: p["classes"][1].update(nodes=[]), "non-empty list"),
]


@pytest.mark.parametrize("kind,mutate,fragment", BAD)
def test_validator_names_the_problem(kind, mutate, fragment):
    with pytest.raises(PayloadError, match=None) as ei:
        validate_payload(_mut(kind, mutate))
    assert fragment in str(ei.value)
    with pytest.raises(PayloadError):
        DagView(_mut(kind, mutate))


def test_builders_reject_bad_input():
    with pytest.raises(ValueError, match="max_nodes"):
        dag_payload(x, max_nodes=0)
    with pytest.raises(PayloadError, match="unknown class"):
        egraph_payload({"a": [("f", ["nope"])]}, ["a"])
    with pytest.raises(PayloadError, match="root class"):
        egraph_payload({"a": [("f", [])]}, ["b"])


def test_svg_is_valid_xml_with_one_box_per_node():
    p = dag_payload(sin(x) * y + cos(x) * sin(x), highlight=[sin(x)])
    root = ET.fromstring(payload_svg(p))
    assert root.tag == f"{SVG_NS}svg"
    assert len(root.findall(f".//{SVG_NS}rect")) == len(p["nodes"])
    labels = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert "sin" in labels and "cos" in labels
    assert any("h" in r.get("class").split() for r in root.iter(f"{SVG_NS}rect"))


def test_svg_layout_layers_parents_above_children():
    p = dag_payload((x + y) * z)
    root = ET.fromstring(payload_svg(p))
    ys = {t.text: float(t.get("y")) for t in root.iter(f"{SVG_NS}text")}
    assert ys["×"] < ys["+"] < ys["x"]


def test_term_bundle_keeps_text_and_latex_and_adds_dag():
    b = (sin(x) * y)._repr_mimebundle_()
    assert b["text/plain"] == "y*sin(x)" or b["text/plain"] == "sin(x)*y"
    assert b["text/latex"].startswith("$")
    validate_payload(b[MIME_TYPE])
    ET.fromstring(b["image/svg+xml"])
    assert set(x._repr_mimebundle_()) == {"text/plain", "text/latex"}    # leaves: no graph
    OPTIONS.term_graphs = False
    try:
        assert MIME_TYPE not in (sin(x) * y)._repr_mimebundle_()
    finally:
        OPTIONS.term_graphs = True


def test_step_view_highlights_rewritten_subterm():
    from symnb.rewriting import rewrite, rule
    _, tr = rewrite(exp(sin(x) ** 2 + cos(x) ** 2 + y) * z,
                    [rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")], trace=True)
    v = step_view(tr, 0)
    assert v.payload["title"] == "step 0: pyth" and v.payload["highlight"]


def test_saved_size_of_1000_node_dag():
    nbformat = pytest.importorskip("nbformat")
    exprs = big_expr(1000)
    b = dag(exprs, max_nodes=1000)._repr_mimebundle_()
    assert isinstance(b[MIME_TYPE], str)                     # large: stored as a JSON string
    p = validate_payload(json.loads(b[MIME_TYPE]))
    assert p["stats"]["nodes"] == 1000
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("dag(exprs)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=b)]
    nb.cells.append(cell)
    nbformat.validate(nb)
    size = len(nbformat.writes(nb).encode())
    print(f"saved 1000-node DAG output: {size / 1e3:.1f} KB")
    assert size < 400_000          # target 200 KB (measured ~173 KB); generous bound


def test_import_symnb_does_not_import_display():
    code = "import symnb, sys; print('symnb.display' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]


def _egraph_1000() -> dict:
    """250 classes of 4 e-nodes each (1,000 e-nodes): a layered e-graph with sharing."""
    classes = {}
    for i in range(250):
        a, b = (2 * i + 1) % 250, (3 * i + 2) % 250
        if i >= 240:                          # the last classes are leaves
            classes[f"k{i}"] = [(f"x{i}", []), ("num", []), ("flt", []), ("var", [])]
        else:
            a, b = max(a, i + 1), max(b, i + 1)
            classes[f"k{i}"] = [("Add", [f"k{a}", f"k{b}"], 1.0), ("Mul", [f"k{b}", f"k{a}"], 3.0),
                                ("Neg", [f"k{a}"], 1.0), ("sin", [f"k{b}"], 40.0)]
    chosen = {f"k{i}": i % 4 for i in range(250)}
    costs = {f"k{i}": float(250 - i) for i in range(250)}
    return egraph_payload(classes, ["k0"], chosen=chosen, class_costs=costs, max_nodes=5000,
                          title="1000 e-nodes")


def test_1000_node_egraph_payload_validates_and_svg_is_valid_xml():
    p = validate_payload(_egraph_1000())
    assert p["stats"]["nodes"] == 1000 and p["stats"]["classes"] == 250
    assert p["truncated"] is None
    assert all(c["chosen"] in c["nodes"] for c in p["classes"])
    root = ET.fromstring(payload_svg(p))                   # the whole graph, drawn
    rects = root.findall(f".//{SVG_NS}rect")
    assert len(rects) == 1000 + 250                        # e-nodes + class boxes
    assert sum("ch" in r.get("class").split() for r in rects) == 250
    v = DagView(p)
    b = v._repr_mimebundle_()
    assert isinstance(b[MIME_TYPE], str)                   # large: stored as a JSON string
    assert validate_payload(json.loads(b[MIME_TYPE]))["stats"]["nodes"] == 1000
    svg = ET.fromstring(b["image/svg+xml"])                # the fallback keeps to its budget
    n_rects = len(svg.findall(f".//{SVG_NS}rect"))
    assert n_rects < 1000 and "not shown" in b["image/svg+xml"]
    small = validate_payload(truncate_payload(p, 300))
    assert small["truncated"]["omitted"] == 1000 - small["truncated"]["shown"]
    ET.fromstring(payload_svg(small))


def test_svg_css_is_scoped_to_the_drawing():
    s = payload_svg(dag_payload(sin(x) * y))
    css = ET.fromstring(s).find(f"{SVG_NS}style").text
    rules = [r for r in css.split("}") if r]
    assert rules and all(r.startswith(".symnb-dag ") for r in rules)   # inlined in HTML: safe


def test_step_view_focuses_on_changed_subterm_when_over_budget():
    from symnb.rewriting import rewrite, rule
    big = sum((sin(symbols(f"q{i}")) * symbols(f"r{i}") for i in range(40)), start=0)
    _, tr = rewrite(big + exp(sin(x) ** 2 + cos(x) ** 2 + y) * z,
                    [rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")], trace=True)
    full = step_view(tr, 0)
    assert full.payload["truncated"] is None and full.payload["title"] == "step 0: pyth"
    v = step_view(tr, 0, max_nodes=10)
    p = v.payload
    assert "subterm at" in p["title"] and len(p["nodes"]) <= 10 and p["highlight"]
    labels = {n["id"]: n["label"] for n in p["nodes"]}
    assert "exp" in labels.values() and "q0" not in labels.values()
    with pytest.raises(ValueError, match="max_nodes"):
        step_view(tr, 0, max_nodes=0)
