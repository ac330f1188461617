"""is_json_media_type and is_msgpack_media_type."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour.enums import MediaType
from outpour.serialization import is_json_media_type, is_msgpack_media_type


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        pytest.param("application/json", True, id="json"),
        pytest.param(MediaType.JSON, True, id="enum"),
        pytest.param("APPLICATION/JSON", True, id="upper-case"),
        pytest.param("application/json; charset=utf-8", True, id="charset"),
        pytest.param("  application/json ;charset=UTF-8", True, id="spaces"),
        pytest.param("application/problem+json", True, id="problem-json"),
        pytest.param(MediaType.PROBLEM_JSON, True, id="problem-json-enum"),
        pytest.param("application/vnd.example.resource+json", True, id="vendor-suffix"),
        pytest.param("application/vnd.api+JSON; ext=bulk", True, id="suffix-upper-with-params"),
        pytest.param("application/json-patch+json", True, id="json-patch"),
        pytest.param("application/+json", False, id="empty-name"),
        pytest.param("application/a b+json", False, id="space-in-subtype"),
        pytest.param("application/a/b+json", False, id="slash-in-subtype"),
        pytest.param("application/jsonx", False, id="jsonx"),
        pytest.param("application/json+xml", False, id="json-then-xml"),
        pytest.param("text/json", False, id="text-json"),
        pytest.param("text/plain+json", False, id="text-suffix"),
        pytest.param("application/x-msgpack", False, id="msgpack"),
        pytest.param("", False, id="empty"),
        pytest.param(";application/json", False, id="parameters-only"),
    ],
)
def test_is_json_media_type(media_type: str, expected: bool) -> None:
    assert is_json_media_type(media_type) is expected


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        pytest.param("application/x-msgpack", True, id="x-msgpack"),
        pytest.param(MediaType.MESSAGEPACK, True, id="enum"),
        pytest.param(MediaType.MESSAGEPACK_IANA, True, id="iana-enum"),
        pytest.param("application/vnd.msgpack", True, id="vnd"),
        pytest.param("application/msgpack", True, id="plain"),
        pytest.param("Application/X-MsgPack; charset=binary", True, id="case-and-params"),
        pytest.param("application/json", False, id="json"),
        pytest.param("application/x-msgpack2", False, id="other"),
        pytest.param("", False, id="empty"),
    ],
)
def test_is_msgpack_media_type(media_type: str, expected: bool) -> None:
    assert is_msgpack_media_type(media_type) is expected


_TOKEN = st.text(alphabet=string.ascii_letters + string.digits + "!#$&^_.-", min_size=1, max_size=30)
_PARAMS = st.sampled_from(["", "; charset=utf-8", ";v=1", " ; profile=x"])


@given(name=_TOKEN, params=_PARAMS, upper=st.booleans())
def test_any_application_suffix_json_is_json(name: str, params: str, upper: bool) -> None:
    media_type = f"application/{name}+json{params}"
    assert is_json_media_type(media_type.upper() if upper else media_type)
    assert not is_msgpack_media_type(media_type)


@given(st.text(max_size=60))
def test_arbitrary_strings_never_raise(media_type: str) -> None:
    is_json = is_json_media_type(media_type)
    is_msgpack = is_msgpack_media_type(media_type)
    assert not (is_json and is_msgpack)
    if is_json:
        assert media_type.partition(";")[0].strip().lower().startswith("application/")
