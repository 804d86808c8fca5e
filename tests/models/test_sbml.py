"""load_sbml on small SBML models written here: values against analytic solutions, and one
clear error for each kind of bad input."""
import math

import libsbml
import numpy as np
import pytest

import symnb
from symnb.models.ode import ODEProblem
from symnb.models.sbml import SBMLError, load_sbml

NS = 'xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"'


def mathml(formula: str) -> str:
    ast = libsbml.parseL3Formula(formula)
    assert ast is not None, libsbml.getLastParseL3Error()
    text = libsbml.writeMathMLToString(ast)
    return text[text.index("<math"):]


def sbml(body: str, ns: str = NS) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sbml {ns}><model id="m">{body}</model></sbml>'


def comp(cid="c", size=1.0, constant=True):
    return (f'<compartment id="{cid}" size="{size}" spatialDimensions="3" '
            f'constant="{str(constant).lower()}"/>')


def species(sid, init, c="c", hosu=False, boundary=False, amount=False):
    attr = "initialAmount" if amount else "initialConcentration"
    return (f'<species id="{sid}" compartment="{c}" {attr}="{init}" hasOnlySubstanceUnits='
            f'"{str(hosu).lower()}" boundaryCondition="{str(boundary).lower()}" '
            f'constant="false"/>')


def param(pid, value=None, constant=True):
    v = f' value="{value}"' if value is not None else ""
    return f'<parameter id="{pid}"{v} constant="{str(constant).lower()}"/>'


def lists(**parts):
    names = {"c": "Compartments", "s": "Species", "p": "Parameters", "r": "Rules",
             "ia": "InitialAssignments", "rx": "Reactions", "ev": "Events",
             "fd": "FunctionDefinitions"}
    order = ["fd", "c", "s", "p", "ia", "r", "rx", "ev"]
    return "".join(f"<listOf{names[k]}>{''.join(parts[k])}</listOf{names[k]}>"
                   for k in order if k in parts)


def reaction(rid, reactants, products, rate, fast=False):
    def refs(tag, ids):
        return "".join(f'<speciesReference species="{s}" stoichiometry="{n}" constant="true"/>'
                       for s, n in ids)
    out = f'<reaction id="{rid}" reversible="false"' + (' fast="true"' if fast else '') + '>'
    if reactants:
        out += f"<listOfReactants>{refs('r', reactants)}</listOfReactants>"
    if products:
        out += f"<listOfProducts>{refs('p', products)}</listOfProducts>"
    return out + f"<kineticLaw>{mathml(rate)}</kineticLaw></reaction>"


def rule(kind, var, formula):
    return f'<{kind} variable="{var}">{mathml(formula)}</{kind}>'


def event(eid, trigger, assigns, *, persistent=True, initial=True, priority=None, uvftt=True):
    pr = f"<priority>{mathml(priority)}</priority>" if priority else ""
    body = "".join(f'<eventAssignment variable="{v}">{mathml(f)}</eventAssignment>'
                   for v, f in assigns)
    return (f'<event id="{eid}" useValuesFromTriggerTime="{str(uvftt).lower()}"><trigger '
            f'initialValue="{str(initial).lower()}" persistent="{str(persistent).lower()}">'
            f'{mathml(trigger)}</trigger>{pr}<listOfEventAssignments>{body}'
            f'</listOfEventAssignments></event>')


T = np.linspace(0.0, 2.0, 11)


def test_mass_action_in_a_compartment_matches_the_exponential():
    m = load_sbml(sbml(lists(c=[comp(size=2.0)], s=[species("A", 3.0), species("B", 0.0)],
                             p=[param("k", 0.7)],
                             rx=[reaction("r", [("A", 1)], [("B", 2)], "k*A*c")])))
    res = m.simulate(T, rtol=1e-10, atol=1e-12)
    a = 3.0 * np.exp(-0.7 * T)
    np.testing.assert_allclose(res["A"], a, rtol=1e-7)
    np.testing.assert_allclose(res.concentration("A"), a, rtol=1e-7)
    np.testing.assert_allclose(res.amount("A"), 2.0 * a, rtol=1e-7)
    np.testing.assert_allclose(res["B"], 2 * (3.0 - a), rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(res["r"], 0.7 * a * 2.0, rtol=1e-7)   # the reaction's rate
    assert res["c"].tolist() == [2.0] * len(T)
    assert isinstance(m.problem(), ODEProblem) and m.problem().n == 2


def test_rate_rule_assignment_rule_and_initial_assignment():
    m = load_sbml(sbml(lists(p=[param("x", 1.0, False), param("y", None, False),
                                param("k", 0.5), param("x0", None)],
                             ia=[f'<initialAssignment symbol="x0">{mathml("4*k")}'
                                 f'</initialAssignment>'],
                             r=[rule("rateRule", "x", "x0 + time"),
                                rule("assignmentRule", "y", "x^2")])))
    res = m.simulate(T, rtol=1e-10, atol=1e-12)
    x = 1.0 + 2.0 * T + T ** 2 / 2
    np.testing.assert_allclose(res["x"], x, rtol=1e-8)
    np.testing.assert_allclose(res["y"], x ** 2, rtol=1e-8)
    assert res["x0"][0] == 2.0


MATH_EXPRS = {"a": "piecewise(1, time > 0.5, 0)", "b": "floor(2.7) + ceil(2.1)",
              "cc": "factorial(4)", "d": "rem(7, 3) + quotient(-7, 2)", "e": "log(2, 8)",
              "f": "root(3, 27)", "g": "twice(3)", "h": "(2 < 3) && !(1 > 2) || false",
              "i": "sech(0) + arccot(1) + avogadro/avogadro", "j": "exp(1) - exponentiale",
              "k": "max(1, 2*time, 0) - min(time, 3)"}
MATH_WANT = {"a": [0, 1], "b": [5, 5], "cc": [24, 24], "d": [-2, -2], "e": [3, 3],
             "f": [3, 3], "g": [6, 6], "h": [1, 1], "i": [2 + math.pi / 4] * 2, "j": [0, 0],
             "k": [1, 1]}


def math_model(backend=None):
    fd = f'<functionDefinition id="twice">{mathml("lambda(z, 2*z)")}</functionDefinition>'
    return load_sbml(sbml(lists(fd=[fd], p=[param(k, None, False) for k in MATH_EXPRS],
                                r=[rule("assignmentRule", k, v) for k, v in MATH_EXPRS.items()])),
                     compile_backend=backend)


@pytest.mark.parametrize("backend", [None, "numba"])
def test_mathml_functions_and_function_definitions(backend):
    m = math_model(backend)
    assert m.compile_backend == (backend or "python")
    res = m.simulate([0.0, 1.0])
    for k, v in MATH_WANT.items():
        np.testing.assert_allclose(res[k], v, rtol=1e-12, atol=1e-12, err_msg=k)


def test_conversion_factor_and_stoichiometry_set_by_a_rule():
    rx = reaction("r", [], [("P", 1)], "1").replace(
        '<speciesReference species="P" stoichiometry="1" constant="true"/>',
        '<speciesReference id="nu" species="P" constant="false"/>')
    m = load_sbml(sbml(lists(c=[comp()], s=[species("P", 0.0)],
                             p=[param("cf", 3.0)],
                             r=[rule("assignmentRule", "nu", "1 + time")], rx=[rx]))
                  .replace('<model id="m">', '<model id="m" conversionFactor="cf">'))
    res = m.simulate(T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res["P"], 3.0 * (T + T ** 2 / 2), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(res["nu"], 1.0 + T)


def test_event_resets_a_rate_rule_variable_and_priorities_order_simultaneous_events():
    m = load_sbml(sbml(lists(p=[param("x", 0.0, False), param("y", 0.0, False)],
                             r=[rule("rateRule", "x", "1")],
                             ev=[event("E1", "time >= 0.5", [("y", "y*10")], priority="1",
                                       uvftt=False),
                                 event("E2", "time >= 0.5", [("y", "y+1")], priority="2",
                                       uvftt=False),
                                 event("E3", "x >= 1.25", [("x", "0")])])))
    res = m.simulate(T, rtol=1e-10, atol=1e-12)
    assert res["y"][-1] == 10.0           # E2 (priority 2) ran before E1, which saw y = 1
    np.testing.assert_allclose(res["x"], np.where(T < 1.25, T, T - 1.25), atol=1e-7)
    assert res.stats["events_fired"] == 3


def test_division_by_zero_in_an_unused_branch_is_ieee():
    m = load_sbml(sbml(lists(p=[param("x", 0.0, False)],
                             r=[rule("rateRule", "x", "piecewise(0, time < 0.5, 1/time)")])))
    res = m.simulate(T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res["x"], np.log(np.maximum(T, 0.5) / 0.5), atol=1e-7)


def test_exact_division_by_zero_in_a_formula_is_one_sbml_error():   # fuzz find
    with pytest.raises(SBMLError, match=r"^x \+ 0\^-1: division by zero: 0\*\*-1 with exact "
                                        r"numbers$"):
        load_sbml(sbml(lists(p=[param("x", 0.0, False)], r=[rule("rateRule", "x", "x + 0^-1")])))


def test_event_at_t0_fires_only_when_initial_value_is_false():
    for initial, want in ((False, 5.0), (True, 1.0)):
        m = load_sbml(sbml(lists(p=[param("q", 1.0, False)],
                                 ev=[event("E", "time >= 0", [("q", "5")], initial=initial)])))
        assert m.simulate([0.0, 1.0])["q"].tolist() == [want, want]


def test_species_amount_boundary_and_load_from_a_file(tmp_path):
    text = sbml(lists(c=[comp(size=0.5)], s=[species("S", 2.0, hosu=True, amount=True),
                                             species("Src", 1.0, boundary=True)],
                      rx=[reaction("r", [("Src", 1)], [("S", 1)], "Src")]))
    path = tmp_path / "m.xml"
    path.write_text(text)
    res = load_sbml(path).simulate(T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res["S"], 2.0 + T, rtol=1e-9)      # Src stays 1 (boundary)
    np.testing.assert_allclose(res.concentration("S"), (2.0 + T) / 0.5, rtol=1e-9)
    assert res["Src"].tolist() == [1.0] * len(T)
    assert symnb.load_sbml is load_sbml


def test_malformed_xml_is_one_error_with_a_line_number():
    with pytest.raises(SBMLError, match=r"invalid SBML: line \d+"):
        load_sbml("<sbml><model>")


def test_libsbml_errors_are_reported():
    bad = sbml(lists(s=[species("A", 1.0, c="nowhere")]))
    with pytest.raises(SBMLError, match=r"line \d+: .*nowhere"):
        load_sbml(bad)


def bad_xml_padding() -> str:
    return sbml(lists(p=[param("k", 1.0)])) * 20


def test_missing_file_and_unknown_ids():
    with pytest.raises(SBMLError, match="no SBML file"):
        load_sbml("does/not/exist.xml")
    # fuzz find: mangled XML that no longer starts with '<' was an OSError (name too long)
    with pytest.raises(SBMLError, match=r"^no SBML file at 'o\?xml .*\.\.\.' \(pass a path "
                                        r"or an XML string starting with '<'\)$"):
        load_sbml("o?xml " + bad_xml_padding())
    with pytest.raises(SBMLError, match="no SBML file"):
        load_sbml("model\x00.xml")
    res = load_sbml(sbml(lists(p=[param("k", 1.0)]))).simulate([0.0, 1.0])
    with pytest.raises(KeyError, match="no id 'nope'"):
        res["nope"]


def test_cyclic_initial_assignments_are_one_error():
    from symnb.models.sbml.system import SBMLSystem
    ia = "".join(f'<initialAssignment symbol="{a}">{mathml(b + " + 1")}</initialAssignment>'
                 for a, b in (("a", "b"), ("b", "a")))
    text = sbml(lists(p=[param("a"), param("b")]) + f"<listOfInitialAssignments>{ia}"
                f"</listOfInitialAssignments>")
    with pytest.raises(SBMLError, match="invalid SBML: line .*creates a cycle"):
        load_sbml(text)               # libsbml's consistency check sees it first
    system = SBMLSystem(libsbml.readSBMLFromString(text).getModel())
    with pytest.raises(SBMLError, match="cyclic dependency a -> b -> a"):
        system.initial_value("a")


@pytest.mark.parametrize("body,match", [
    (lists(p=[param("x", 1.0, False)]) +
     f'<listOfRules><algebraicRule>{mathml("x - 1")}</algebraicRule></listOfRules>',
     "algebraic rule"),
    (lists(c=[comp()], s=[species("A", 1.0)],
           rx=[reaction("fastr", [("A", 1)], [], "A", fast=True)]), "fast reaction 'fastr'"),
    (lists(p=[param("x", 1.0, False)]) +
     '<listOfEvents><event id="late" useValuesFromTriggerTime="true"><trigger '
     f'initialValue="true" persistent="true">{mathml("time > 1")}</trigger><delay>'
     f'{mathml("1")}</delay><listOfEventAssignments><eventAssignment variable="x">'
     f'{mathml("2")}</eventAssignment></listOfEventAssignments></event></listOfEvents>',
     "event delay in event 'late'"),
    ("FBC", "the SBML 'fbc' package"),
])
def test_unsupported_constructs_name_the_construct_and_the_element(body, match):
    ns = NS.replace('version="2"', 'version="1"').replace("version2", "version1") \
        if "fast=" in body else NS     # 'fast' exists up to SBML Level 3 Version 1
    text = FBC if body == "FBC" else sbml(body, ns)
    with pytest.raises(SBMLError, match=f"unsupported construct: .*{match}"):
        load_sbml(text)


FBC = ('<?xml version="1.0" encoding="UTF-8"?><sbml xmlns="http://www.sbml.org/sbml/level3/'
       'version1/core" xmlns:fbc="http://www.sbml.org/sbml/level3/version1/fbc/version2" '
       'level="3" version="1" fbc:required="false"><model id="m" fbc:strict="true"/></sbml>')


def test_concentration_rate_rule_in_a_growing_compartment():
    # V = 1 + t (assignment rule), d[S]/dt = 1: [S] = 1 + t, amount = (1 + t)^2
    m = load_sbml(sbml(lists(c=[comp(size=1.0, constant=False)], s=[species("S", 1.0)],
                             r=[rule("assignmentRule", "c", "1 + time"),
                                rule("rateRule", "S", "1")])))
    res = m.simulate(T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res["S"], 1.0 + T, rtol=1e-8)
    np.testing.assert_allclose(res.amount("S"), (1.0 + T) ** 2, rtol=1e-8)


def test_deep_or_malformed_xml_is_refused_before_libsbml():   # fuzz finds: a segfault, a hang
    deep = "<apply><power/><ci>x</ci>" * 3000 + "<ci>x</ci>" + "</apply>" * 3000
    body = lists(p=[param("x", 1.0, False)]).replace(
        "</listOfParameters>", "</listOfParameters><listOfRules><assignmentRule variable=\"x\">"
        f"<math xmlns=\"http://www.w3.org/1998/Math/MathML\">{deep}</math>"
        "</assignmentRule></listOfRules>")
    with pytest.raises(SBMLError, match=r"^XML elements nested deeper than 1000 levels \(line 2\)"):
        load_sbml(sbml(body))
    with pytest.raises(SBMLError, match=r"^invalid SBML: line 2: mismatched tag$"):
        load_sbml(sbml(body).replace("</model>", "</mode>").replace(deep, "<ci>x</ci>"))
