"""``ResponseHeader``: required values, injection-safe names and values, and hashing by name."""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour.datastructures import ResponseHeader
from outpour.exceptions import ImproperlyConfiguredException
from outpour.openapi.spec import Example


def test_fields_and_defaults() -> None:
    header = ResponseHeader(name="X-Version", value="1.2")
    assert (header.name, header.value, header.description, header.documentation_only) == (
        "X-Version",
        "1.2",
        None,
        False,
    )
    assert (header.required, header.deprecated, header.allow_empty_value, header.example) == (False, False, False, None)


def test_fields_in_litestar_order() -> None:
    assert [f.name for f in fields(ResponseHeader)] == [
        "name",
        "documentation_only",
        "value",
        "description",
        "required",
        "deprecated",
        "allow_empty_value",
        "style",
        "explode",
        "allow_reserved",
        "example",
        "examples",
    ]


def test_openapi_fields() -> None:
    examples = {"short": Example(value="1")}
    header = ResponseHeader(name="X-List", value="1,2", style="simple", explode=False, examples=examples)
    assert (header.style, header.explode, header.examples) == ("simple", False, examples)
    assert (ResponseHeader(name="x", value="1").style, ResponseHeader(name="x", value="1").explode) == (None, None)


@pytest.mark.parametrize("option", ["allow_empty_value", "allow_reserved"])
def test_query_only_options_are_deprecated(option: str) -> None:
    """Both are ignored for headers, as in Litestar: given, they warn; left out, they are ``False``."""
    assert getattr(ResponseHeader(name="x", value="1"), option) is False
    options: dict[str, Any] = {option: True}
    with pytest.warns(DeprecationWarning, match=f"`{option}` is deprecated and ignored") as caught:
        header = ResponseHeader(name="x", value="1", **options)
    assert getattr(header, option) is True
    assert caught[0].filename == __file__


def test_value_given_positionally_in_place_of_documentation_only() -> None:
    header: Any = "1"
    with pytest.raises(ImproperlyConfiguredException, match=r"`documentation_only` must be a `bool`, got `'1'`"):
        ResponseHeader("X-A", header)


def test_documentation_only_needs_no_value() -> None:
    header = ResponseHeader(name="X-Rate", documentation_only=True, description="Remaining calls", example="10")
    assert header.value is None
    assert header.example == "10"


def test_missing_value_message() -> None:
    with pytest.raises(ImproperlyConfiguredException) as info:
        ResponseHeader(name="x")
    assert info.value.detail == "ResponseHeader `x` needs a `value`, or set `documentation_only=True`."


def test_empty_and_non_str_values_are_accepted() -> None:
    assert ResponseHeader(name="x", value="").value == ""
    number: Any = 5
    assert ResponseHeader(name="x", value=number).value is number


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        pytest.param(
            {"name": "x", "value": "a\r\nSet-Cookie: s=1"},
            "value of header `x` contains the control character",
            id="crlf-value",
        ),
        pytest.param({"name": "x", "value": "a\x00"}, "control character", id="nul-value"),
        pytest.param({"name": "x", "value": "\u20ac"}, "latin-1 cannot encode", id="non-latin1-value"),
        pytest.param({"name": "x\r\ny", "value": "1"}, "contains a control character", id="crlf-name"),
        pytest.param({"name": "x y", "value": "1"}, "not a valid RFC 9110 token", id="space-name"),
        pytest.param({"name": "", "value": "1"}, "not a valid RFC 9110 token", id="empty-name"),
        pytest.param({"name": "x:", "value": "1"}, "not a valid RFC 9110 token", id="colon-name"),
        pytest.param({"name": 5, "value": "1"}, "name must be a string, got `5`", id="non-str-name"),
        pytest.param({"name": "x y", "documentation_only": True}, "not a valid RFC 9110 token", id="doc-only-bad-name"),
    ],
)
def test_validation(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=re.escape(fragment)):
        ResponseHeader(**kwargs)


def test_hash_by_lowercased_name() -> None:
    assert hash(ResponseHeader(name="X-A", value="1")) == hash(ResponseHeader(name="x-a", value="2"))
    assert ResponseHeader(name="x-a", value="1") == ResponseHeader(name="x-a", value="1")
    assert ResponseHeader(name="x-a", value="1") != ResponseHeader(name="x-a", value="2")
    assert len({ResponseHeader(name="x-a", value="1"), ResponseHeader(name="x-a", value="1")}) == 1


@given(st.text(max_size=10), st.text(max_size=20))
def test_hostile_input_only_raises_the_documented_exception(name: str, value: str) -> None:
    try:
        header = ResponseHeader(name=name, value=value)
    except ImproperlyConfiguredException:
        return
    assert header.name.encode("ascii")
    assert value.encode("latin-1").find(b"\r") == -1
    assert "\n" not in value
