"""The part limit of multipart bodies: the app's ``multipart_form_part_limit`` and a route's ``Body(...)`` one.

Every test builds its app on the specialised request paths and on the general one (``OUTPOUR_GENERAL_PATH=1``).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import pytest

from outpour import Outpour, Request, post
from outpour.datastructures import UploadFile
from outpour.enums import RequestEncodingType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.params import Body, MultipartBody
from outpour.testing import create_test_client


@pytest.fixture(autouse=True, params=[pytest.param(False, id="fast"), pytest.param(True, id="general")])
def general(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Build each app on the specialised paths, then on the general path."""
    if request.param:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
    else:
        monkeypatch.delenv("OUTPOUR_GENERAL_PATH", raising=False)
    return bool(request.param)


def _files(count: int) -> list[tuple[str, tuple[str, bytes]]]:
    return [("file", (f"f{i}.txt", b"x")) for i in range(count)]


@post("/files")
async def count_files(data: MultipartBody[list[UploadFile]]) -> int:
    return len(data)


@post("/form")
async def count_form_items(request: Request[Any, Any, Any]) -> int:
    return len((await request.form()).multi_items())


def _limited(limit: int) -> Any:
    @post("/limited")
    async def limited(
        data: Annotated[
            list[UploadFile], Body(media_type=RequestEncodingType.MULTI_PART, multipart_form_part_limit=limit)
        ],
    ) -> int:
        return len(data)

    return limited


def test_the_app_limit_is_1000_by_default() -> None:
    assert Outpour([]).multipart_form_part_limit == 1000


@pytest.mark.parametrize("path", ["/files", "/form"])
def test_the_app_limit_refuses_a_body_with_more_parts(path: str) -> None:
    with create_test_client([count_files, count_form_items], multipart_form_part_limit=3) as client:
        fits = client.post(path, files=_files(3))
        too_many = client.post(path, files=_files(4))
    assert (fits.status_code, fits.json()) == (201, 3)
    assert too_many.status_code == 413
    assert too_many.json()["detail"] == "The form has more than the limit of 3 fields and files; send fewer."


def test_the_app_limit_counts_text_fields_too() -> None:
    with create_test_client([count_form_items], multipart_form_part_limit=2) as client:
        response = client.post("/form", data={"a": "1", "b": "2"}, files=_files(1))
    assert response.status_code == 413


def test_the_app_limit_leaves_url_encoded_forms_alone() -> None:
    with create_test_client([count_form_items], multipart_form_part_limit=1) as client:
        response = client.post("/form", data={"a": "1", "b": "2", "c": "3"})
    assert (response.status_code, response.json()) == (201, 3)


@pytest.mark.parametrize(("route_limit", "sent", "status"), [(2, 2, 201), (2, 3, 413), (6, 6, 201), (6, 7, 413)])
def test_a_route_limit_takes_precedence_over_the_app_limit(route_limit: int, sent: int, status: int) -> None:
    with create_test_client([_limited(route_limit), count_files], multipart_form_part_limit=4) as client:
        response = client.post("/limited", files=_files(sent))
        other_route = client.post("/files", files=_files(5))
    assert response.status_code == status
    assert other_route.status_code == 413


class _TwoParts(Request[Any, Any, Any]):
    form_max_fields: ClassVar[int] = 2


def test_without_an_app_limit_the_request_class_limit_applies() -> None:
    with create_test_client([count_files, _limited(3)], request_class=_TwoParts) as client:
        class_limited = client.post("/files", files=_files(3))
        route_limited = client.post("/limited", files=_files(3))
    assert class_limited.status_code == 413
    assert route_limited.status_code == 201


@pytest.mark.parametrize("limit", [0, -1, "10", 2.5, True])
def test_an_invalid_app_limit_is_refused(limit: Any) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"`multipart_form_part_limit` of `Outpour\(...\)` is"):
        Outpour([], multipart_form_part_limit=limit)


def test_an_invalid_route_limit_is_refused() -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"a whole number of 1 or more"):
        Outpour([_limited(0)])


def test_a_route_limit_on_a_json_body_is_refused() -> None:
    @post("/json")
    async def handler(data: Annotated[dict[str, int], Body(multipart_form_part_limit=5)]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match=r"only applies to multipart forms"):
        Outpour([handler])
