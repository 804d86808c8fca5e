"""Read the e-graph rules' s-expression text into nested lists, and find a rule's pattern
variables (shared by the rule tests)."""
from __future__ import annotations

import re

_TOK = re.compile(r'\(|\)|"[^"]*"|[^\s()]+')


def parse_sexpr(text: str):
    """``"(Add x (Num 1))"`` -> ``["Add", "x", ["Num", "1"]]``."""
    toks = _TOK.findall(text)
    pos = 0

    def read():
        nonlocal pos
        t = toks[pos]
        pos += 1
        if t == "(":
            out = []
            while toks[pos] != ")":
                out.append(read())
            pos += 1
            return out
        return t
    return read()


def variables(e, out, under=None):
    """Each pattern variable of the parsed ``e`` -> the head of the node it sits under
    (the first occurrence), added to ``out``."""
    if isinstance(e, str):
        if re.fullmatch(r"[a-z_][a-z_0-9]*", e):
            out.setdefault(e, under)
        return out
    for t in e[1:]:
        variables(t, out, e[0])
    return out
