"""Whatever the client sends through a DTO, the answer is the handler's or outpour's own 4xx, never a 500."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any

from hypothesis import given, settings
from hypothesis import strategies as st

from outpour import post
from outpour.dto import DataclassDTO, DTOConfig, DTOData
from outpour.testing import create_test_client


@dataclass
class Tag:
    label: str


@dataclass
class Article:
    title: str
    words: int
    tags: list[Tag] = field(default_factory=list)
    lead: Tag | None = None

    def __post_init__(self) -> None:
        if self.words < 0:
            raise ValueError("`words` cannot be negative")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["title", "words", "tags", "lead", "label", "x"]), inner, max_size=4)
    ),
    max_leaves=10,
)


_TAG = st.fixed_dictionaries({"label": st.text(max_size=4)}) | _JSON
_ARTICLES = st.fixed_dictionaries(
    {"title": st.text(max_size=8) | _JSON, "words": st.integers(-3, 3) | _JSON},
    optional={"tags": st.lists(_TAG, max_size=2) | _JSON, "lead": _TAG, "x": _JSON},
)
"""Articles, mostly well-formed: a field of the wrong type, a negative count, an unknown field."""


@post("/articles", dto=DataclassDTO[Article])
async def create(data: Article) -> Article:
    return data


@post("/drafts", dto=DataclassDTO[Annotated[Article, DTOConfig(partial=True, forbid_unknown_fields=True)]])
async def draft(data: DTOData[Article]) -> dict[str, Any]:
    return data.as_builtins()  # type: ignore[no-any-return]


@settings(max_examples=150, deadline=None)
@given(body=_ARTICLES | _JSON, path=st.sampled_from(["/articles", "/drafts"]))
def test_any_json_body_is_answered_with_201_or_400(body: Any, path: str) -> None:
    with create_test_client([create, draft]) as client:
        response = client.post(path, content=json.dumps(body), headers={"content-type": "application/json"})
    assert response.status_code in (201, 400), response.text
