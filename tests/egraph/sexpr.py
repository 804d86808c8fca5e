"""Read the e-graph rules' s-expression text into nested lists (shared by the rule tests)."""
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
