"""``create_static_files_router`` refuses unusable paths and directories, and hands its options to the router."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from outpour import Outpour, get
from outpour.exceptions import ImproperlyConfiguredException
from outpour.static_files import create_static_files_router
from outpour.testing import create_test_client


@pytest.mark.parametrize(
    "directories",
    [
        pytest.param([""], id="empty-string"),
        pytest.param(["assets", ""], id="one-empty-string"),
        pytest.param([Path("assets"), ""], id="path-and-empty-string"),
    ],
)
def test_an_empty_directory_name_is_refused(directories: Any) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="directories"):
        create_static_files_router(path="/static", directories=directories)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("", id="empty"),
        pytest.param("/{name:str}", id="parameter"),
        pytest.param("/files/{version:int}/static", id="inner-parameter"),
    ],
)
def test_a_path_that_is_empty_or_has_parameters_is_refused(path: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"without parameters, got"):
        create_static_files_router(path=path, directories=["assets"])


@pytest.mark.parametrize(
    ("include_in_schema", "expected"),
    [pytest.param(False, False, id="false"), pytest.param(True, True, id="true")],
)
def test_include_in_schema_is_set_on_the_router(include_in_schema: bool, expected: bool) -> None:
    router = create_static_files_router(path="/static", directories=["assets"], include_in_schema=include_in_schema)
    assert router.include_in_schema is expected


def test_a_router_left_out_of_the_schema_serves_files_but_has_no_operation(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A")
    router = create_static_files_router(path="/static", directories=[tmp_path], include_in_schema=False)
    with create_test_client([router]) as client:
        assert client.get("/static/a.txt").text == "A"
        assert isinstance(client.app, Outpour)
        assert "/static/{file_path}" not in client.app.openapi_schema.to_schema().get("paths", {})


def test_several_routers_may_keep_the_default_name(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / f"{folder.name}.txt").write_text(folder.name)
    routers = [
        create_static_files_router(path="/one", directories=[first]),
        create_static_files_router(path="/two", directories=[second]),
    ]
    with create_test_client(routers) as client:
        assert (client.get("/one/first.txt").text, client.get("/two/second.txt").text) == ("first", "second")
        assert client.get("/one/second.txt").status_code == 404
        assert client.app.route_reverse("static", file_path="x.css") == "/one/x.css"


def test_a_handler_function_may_not_share_the_name_of_a_static_router() -> None:
    @get("/other", name="static", sync_to_thread=False)
    def other() -> str:
        return "other"

    with pytest.raises(ImproperlyConfiguredException, match="name `static` is used by"):
        Outpour([create_static_files_router(path="/static", directories=["assets"]), other])
