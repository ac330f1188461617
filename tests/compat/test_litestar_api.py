"""outpour has every name of Litestar 3.0's core API, at the same import path, callable with the same arguments.

``litestar_core_api.json`` lists each ``[core]`` module of Litestar 3.0's public API with its names, the parameter
names of its functions and of its classes' methods (in order, with ``*``, ``/``, ``*args`` and ``**kwargs`` as
written). ``litestar.x`` is looked up as ``outpour.x``, and the app class ``Litestar`` as ``Outpour``.

A callable matches when every call Litestar's accepts is accepted: the same positional parameters in the same order,
``*args`` and ``**kwargs`` where Litestar has them, and every keyword-only parameter (in any order: a caller cannot
tell). outpour may add keyword-only parameters that have a default, and positional ones with a default after
Litestar's. ``**options: Unpack[SomeTypedDict]`` counts as
the ``TypedDict``'s keys (STYLE.md declares shared options once that way).

``KNOWN_MISSING`` lists what outpour does not have yet, each with the reason. A test fails when something else is
missing (a regression) and when a listed name has arrived (remove it from the list). Keys are ``module`` (the whole
module is missing), ``module:Name`` (a name is absent, or a function's parameters differ) or ``module:Class.method``.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, Unpack, get_args, get_origin, is_typeddict

import pytest

API: dict[str, dict[str, Any]] = json.loads(Path(__file__).with_name("litestar_core_api.json").read_text())["modules"]
RENAMED = {"Litestar": "Outpour"}

KNOWN_MISSING: dict[str, str] = {}


_ABSENT = object()


@dataclass
class _Shape:
    """What a caller can pass: positional parameters in order, ``*args``, keyword-only names, ``**kwargs``."""

    positional: list[str]
    var_positional: bool
    optional_from: int | None = None
    """The index in ``positional`` of the first parameter with a default."""
    keywords: set[str] = field(default_factory=set)
    optional_keywords: set[str] = field(default_factory=set)
    var_keyword: bool = False
    var_keyword_typed: bool = False

    @classmethod
    def from_names(cls, names: list[str]) -> _Shape:
        """Read the notation of the data file: ``["a", "/", "b", "*", "c", "**kwargs"]``."""
        split = next((i for i, name in enumerate(names) if name == "*" or name.startswith("*")), len(names))
        rest = names[split:]
        return cls(
            positional=names[:split],
            var_positional=bool(rest) and rest[0] != "*" and not rest[0].startswith("**"),
            keywords={name for name in rest[1:] if not name.startswith("*")},
            var_keyword=any(name.startswith("**") for name in names),
        )


def _unpacked_keys(fn: Any, param: inspect.Parameter) -> tuple[set[str], set[str]] | None:
    """The required and optional keys of ``**name: Unpack[SomeTypedDict]``, or ``None`` for any other annotation."""
    annotation = param.annotation
    if isinstance(annotation, str):
        match = re.fullmatch(r"Unpack\[(\w+)\]", annotation)
        scope = getattr(inspect.unwrap(fn), "__globals__", {})
        annotation = scope.get(match.group(1)) if match else None
        if annotation is None:
            return None
    elif get_origin(annotation) is Unpack:
        annotation = get_args(annotation)[0]
    else:
        return None
    if not is_typeddict(annotation):
        return None
    return set(annotation.__required_keys__), set(annotation.__optional_keys__)


def _shape_of(obj: Any) -> _Shape | None:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = [p for p in signature.parameters.values() if p.name not in ("self", "cls")]
    shape = _Shape(positional=[], var_positional=False)
    for index, param in enumerate(params):
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            if param.default is not param.empty and shape.optional_from is None:
                shape.optional_from = len(shape.positional)
            shape.positional.append(param.name)
            following = params[index + 1].kind if index + 1 < len(params) else None
            if param.kind is param.POSITIONAL_ONLY and following is not param.POSITIONAL_ONLY:
                shape.positional.append("/")
        elif param.kind is param.VAR_POSITIONAL:
            shape.var_positional = True
        elif param.kind is param.KEYWORD_ONLY:
            (shape.keywords if param.default is param.empty else shape.optional_keywords).add(param.name)
        else:
            shape.var_keyword = True
            if (keys := _unpacked_keys(obj, param)) is not None:
                shape.var_keyword_typed = True
                shape.keywords |= keys[0]
                shape.optional_keywords |= keys[1]
    return shape


def _differs(obj: Any, expected_names: list[str]) -> str | None:
    """Why ``obj`` cannot be called as Litestar's callable can, or ``None`` when it can."""
    actual, expected = _shape_of(obj), _Shape.from_names(expected_names)
    if actual is None:
        return "has no signature"
    problems = []
    known, added = actual.positional[: len(expected.positional)], actual.positional[len(expected.positional) :]
    optional_from = len(actual.positional) if actual.optional_from is None else actual.optional_from
    if known != expected.positional or (
        added and (optional_from > len(expected.positional) or expected.var_positional)
    ):
        problems.append(f"positional parameters {actual.positional} instead of {expected.positional}")
    if actual.var_positional != expected.var_positional:
        problems.append("`*args` " + ("added" if actual.var_positional else "missing"))
    if missing := sorted(expected.keywords - actual.keywords - actual.optional_keywords):
        problems.append(f"keywords missing: {missing}")
    if required := sorted(actual.keywords - expected.keywords):
        problems.append(f"keywords required that Litestar does not have: {required}")
    if expected.var_keyword and not actual.var_keyword:
        problems.append("`**kwargs` missing")
    if actual.var_keyword and not actual.var_keyword_typed and not expected.var_keyword:
        problems.append("takes any `**kwargs` where Litestar names each keyword")
    return "; ".join(problems) or None


def problems_of(module: str) -> dict[str, str]:
    """What is absent or different in outpour's equivalent of ``module``, by key of ``KNOWN_MISSING``."""
    target = "outpour" + module.removeprefix("litestar")
    try:
        imported = importlib.import_module(target)
    except ImportError as exc:
        return {module: f"`{target}` does not import: {exc}"}
    problems: dict[str, str] = {}
    for name, entry in API[module].items():
        obj = getattr(imported, RENAMED.get(name, name), _ABSENT)
        if obj is _ABSENT:
            problems[f"{module}:{name}"] = f"`{target}.{RENAMED.get(name, name)}` is absent"
            continue
        if "params" in entry and (problem := _differs(obj, entry["params"])):
            problems[f"{module}:{name}"] = problem
        for method, expected in entry.get("methods", {}).items():
            member = getattr(obj, method, _ABSENT)
            if member is _ABSENT:
                problems[f"{module}:{name}.{method}"] = "absent"
            elif problem := _differs(member, expected):
                problems[f"{module}:{name}.{method}"] = problem
    return problems


def _known_in(module: str) -> set[str]:
    return {key for key in KNOWN_MISSING if key == module or key.startswith(f"{module}:")}


@pytest.mark.parametrize("module", sorted(API))
def test_module_has_litestars_names_and_parameters(module: str) -> None:
    problems = problems_of(module)
    unexpected = {key: problem for key, problem in problems.items() if key not in KNOWN_MISSING}
    arrived = sorted(_known_in(module) - problems.keys())
    assert not unexpected, f"missing or different in outpour (fix, or add to KNOWN_MISSING with a reason): {unexpected}"
    assert not arrived, f"now present in outpour: remove from KNOWN_MISSING: {arrived}"


def test_known_missing_keys_name_listed_entries() -> None:
    """A typo in ``KNOWN_MISSING`` would hide nothing and never fail: every key must name an entry of the data."""
    listed = set(API)
    for module, names in API.items():
        for name, entry in names.items():
            listed.add(f"{module}:{name}")
            listed.update(f"{module}:{name}.{method}" for method in entry.get("methods", {}))
    assert sorted(KNOWN_MISSING.keys() - listed) == []


@pytest.mark.parametrize(
    ("declared", "expected", "problem"),
    [
        pytest.param("def f(a, b=1): ...", ["a", "b"], None, id="positional"),
        pytest.param("def f(self, a, /): ...", ["a", "/"], None, id="self-skipped"),
        pytest.param("def f(b, a): ...", ["a", "b"], "positional parameters ['b', 'a']", id="positional-order"),
        pytest.param("def f(a, b=1, c=2): ...", ["a", "b"], None, id="optional-positional-added"),
        pytest.param("def f(a, b=1, c=2): ...", ["a"], None, id="optional-positionals-added"),
        pytest.param("def f(a, c, b=1): ...", ["a"], "positional parameters", id="required-positional-added"),
        pytest.param("def f(a, c=1, *args): ...", ["a", "*args"], "positional parameters", id="added-before-args"),
        pytest.param("def f(a, *, c, b): ...", ["a", "*", "b", "c"], None, id="keyword-order-free"),
        pytest.param("def f(a, *, b, extra=1): ...", ["a", "*", "b"], None, id="optional-keyword-added"),
        pytest.param("def f(a, *, b, extra): ...", ["a", "*", "b"], "keywords required", id="required-keyword-added"),
        pytest.param("def f(a, *, c): ...", ["a", "*", "b"], "keywords missing: ['b']", id="keyword-missing"),
        pytest.param("def f(a, *args, **kw): ...", ["a", "*args", "**kwargs"], None, id="variadic"),
        pytest.param("def f(a, **kw): ...", ["a", "*", "b"], "takes any `**kwargs`", id="untyped-kwargs"),
        pytest.param("def f(a, **kw: Unpack[Opts]): ...", ["a", "*", "b"], None, id="unpacked-typeddict"),
        pytest.param(
            "def f(a, **kw: Unpack[Opts]): ...", ["a", "*", "c"], "keywords missing: ['c']", id="unpacked-miss"
        ),
    ],
)
def test_signature_comparison(declared: str, expected: list[str], problem: str | None) -> None:
    """The comparison accepts what a Litestar caller can call, and names what it cannot."""

    class Opts(TypedDict, total=False):
        b: int

    namespace: dict[str, Any] = {"Unpack": Unpack, "Opts": Opts}
    exec(declared, namespace)
    found = _differs(namespace["f"], expected)
    assert (found is None) if problem is None else (found is not None and problem in found), found
