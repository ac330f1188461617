"""Reading a served OpenAPI document into spec objects: typed where a spec class holds a part exactly, same bytes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour.openapi._spec_reader import read_document
from outpour.openapi.spec import OpenAPI, OpenAPIResponse, Operation, Parameter, PathItem, Reference, Schema
from outpour.serialization import encode_json

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "/"}],
    "paths": {
        "/items/{item_id}": {
            "post": {"operationId": "make", "responses": {"201": {"description": "Created"}}},
            "get": {
                "summary": "Get",
                "operationId": "get",
                "parameters": [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                    }
                },
            },
        }
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "properties": {
                    "size": {"$ref": "#/components/schemas/Size", "default": 1},
                    "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
                    "tag": {"type": "string", "x-internal": True},
                },
                "required": ["size"],
            }
        }
    },
}


def test_the_document_is_read_into_spec_objects() -> None:
    document = read_document(DOCUMENT)
    item = (document.paths or {})["/items/{item_id}"]
    assert isinstance(item, PathItem)
    assert isinstance(item.get, Operation)
    assert isinstance((item.get.parameters or [])[0], Parameter)
    response = (item.get.responses or {})["200"]
    assert isinstance(response, OpenAPIResponse)
    media = (response.content or {})["application/json"]
    assert isinstance(media.schema, Reference)
    assert media.schema.ref == "#/components/schemas/Item"
    schema = (document.components.schemas or {})["Item"]
    assert isinstance(schema, Schema)
    assert schema.required == ["size"]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        pytest.param("size", "a `$ref` with a sibling: neither a `Reference` nor a `Schema`", id="ref-and-default"),
        pytest.param("note", "a `null` default: a `Schema` leaves `None` out", id="null-default"),
        pytest.param("tag", "an extension key: no `Schema` field", id="extension"),
    ],
)
def test_a_part_no_spec_class_holds_exactly_stays_a_dict(name: str, why: str) -> None:
    schema = (read_document(DOCUMENT).components.schemas or {})["Item"]
    assert isinstance(schema, Schema)
    assert (schema.properties or {})[name] == DOCUMENT["components"]["schemas"]["Item"]["properties"][name], why


def test_the_document_renders_back_in_its_own_order() -> None:
    """``post`` before ``get`` stays so, although ``PathItem`` declares ``get`` first."""
    rendered = read_document(DOCUMENT).to_schema()
    assert list(rendered["paths"]["/items/{item_id}"]) == ["post", "get"]
    assert encode_json(rendered) == encode_json(DOCUMENT)


def test_the_objects_share_nothing_with_the_document() -> None:
    document = read_document(DOCUMENT)
    schema = (document.components.schemas or {})["Item"]
    assert isinstance(schema, Schema)
    (schema.required or []).append("note")
    assert DOCUMENT["components"]["schemas"]["Item"]["required"] == ["size"]


def test_a_changed_object_renders_the_change_after_the_documents_keys() -> None:
    document = read_document(DOCUMENT)
    operation = (document.paths or {})["/items/{item_id}"].post
    assert operation is not None
    operation.description = "Makes one"
    assert list(document.to_schema()["paths"]["/items/{item_id}"]["post"]) == [
        "operationId",
        "responses",
        "description",
    ]


def test_something_else_than_a_document_is_refused() -> None:
    with pytest.raises(ValueError, match="Not an OpenAPI document"):
        read_document({"swagger": "2.0"})


# Keys of the spec objects (and a few no spec object has), so that generated parts are often typed, sometimes not.
_KEYS = st.sampled_from(
    [
        *("$ref", "type", "properties", "items", "anyOf", "required", "default", "description", "title", "format"),
        *("name", "in", "schema", "content", "responses", "parameters", "requestBody", "get", "post", "summary"),
        *("operationId", "tags", "deprecated", "examples", "value", "headers", "x-extension", "nullable"),
    ]
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=25,
)
_DOCUMENTS = st.fixed_dictionaries(
    {
        "openapi": st.just("3.1.0"),
        "info": st.fixed_dictionaries({"title": st.text(max_size=5), "version": st.text(max_size=3)}),
        "servers": st.lists(st.fixed_dictionaries({"url": st.text(max_size=5)}), max_size=2),
        "paths": st.dictionaries(
            st.text(max_size=6).map(lambda s: "/" + s),
            st.dictionaries(st.sampled_from(["get", "post", "head", "trace", "summary", "x-y"]), _JSON, max_size=3),
            max_size=3,
        ),
    },
    optional={"components": st.dictionaries(st.sampled_from(["schemas", "responses", "x"]), _JSON, max_size=2)},
)


@given(_DOCUMENTS)
def test_any_document_renders_back_to_the_same_bytes(document: dict[str, Any]) -> None:
    read = read_document(document)
    assert isinstance(read, OpenAPI)
    assert encode_json(read.to_schema()) == encode_json(document)
