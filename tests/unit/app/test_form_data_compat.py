"""Multipart and URL-encoded bodies decoded into ``data`` as Litestar 3.0 decodes them.

Every test builds its app on the specialised request paths and on the general one (``OUTPOUR_GENERAL_PATH=1``).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, ClassVar, TypedDict

import msgspec
import pydantic
import pytest

from outpour import Request, post
from outpour._body import _sequence_keys
from outpour.datastructures import UploadFile
from outpour.enums import RequestEncodingType
from outpour.params import Body, MultipartBody
from outpour.testing import create_test_client

BOUNDARY = "b0undary"
MULTIPART = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def _part(name: str, content: bytes, *, filename: str | None = None, headers: tuple[str, ...] = ()) -> bytes:
    disposition = f'form-data; name="{name}"' + ("" if filename is None else f'; filename="{filename}"')
    lines = [f"--{BOUNDARY}", f"Content-Disposition: {disposition}", *headers, "", ""]
    return "\r\n".join(lines).encode() + content + b"\r\n"


def _body(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


@pytest.fixture(autouse=True, params=[pytest.param(False, id="fast"), pytest.param(True, id="general")])
def general(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Build each app on the specialised paths, then on the general path."""
    if request.param:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
    else:
        monkeypatch.delenv("OUTPOUR_GENERAL_PATH", raising=False)
    return bool(request.param)


@dataclasses.dataclass
class Upload:
    files: list[UploadFile]
    tags: list[int] | None = None
    title: str = ""


class CamelUpload(msgspec.Struct, rename="camel"):
    file_list: list[UploadFile]


@pytest.mark.parametrize("encoding", [RequestEncodingType.MULTI_PART, RequestEncodingType.URL_ENCODED])
def test_one_value_for_a_list_field_is_a_list_of_one(encoding: RequestEncodingType) -> None:
    @dataclasses.dataclass
    class Form:
        tags: list[int]
        title: str

    @post("/", signature_namespace={"Form": Form})
    async def handler(data: Annotated[Form, Body(media_type=encoding)]) -> dict[str, Any]:
        return {"tags": data.tags, "title": data.title}

    with create_test_client([handler]) as client:
        if encoding is RequestEncodingType.URL_ENCODED:
            response = client.post("/", data={"tags": "1", "title": "t"})
        else:
            response = client.post("/", content=_body(_part("tags", b"1"), _part("title", b"t")), headers=MULTIPART)
    assert (response.status_code, response.json()) == (201, {"tags": [1], "title": "t"})


class PydanticForm(pydantic.BaseModel):
    tags: list[int]
    labels: set[str] | None = pydantic.Field(default=None, alias="label")
    title: str


def test_one_value_for_a_list_field_of_a_pydantic_model_is_a_list_of_one() -> None:
    @post("/")
    async def handler(data: Annotated[PydanticForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Any:
        return {"tags": data.tags, "labels": sorted(data.labels or ()), "title": data.title}

    with create_test_client([handler]) as client:
        response = client.post("/", data={"tags": "1", "label": "x", "title": "t"})
    assert (response.status_code, response.json()) == (201, {"tags": [1], "labels": ["x"], "title": "t"})


@pytest.mark.parametrize(
    ("annotation", "field"),
    [pytest.param(Upload, "files", id="dataclass"), pytest.param(CamelUpload, "fileList", id="renamed-struct")],
)
def test_one_file_for_a_list_of_files_is_a_list_of_one(annotation: Any, field: str) -> None:
    @post("/", signature_namespace={"annotation": annotation})
    async def handler(data: MultipartBody[annotation]) -> list[str]:
        files = data.files if isinstance(data, Upload) else data.file_list
        return [(await file.read()).decode() for file in files]

    with create_test_client([handler]) as client:
        response = client.post("/", files={field: ("a.txt", b"one", "text/plain")})
    assert (response.status_code, response.json()) == (201, ["one"])


def test_an_optional_file_is_none_when_the_form_has_none() -> None:
    @post("/")
    async def handler(data: MultipartBody[UploadFile | None]) -> str:
        return "none" if data is None else "file"

    with create_test_client([handler]) as client:
        empty = client.post("/")
        sent = client.post("/", files={"upload": ("a.txt", b"x", "text/plain")})
    assert (empty.status_code, empty.text) == (201, "none")
    assert (sent.status_code, sent.text) == (201, "file")


def test_an_empty_file_input_counts_as_no_file() -> None:
    @dataclasses.dataclass
    class Profile:
        name: str
        avatar: UploadFile | None = None

    @post("/", signature_namespace={"Profile": Profile})
    async def handler(data: MultipartBody[Profile]) -> str:
        return f"{data.name}:{'none' if data.avatar is None else data.avatar.filename}"

    @post("/single")
    async def single(data: MultipartBody[UploadFile | None]) -> str:
        return "none" if data is None else "file"

    # What a browser sends for a file input left empty: an empty filename and no bytes.
    unselected = _part("avatar", b"", filename="", headers=("Content-Type: application/octet-stream",))
    with create_test_client([handler, single]) as client:
        empty = client.post("/", content=_body(_part("name", b"ann"), unselected), headers=MULTIPART)
        chosen = client.post("/", data={"name": "bob"}, files={"avatar": ("me.png", b"png", "image/png")})
        empty_single = client.post("/single", content=_body(unselected), headers=MULTIPART)
    assert (empty.status_code, empty.text) == (201, "ann:none")
    assert (chosen.status_code, chosen.text) == (201, "bob:me.png")
    assert (empty_single.status_code, empty_single.text) == (201, "none")


def test_a_file_part_keeps_its_headers_in_the_order_sent() -> None:
    @post("/")
    async def handler(request: Request[Any, Any, Any]) -> list[list[str]]:
        form = await request.form()
        upload = form["doc"]
        assert isinstance(upload, UploadFile)
        return [[name, value] for name, value in upload.headers.items()]

    part = _part("doc", b"x", filename="d.txt", headers=("X-Custom: 1", "Content-Type: text/plain", "X-Custom: 2"))
    with create_test_client([handler]) as client:
        response = client.post("/", content=_body(part), headers=MULTIPART)
    assert response.json() == [
        ["content-disposition", 'form-data; name="doc"; filename="d.txt"'],
        ["x-custom", "1"],
        ["content-type", "text/plain"],
    ]


class _TwoParts(Request[Any, Any, Any]):
    form_max_fields: ClassVar[int] = 2


def test_a_multipart_body_with_too_many_parts_is_a_413() -> None:
    @post("/")
    async def handler(data: MultipartBody[dict[str, str]]) -> int:
        return len(data)

    with create_test_client([handler], request_class=_TwoParts) as client:
        fits = client.post("/", content=_body(_part("a", b"1"), _part("b", b"2")), headers=MULTIPART)
        too_many = client.post(
            "/", content=_body(_part("a", b"1"), _part("b", b"2"), _part("c", b"3")), headers=MULTIPART
        )
    assert (fits.status_code, fits.json()) == (201, 2)
    assert too_many.status_code == 413
    assert "more than the limit of 2 fields and files" in too_many.json()["detail"]


class _Filter(TypedDict):
    ids: list[int]
    name: str


@pytest.mark.parametrize(
    ("annotation", "keys"),
    [
        pytest.param(Upload, {"files", "tags"}, id="dataclass"),
        pytest.param(Upload | None, {"files", "tags"}, id="optional-model"),
        pytest.param(Annotated[CamelUpload, "meta"], {"fileList"}, id="renamed-struct"),
        pytest.param(PydanticForm, {"tags", "label"}, id="pydantic-aliases"),
        pytest.param(_Filter, {"ids"}, id="typeddict"),
        pytest.param(dict[str, str], set(), id="mapping"),
        pytest.param("not a type", set(), id="not-a-type"),
    ],
)
def test_the_list_fields_of_a_form_model_are_known_by_their_sent_names(annotation: Any, keys: set[str]) -> None:
    assert _sequence_keys(annotation) == keys
