"""Reaction networks and the BioNetGen .net loader (issue 6)."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from symnb.models.bionetgen import NetworkFormatError, load_bionetgen, read_gdat
from symnb.models.network import ReactionNetwork
from symnb.models.ode import solve
from symnb.terms import evaluate

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "bionetgen"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(),
                                  reason=f"shared BioNetGen data not found at {SHARED} "
                                         "(../shared/data/bionetgen beside the repository)")


def rhs_at(net, u, t=0.0):
    env = dict(net.values)
    env.update(zip(net.symbols, u))
    env[net.time] = t
    return np.array([evaluate(e, env) for e in net.rhs()])


# ----- ReactionNetwork from strings ---------------------------------------------------------
def test_network_from_strings():
    net = ReactionNetwork([("A + B <-> C", ("kf", 0.5)), ("2 A -> 0", 0.1), ("0 -> B", 1.0),
                           ("C -> C + D", "kf*2")], parameters={"kf": 2.0},
                          initial={"A": 1.0, "B": 2.0}, fixed=["D"],
                          observables={"Atot": ["A", "C"], "W": [("C", 2)]})
    assert net.species == ["A", "B", "C", "D"]
    u = np.array([1.0, 2.0, 3.0, 4.0])
    A, B, C, D = u
    r = [2 * A * B, 0.5 * C, 0.1 * A * A, 1.0, 4 * C]
    expect = [-r[0] + r[1] - 2 * r[2], -r[0] + r[1] + r[3], r[0] - r[1], 0.0]
    assert np.allclose(rhs_at(net, u), expect)
    assert net.u0().tolist() == [1.0, 2.0, 0.0, 0.0]
    assert str(net.observable_terms()["W"]) == "2*C"
    assert net.stoichiometry().shape == (4, 5)
    assert "ReactionNetwork" in net._repr_html_()
    with pytest.raises(ValueError, match="no '->'"):
        ReactionNetwork([("A + B", 1.0)])
    with pytest.raises(Exception):
        ReactionNetwork([("A -> B", "unknown_k")])


# ----- the format's corners ------------------------------------------------------------------
def test_corners_counts_and_terms():
    net = load_bionetgen(DATA / "corners.net")
    assert len(net.species) == 5 and len(net.reactions) == 7
    assert len(net.parameters) == 9 and list(net.functions) == ["obsfn", "tfn", "nested"]
    assert net.species[2] == "Src()" and net.fixed == [False, False, True, False, False]
    assert net.parameter_values()["kfn"] == 8.0
    assert math.isclose(net.parameter_values()["kdeg"], 0.2 * math.log(2) / 4)
    assert net.u0().tolist() == [4.0, 8.0, 1.5, 0.0, 1.0]
    assert dict(net.observables) == {"Atot": [(0, 1), (1, 2)], "Ctot": [(3, 1)], "Empty": []}
    assert str(net.observable_terms()["Empty"]) == "0"
    assert "directives" in net.info


@pytest.mark.parametrize("t", [0.0, 1.0])
def test_corners_rhs_by_hand(t):
    net = load_bionetgen(DATA / "corners.net")
    A, B, Src, C, E = u = np.array([4.0, 8.0, 1.5, 0.3, 1.0])
    k1, k2, kfn, K, kcat, Km = 2.0, math.log(2) / 4, 8.0, 10.0, 3.0, 5.0
    kdeg = 0.2 * k2
    r1 = 0.5 * k1 * A * A
    r2 = k2
    r3 = 0.25 * kdeg * B
    r4 = kfn * math.exp(-t) * Src
    r5 = 2 * k1 / (K + A + 2 * B) * A
    r6 = kcat * B / (K + B)
    b = A - Km - E
    S = (b + math.sqrt(b * b + 4 * Km * A)) / 2
    r7 = kcat * E * S / (Km + S)
    expect = [-2 * r1 + r2 - r5 - r7, r1 - r3 - r6, 0.0, r4 + r5 + r6 + r7, 0.0]
    assert np.allclose(rhs_at(net, u, t), expect, rtol=1e-13)
    prob = net.problem(compile_backend="python")
    assert np.allclose(prob.rhs(u, t=t), expect, rtol=1e-13)


def test_mass_action_fixture_solves_to_equilibrium():
    net = load_bionetgen(DATA / "mass_action.net")
    assert net.info["molecule types (informational)"] == 2
    prob = net.problem(compile_backend="python")
    r = solve(prob, None, (0.0, 50.0), rtol=1e-10, atol=1e-12)
    L, R, LR = r.y[:, -1]
    assert abs(1.5 * L * R - 0.5 * LR) < 1e-6          # equilibrium
    obs = net.observe(r)
    assert np.allclose(obs["Ltot"], 10.0)               # conservation


# ----- bad input -------------------------------------------------------------------------------
GOOD = """begin parameters
    1 k 1.0
end parameters
begin species
    1 A() 1
    2 B() 0
end species
begin reactions
    1 1 2 k
end reactions
"""


@pytest.mark.parametrize("old,new,line,what", [
    ("begin reactions", "begin energies\nend energies\nbegin reactions", 8,
     "unknown block 'energies'"),
    ("    2 B() 0", "    2 @CP::B() 0", 6, "compartment 'CP' is not defined (no compartments"),
    ("end parameters", "end parameters\nbegin compartments\n  CP 4 1\nend compartments", 5,
     "dimension must be 2 or 3"),
    ("end parameters", "end parameters\nbegin compartments\n  CP 3 1 PM\nend compartments",
     5, "parent 'PM' is not defined"),
    ("end parameters", "end parameters\nbegin compartments\n  CP 3 -k\nend compartments", 5,
     "must be positive"),
    ("    1 1 2 k", "    1 1 2 k && ", 9, "rate law"),
    ("    1 1 2 k", "    1 1 2 if(k > 1, k)", 9, "ite() takes 3 argument(s), got 2"),
    ("    1 1 2 k", "    1 1 2 min(k)", 9, "min() needs at least 2 arguments"),
    ("    1 1 2 k", "    1 1 3 k", 9, "missing species 3"),
    ("    1 1 2 k", "    1 1 2 kk", 9, "unknown symbol 'kk'"),
    ("    1 1 2 k", "    1 1 2 nofn()", 9, "nofn"),
    ("    1 1 2 k", "    1 1,x 2 k", 9, "not a species index"),
    ("    2 B() 0", "    2 B()", 6, "malformed species line"),
    ("    1 k 1.0", "    1 k 1.0 +", 2, "parameter k"),
    ("    1 1 2 k", "    1 1 2 Sat k", 9, "Sat rate law needs 2 arguments"),
    ("    1 1 2 k", "    1 1 2 MM k k", 9, "MM rate law needs exactly two reactants"),
    ("end species", "end species\nfoo bar", 8, "unexpected text outside a block"),
    ("end reactions\n", "", None, "never ended"),
])
def test_format_errors_name_file_and_line(tmp_path, old, new, line, what):
    assert old in GOOD
    p = tmp_path / "bad.net"
    p.write_text(GOOD.replace(old, new))
    with pytest.raises(NetworkFormatError) as e:
        load_bionetgen(p)
    assert what in str(e.value)
    assert str(e.value).startswith("bad.net" + (f":{line}:" if line else ":"))
    assert e.value.line == line


def test_good_fixture_and_missing_file(tmp_path):
    p = tmp_path / "good.net"
    p.write_text(GOOD)
    assert len(load_bionetgen(p).reactions) == 1
    with pytest.raises(NetworkFormatError, match="no such file"):
        load_bionetgen(tmp_path / "absent.net")


# ----- the shared BioNetGen files -------------------------------------------------------------
COUNTS = {"egfr_net": (356, 3749, 43), "multisite2": (66, 288, 9), "multistate": (9, 18, 9),
          "Haugh2b": (12, 29, 15), "Repressilator": (16, 30, 34), "toy-jim": (25, 101, 16),
          "michment": (5, 6, 6), "motor": (4, 4, 9)}


def independent_mass_action(path: Path):
    """du at u0 from the raw file (numeric parameters, rates 'k' or 'c*k'), no symnb."""
    params, u0, reactions, block = {}, [], [], None
    for line in path.read_text().splitlines():
        s = line.split("#", 1)[0].strip()
        if not s:
            continue
        if s.startswith("begin "):
            block = s[6:]
            continue
        if s.startswith("end "):
            block = None
            continue
        f = s.split()
        if block == "parameters":
            params[f[1]] = float(f[2])
        elif block == "species":
            u0.append(params[f[2]] if f[2] in params else float(f[2]))
        elif block == "reactions":
            k = 1.0
            for part in f[3].split("*"):
                k *= params[part] if part in params else float(part)
            reac = [int(q) - 1 for q in f[1].split(",") if q != "0"]
            prod = [int(q) - 1 for q in f[2].split(",") if q != "0"]
            reactions.append((reac, prod, k))
    u = np.array(u0)
    du = np.zeros_like(u)
    for reac, prod, k in reactions:
        rate = k * np.prod(u[reac])
        np.add.at(du, reac, -rate)
        np.add.at(du, prod, rate)
    return u, du


@needs_shared
@pytest.mark.parametrize("name", sorted(COUNTS))
def test_shared_counts(name):
    net = load_bionetgen(SHARED / f"{name}.net")
    assert (len(net.species), len(net.reactions), len(net.parameters)) == COUNTS[name]


@needs_shared
@pytest.mark.parametrize("name", ["egfr_net", "multisite2", "multistate"])
def test_shared_rhs_at_initial_state(name):
    net = load_bionetgen(SHARED / f"{name}.net")
    u, du = independent_mass_action(SHARED / f"{name}.net")
    assert np.allclose(net.u0(), u)
    got = rhs_at(net, u)
    assert np.allclose(got, du, rtol=1e-12, atol=1e-12 * np.abs(du).max())


@needs_shared
@pytest.mark.parametrize("name", ["Haugh2b", "Repressilator", "toy-jim"])
def test_shared_gdat_trajectories(name):
    net = load_bionetgen(SHARED / f"{name}.net")
    t, obs = read_gdat(SHARED / f"{name}.gdat")
    prob = net.problem()
    r = solve(prob, None, (t[0], t[-1]), t_eval=t, rtol=1e-10, atol=1e-12)
    assert r.success and np.allclose(r.t, t)
    got = net.observe(r)
    assert len(got) == len(obs)
    # columns in group order (toy-jim's .gdat names its columns after the BNGL observables)
    for (gname, g), (oname, ref) in zip(got.items(), obs.items()):
        m = np.abs(ref) > 1e-10
        rel = np.abs(g[m] - ref[m]) / np.abs(ref[m])
        assert rel.max(initial=0.0) < 1e-3, (gname, oname, rel.max())


# ----- builtins, compartments and fixed species after a prefix (issue 15) ---------------------
def test_builtins_in_parameters_species_and_functions():
    import scipy.special as sps
    net = load_bionetgen(DATA / "builtins.net")
    v = net.parameter_values()
    assert (v["b"], v["c"], v["d"], v["f"], v["g"], v["h"]) == (3, 1.5, 6, 7, 9, 4)
    assert math.isclose(v["e"], sps.hyp1f1(2, 3, 3) / sps.hyp1f1(1, 2, 3), rel_tol=1e-13)
    assert math.isclose(v["w"], math.pi / 2)
    assert net.u0().tolist() == [3.0, 0.0, 1.0] and net.fixed == [False, False, True]


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_builtins_trajectory_by_hand(backend):
    net = load_bionetgen(DATA / "builtins.net")
    prob = net.problem(compile_backend=backend)
    t = np.linspace(0.0, 3.0, 61)
    r = solve(prob, None, (0.0, 3.0), t_eval=t, rtol=1e-10, atol=1e-12)
    t1 = math.log(1.5) / 2          # A = 3 exp(-2t) until A = 2, then A' = -A^2
    A = np.where(t < t1, 3 * np.exp(-2 * t), 1 / (0.5 + (t - t1)))
    B = 5 * np.clip(t - 1, 0, 1)    # the pulse: 5 on [1, 2)
    assert np.allclose(r.y[0], A, rtol=1e-6)
    assert np.allclose(r.y[1], B, rtol=1e-6, atol=1e-6)
    assert np.allclose(r.y[2], 1.0)


def test_cbngl_compartments_fixed_source_and_volume_factor():
    net = load_bionetgen(DATA / "cbngl.net")
    assert list(net.compartments) == ["EC", "PM", "CP"]
    assert net.compartments["CP"]["parent"] == "PM" and net.compartments["PM"]["dimension"] == 2
    assert net.species[3] == "@PM::Src()" and net.fixed == [False, False, False, True, False]
    assert net.species_compartment == ["EC", "PM", "PM", "PM", "CP"]
    assert str(net.reactions[0].rate) == "kb/Ve"           # 0.1 = 1/Ve, kept symbolic
    assert net.info["volume-scaled reactions"] == 1
    assert any(k == "compartments" for k, _ in net.summary())
    prob = net.problem(compile_backend="python")
    t = np.array([0.0, 1.0, 5.0, 400.0])
    r = solve(prob, None, (0.0, 400.0), t_eval=t, rtol=1e-10, atol=1e-12)
    obs = net.observe(r)
    assert np.allclose(obs["Source"], 5.0)                 # not consumed: '$' seen
    assert np.allclose(obs["Xc"], 0.4 * 5 / 0.2 * (1 - np.exp(-0.2 * t)), rtol=1e-7)
    # equilibrium of L + R <-> LR at kb/Ve: (kb/Ve)(20 - c)(10 - c) = ku c
    assert math.isclose(obs["Bound"][-1], (35 - math.sqrt(35 ** 2 - 800)) / 2, rel_tol=1e-6)
    r2 = solve(prob, None, (0.0, 400.0), t_eval=t, p={"Ve": 20.0}, rtol=1e-10, atol=1e-12)
    assert math.isclose(net.observe(r2)["Bound"][-1], 20 - math.sqrt(200), rel_tol=1e-6)


@pytest.mark.parametrize("spelling", ["@PM::$Src()", "$@PM::Src()"])
def test_fixed_marker_on_either_side_of_the_prefix(tmp_path, spelling):
    p = tmp_path / "c.net"
    p.write_text((DATA / "cbngl.net").read_text().replace("@PM::$Src()", spelling))
    net = load_bionetgen(p)
    assert net.fixed[3] and net.species[3] == "@PM::Src()"


def test_min_max_rint_mratio_evaluate_differentiate_and_compile():
    import scipy.special as sps

    import symnb
    from symnb.models.bng_expr import parse_bng
    from symnb.terms.core import Symbol
    x, y = Symbol("x"), Symbol("y")
    e = parse_bng("min(x, y)*x + max(x, 2)*y + rint(x) + mratio(1, 2, y)", {"x": x, "y": y})
    for backend in ("python", "numba"):
        f = symnb.compile(e, [x, y], backend=backend)
        for a, b in [(1.5, 3.0), (2.5, -4.0)]:
            want = min(a, b) * a + max(a, 2) * b + np.rint(a) \
                + sps.hyp1f1(2, 3, b) / sps.hyp1f1(1, 2, b)
            assert math.isclose(f(a, b), want, rel_tol=1e-12), (backend, a, b)
    d = e.diff(x)          # min(x, y)*x -> x < y: 2x; max(x, 2)*y -> x > 2: y
    assert math.isclose(evaluate(d, {x: 1.5, y: 3.0}), 3.0)
    assert math.isclose(evaluate(d, {x: 3.0, y: 2.5}), 2.5 + 2.5)


def test_mratio_rate_law_gets_a_jacobian_matching_finite_differences(tmp_path):
    # A -> B at rate k*mratio(1, 2, A) with A a state: the Jacobian needs d mratio / dz
    p = tmp_path / "mratio.net"
    p.write_text("begin parameters\n 1 k 0.7\nend parameters\nbegin species\n 1 A() 2\n"
                 " 2 B() 0\nend species\nbegin functions\n 1 rate() k*mratio(1, 2, Atot)\n"
                 "end functions\nbegin reactions\n 1 1 2 rate\nend reactions\n"
                 "begin groups\n 1 Atot 1\nend groups\n")
    prob = load_bionetgen(p).problem(compile_backend="python")
    assert prob.jac_compiled is not None
    for a in (-3.0, 0.4, 2.0, 9.0):
        u = np.array([a, 0.5])
        J = prob.jac(u).toarray()
        h = 1e-6 * max(1.0, abs(a))
        fd = (prob.rhs(u + [h, 0.0]) - prob.rhs(u - [h, 0.0])) / (2 * h)
        np.testing.assert_allclose(J[:, 0], fd, rtol=1e-6, atol=1e-9)


def test_cbngl_bare_function_rate_is_kept_and_counted(tmp_path):
    # a function name as the rate has no leading number to split into statistical and
    # volume factors: the rate stays the function, and net.info counts the reaction
    p = tmp_path / "c.net"
    text = (DATA / "cbngl.net").read_text()
    text = text.replace("end parameters", "end parameters\nbegin functions\n 1 fb() kb*2\n"
                        "end functions").replace("0.1*kb #_R1 unit_conversion=1/Ve",
                                                 "fb #_R1 unit_conversion=1/Ve")
    p.write_text(text)
    net = load_bionetgen(p)
    assert net.info["volume factors kept as numbers"] == 1
    assert "volume-scaled reactions" not in net.info
    u = net.u0()
    assert rhs_at(net, u)[2] == pytest.approx(0.2 * u[0] * u[1])
