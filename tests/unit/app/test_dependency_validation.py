"""An injected dependency whose value does not match its parameter's annotation is a 500, as Litestar documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NewType, Optional, Protocol, TypedDict, TypeVar, Union

import pytest

from outpour import get
from outpour.di import NamedDependency, Provide
from outpour.params import SkipValidation
from outpour.testing import create_test_client

UserId = NewType("UserId", int)
T = TypeVar("T")


class Shape(Protocol):
    def area(self) -> float: ...


class Movie(TypedDict):
    title: str


class Base:
    pass


class Child(Base):
    pass


def _serve(annotation: Any, value: Any, general_path: bool = False) -> tuple[int, Any]:
    def provider() -> Any:
        return value

    def handler(injected: Any) -> str:
        return type(injected).__name__

    handler.__annotations__["injected"] = annotation
    handler.__annotations__["return"] = str
    route = get("/", dependencies={"injected": Provide(provider, sync_to_thread=False)}, sync_to_thread=False)(handler)
    with create_test_client([route]) as client:
        response = client.get("/")
    return response.status_code, response.json() if response.status_code == 500 else response.text


@pytest.mark.parametrize(
    ("annotation", "value"),
    [
        pytest.param(int, 3, id="int"),
        pytest.param(NamedDependency[int], 3, id="named-int"),
        pytest.param(float, 3, id="int-as-float"),
        pytest.param(complex, 1.5, id="float-as-complex"),
        pytest.param(Optional[int], None, id="optional-none"),  # noqa: UP045 - the typing spelling is checked too
        pytest.param(int | None, None, id="pep604-none"),
        pytest.param(Union[int, str], "a", id="union"),  # noqa: UP007
        pytest.param(list[int], ["not", "checked", "inside"], id="list-origin-only"),
        pytest.param(Literal["a", "b"], "b", id="literal"),
        pytest.param(UserId, 7, id="newtype"),
        pytest.param(Base, Child(), id="subclass"),
        pytest.param(Any, object(), id="any"),
        pytest.param(object, 1, id="object"),
        pytest.param(Shape, 1, id="protocol-not-runtime-checkable"),
        pytest.param(Union[int, Shape], "a", id="union-with-an-uncheckable-member"),  # noqa: UP007
        pytest.param(Movie, 1, id="typeddict"),
        pytest.param(T, 1, id="typevar"),
        pytest.param(SkipValidation[int], "whoops", id="skip-validation"),
        pytest.param(Callable[[], int], len, id="callable"),
    ],
)
def test_a_value_of_the_annotated_type_or_an_uncheckable_annotation_is_injected(annotation: Any, value: Any) -> None:
    assert _serve(annotation, value) == (200, type(value).__name__)


@pytest.mark.parametrize(
    ("annotation", "value", "shown"),
    [
        pytest.param(int, "whoops", "int", id="str-for-int"),
        pytest.param(NamedDependency[int], "whoops", "int", id="named"),
        pytest.param(int, None, "int", id="none-for-int"),
        pytest.param(Optional[int], "x", "typing.Optional[int]".replace("typing.", ""), id="optional"),  # noqa: UP045
        pytest.param(Literal["a"], "b", "Literal['a']", id="literal"),
        pytest.param(Literal[1], True, "Literal[1]", id="literal-bool-is-not-1"),
        pytest.param(Child, Base(), "Child", id="base-for-subclass"),
        pytest.param(list[int], (1,), "list[int]", id="tuple-for-list"),
    ],
)
def test_a_value_of_another_type_is_a_500_that_names_both(
    annotation: Any, value: Any, shown: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert _serve(annotation, value) == (500, {"status_code": 500, "detail": "Internal Server Error"})
    assert (
        f"A dependency failed validation: Handler `_serve.<locals>.handler` (GET /) receives `injected` as `{shown}`, "
        f"but its provider returned `{value!r}` (a `{type(value).__name__}`). Make the provider return a `{shown}`"
    ) in caplog.text


@pytest.mark.parametrize("general_path", [False, True], ids=["plan", "general"])
def test_a_dependency_of_a_dependency_is_checked_too(
    general_path: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    if general_path:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")

    def token() -> str:
        return "abc"

    def user(token: int) -> str:
        return f"user {token}"

    @get(
        "/",
        dependencies={"token": Provide(token, sync_to_thread=False), "user": Provide(user, sync_to_thread=False)},
        sync_to_thread=False,
    )
    def handler(user: str) -> str:
        return user

    with create_test_client([handler]) as client:
        assert client.get("/").status_code == 500
    assert "Dependency `user` of Handler `" in caplog.text
    assert "receives `token` as `int`, but its provider returned `'abc'`" in caplog.text
