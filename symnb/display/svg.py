"""SVG fallback for DAG and e-graph payloads (pure Python; no graphviz).

Used where the JupyterLab extension is absent (nbconvert HTML, GitHub,
nbviewer).  Output is compact (one path for all edges) and valid XML.

>>> from symnb import symbols, sin
>>> from symnb.display.dag import dag_payload
>>> x, y = symbols("x y")
>>> s = payload_svg(dag_payload(sin(x) * y + x))
>>> s.startswith("<svg") and s.count("<rect class=") == 5
True
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from .layout import layered_layout

__all__ = ["payload_svg", "svg_img"]

NODE_H = 20
ROW_H = 52
CHAR_W = 7.2
PAD = 10

# every selector is scoped to the drawing, so an SVG inlined in HTML styles nothing else
_CSS = "".join(
    ".symnb-dag " + rule + "}" for rule in (
        ".e{fill:none;stroke:#888;stroke-width:1", ".eh{fill:none;stroke:#d62728;stroke-width:2",
        "rect{stroke:#555;stroke-width:1", ".call{fill:#e8f0fb", ".symbol{fill:#eaf7e6",
        ".number{fill:#fdf3dd", ".other{fill:#f2f2f2", ".h{stroke:#d62728;stroke-width:2.5",
        ".ch{stroke:#2a7ae2;stroke-width:2", ".cls{fill:none;stroke:#999;stroke-dasharray:4 3",
        "text{font:12px monospace;text-anchor:middle", ".m{fill:#777;font-size:10px",
        ".t{text-anchor:start;font:12px sans-serif;fill:#555"))


def _w(label: str) -> float:
    return max(24.0, CHAR_W * len(label) + 12.0)


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def payload_svg(p: dict) -> str:
    """Draw a (validated) payload as an SVG document string."""
    nodes = p["nodes"]
    labels = {n["id"]: _short(n["label"]) for n in nodes}
    width = {k: _w(v) for k, v in labels.items()}
    hl = set(p.get("highlight") or ())
    out: list = []
    edges: list = []
    hedges: list = []
    if p["kind"] == "egraph":
        cls = p["classes"]
        cwidth = {c["id"]: sum(width[m] for m in c["nodes"]) + 6.0 * (len(c["nodes"]) + 1)
                  for c in cls}
        byid = {n["id"]: n for n in nodes}
        succ = {c["id"]: [ch for m in c["nodes"] for ch in byid[m]["children"]] for c in cls}
        pos = layered_layout([c["id"] for c in cls], succ, cwidth, roots=p["roots"], gap=18)
        box: dict = {}
        npos: dict = {}
        for c in cls:
            cx, layer = pos[c["id"]]
            x0 = cx - cwidth[c["id"]] / 2
            y0 = PAD + layer * (ROW_H + 10)
            box[c["id"]] = (x0, y0, cwidth[c["id"]])
            cur = x0 + 6
            for m in c["nodes"]:
                npos[m] = (cur + width[m] / 2, y0 + 5)
                cur += width[m] + 6
        for c in cls:
            x0, y0, cw = box[c["id"]]
            k = " h" if c["id"] in hl else ""
            out.append(f'<rect class="cls{k}" x="{x0 + PAD:.0f}" y="{y0:.0f}" width="{cw:.0f}" '
                       f'height="{NODE_H + 10}" rx="6"/>')
            if c.get("cost") is not None:
                out.append(f'<text class="m" x="{x0 + PAD + cw - 4:.0f}" y="{y0 - 2:.0f}" '
                           f'style="text-anchor:end">{c["cost"]:g}</text>')
        chosen = {c["chosen"] for c in cls if c.get("chosen")}
        for n in nodes:
            x, y = npos[n["id"]]
            kids = n["children"]
            for i, ch in enumerate(kids):
                bx, by, bw = box[ch]
                sx = x - width[n["id"]] / 2 + (i + 1) * width[n["id"]] / (len(kids) + 1)
                tx, ty = bx + bw / 2, by
                if ty <= y:                       # upward (cyclic) edge: loop around
                    edges.append(f"M{sx + PAD:.0f} {y + NODE_H:.0f}C{sx + PAD:.0f} "
                                 f"{y + NODE_H + 30:.0f} {tx + PAD:.0f} {ty - 30:.0f} "
                                 f"{tx + PAD:.0f} {ty:.0f}")
                else:
                    edges.append(_curve(sx + PAD, y + NODE_H, tx + PAD, ty))
        height_rows = max((pos[c][1] for c in pos), default=0) + 1
        total_h = PAD * 2 + height_rows * (ROW_H + 10)
        for n in nodes:
            x, y = npos[n["id"]]
            extra = " ch" if n["id"] in chosen else ""
            _node(out, n, labels, width, x + PAD, y, hl, extra)
    else:
        succ = {n["id"]: n["children"] for n in nodes}
        pos = layered_layout([n["id"] for n in nodes], succ, width, roots=p["roots"])
        height_rows = max((v[1] for v in pos.values()), default=0) + 1
        total_h = PAD * 2 + height_rows * ROW_H
        for n in nodes:
            cx, layer = pos[n["id"]]
            y = PAD + layer * ROW_H
            kids = n["children"]
            for i, ch in enumerate(kids):
                tx, tl = pos[ch]
                sx = cx - width[n["id"]] / 2 + (i + 1) * width[n["id"]] / (len(kids) + 1)
                d = _curve(sx + PAD, y + NODE_H, tx + PAD, PAD + tl * ROW_H)
                (hedges if n["id"] in hl and ch in hl else edges).append(d)
        for n in nodes:
            cx, layer = pos[n["id"]]
            _node(out, n, labels, width, cx + PAD, PAD + layer * ROW_H, hl, "")
    total_w = max((pos[k][0] + (cwidth[k] if p["kind"] == "egraph" else width[k]) / 2
                   for k in pos), default=0) + 2 * PAD
    note = ""
    tr = p.get("truncated")
    if tr:
        note = (f'<text class="t" x="{PAD}" y="{total_h + 6:.0f}">{tr["omitted"]} of '
                f'{tr["total"]} nodes not shown (node budget {tr.get("budget", tr["shown"])})'
                f'</text>')
        total_h += 20
        total_w = max(total_w, 330)
    title = ""
    if p.get("title"):
        title = f"<title>{escape(p['title'])}</title>"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="symnb-dag" width="{total_w:.0f}" '
            f'height="{total_h:.0f}" viewBox="0 0 {total_w:.0f} {total_h:.0f}">{title}'
            f"<style>{_CSS}</style>")
    parts = [head]
    if edges:
        parts.append(f'<path class="e" d="{"".join(edges)}"/>')
    if hedges:
        parts.append(f'<path class="eh" d="{"".join(hedges)}"/>')
    parts.extend(out)
    parts.append(note)
    parts.append("</svg>")
    return "".join(parts)


def svg_img(svg: str, alt: str = "DAG") -> str:
    """An SVG drawing as an HTML ``<img>`` with a data URI.

    Inline ``<svg>`` in HTML output is stripped by JupyterLab's sanitizer in untrusted
    (e.g. downloaded) notebooks, leaving stray label text; an ``<img>`` data URI survives
    it and cannot restyle the page.

    >>> svg_img("<svg xmlns='http://www.w3.org/2000/svg'/>", alt="x<y")[:60]
    '<img class="symnb-dag-img" alt="x&lt;y" src="data:image/svg+'
    """
    import base64
    from html import escape as _esc
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="symnb-dag-img" alt="{_esc(alt)}" '
            f'src="data:image/svg+xml;base64,{data}">')


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    my = (y1 + y2) / 2
    return f"M{x1:.0f} {y1:.0f}C{x1:.0f} {my:.0f} {x2:.0f} {my:.0f} {x2:.0f} {y2:.0f}"


def _node(out: list, n: dict, labels: dict, width: dict, cx: float, y: float, hl: set,
          extra: str) -> None:
    w = width[n["id"]]
    kind = n.get("kind") or {"Symbol": "symbol", "Number": "number"}.get(n["op"], "call")
    k = " h" if n["id"] in hl else ""
    tip = n.get("text")
    if tip:
        out.append(f"<g><title>{escape(tip)}</title>")
    out.append(f'<rect class="{kind}{k}{extra}" x="{cx - w / 2:.0f}" y="{y:.0f}" '
               f'width="{w:.0f}" height="{NODE_H}" rx="4"/>'
               f'<text x="{cx:.0f}" y="{y + 14:.0f}">{escape(labels[n["id"]])}</text>')
    if n.get("elided"):
        out.append(f'<text class="m" x="{cx:.0f}" y="{y + NODE_H + 11:.0f}">'
                   f'+{n["elided"]} more</text>')
    if tip:
        out.append("</g>")

