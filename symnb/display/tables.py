"""Small HTML tables shared by the renderers of result types.

>>> kv_table("t", [("a", 1)])
"<table class='symnb-table'><caption style='text-align:left'><b>t</b></caption><tr><th style='text-align:left'>a</th><td style='text-align:left'>1</td></tr></table>"
>>> html_table("t", header=["a"], body=[[1]])
'<table class="symnb-table"><caption style="text-align:left"><b>t</b></caption><tr><th>a</th></tr><tr><td>1</td></tr></table>'
"""
from __future__ import annotations

import html
from typing import Any, Sequence

__all__ = ["kv_rows", "kv_table", "html_table"]


def kv_rows(rows: Sequence[tuple[Any, Any]]) -> str:
    """``(label, value)`` rows as left-aligned ``<tr><th>label</th><td>value</td></tr>``."""
    return "".join(f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
                   f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>" for k, v in rows)


def kv_table(title: str, rows: Sequence[tuple[Any, Any]]) -> str:
    """A captioned two-column table of ``(label, value)`` rows, left-aligned."""
    return (f"<table class='symnb-table'><caption style='text-align:left'><b>"
            f"{html.escape(title)}</b></caption>{kv_rows(rows)}</table>")


def html_table(title: str, rows: Sequence[tuple[str, Any]] | None = None,
               header: Sequence[str] | None = None, body: Sequence[Sequence[Any]] | None = None) -> str:
    """A small HTML table: either key/value ``rows`` or ``header`` + ``body``."""
    esc = lambda v: html.escape(str(v))  # noqa: E731
    out = [f'<table class="symnb-table"><caption style="text-align:left"><b>{esc(title)}</b></caption>']
    if rows is not None:
        for k, v in rows:
            out.append(f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(v)}</td></tr>")
    if header is not None:
        out.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
        for row in body or ():
            out.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>")
    out.append("</table>")
    return "".join(out)
