"""``NamedDependency`` injection, ``Provide.__call__`` and ``Provide.finalize``."""

from __future__ import annotations

import inspect
from collections.abc import Generator
from typing import Any, get_args

import pytest

from outpour import Controller, Outpour, Router, get
from outpour.di import NamedDependency, Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.params import DependencyKwarg, FromQuery
from outpour.plugins import DIPlugin
from outpour.testing import create_test_client


def test_named_dependency_on_every_layer() -> None:
    async def bool_fn() -> bool:
        return True

    async def dict_fn() -> dict[str, int]:
        return {"a": 1}

    def list_fn() -> list[int]:
        return [1]

    async def int_fn() -> int:
        return 7

    class MyController(Controller):
        path = "/controller"
        dependencies = {"controller_dependency": Provide(list_fn, sync_to_thread=False)}  # noqa: RUF012

        @get(path="/handler", dependencies={"local_dependency": Provide(int_fn)})
        async def my_route_handler(
            self,
            app_dependency: NamedDependency[bool],
            router_dependency: NamedDependency[dict[str, int]],
            controller_dependency: NamedDependency[list[int]],
            local_dependency: NamedDependency[int],
        ) -> list[Any]:
            return [app_dependency, router_dependency, controller_dependency, local_dependency]

    router = Router(path="/router", dependencies={"router_dependency": Provide(dict_fn)}, route_handlers=[MyController])
    with create_test_client([router], dependencies={"app_dependency": Provide(bool_fn)}) as client:
        assert client.get("/router/controller/handler").json() == [True, {"a": 1}, [1], 7]


def test_named_dependency_inside_a_dependency() -> None:
    async def first() -> int:
        return 4

    async def second(injected_integer: NamedDependency[int]) -> bool:
        return injected_integer % 2 == 0

    @get("/")
    async def handler(injected_bool: NamedDependency[bool]) -> str:
        return "it's true!" if injected_bool else "nope"

    with create_test_client([handler], dependencies={"injected_integer": first, "injected_bool": second}) as client:
        assert client.get("/").text == "it's true!"


def test_named_dependency_default_when_not_provided() -> None:
    @get("/")
    async def handler(optional_dependency: NamedDependency[int] = 3) -> int:
        return optional_dependency

    with create_test_client([handler]) as client:
        assert client.get("/").json() == 3
        operation = client.get("/schema/openapi.json").json()["paths"]["/"]["get"]
    assert "parameters" not in operation


def test_named_dependency_not_provided_is_refused_at_creation() -> None:
    @get("/")
    async def handler(non_optional_dependency: NamedDependency[int]) -> int:
        return non_optional_dependency

    with pytest.raises(ImproperlyConfiguredException, match=r"dependency `non_optional_dependency`, but no layer"):
        Outpour([handler])


def test_named_dependency_is_the_dependency_marker() -> None:
    assert get_args(NamedDependency[int]) == (int, DependencyKwarg())


@pytest.mark.anyio
@pytest.mark.parametrize("sync_to_thread", [pytest.param(False, id="loop"), pytest.param(True, id="thread")])
async def test_provide_call_runs_sync_and_async_providers(sync_to_thread: bool) -> None:
    def add(a: int, b: int) -> int:
        return a + b

    async def mul(a: int, b: int) -> int:
        return a * b

    assert await Provide(add, sync_to_thread=sync_to_thread)(a=2, b=3) == 5
    assert await Provide(mul)(a=2, b=3) == 6


@pytest.mark.anyio
async def test_provide_call_caches_with_use_cache() -> None:
    calls: list[int] = []

    def value() -> int:
        calls.append(1)
        return len(calls)

    provide = Provide(value, use_cache=True)
    assert (await provide(), await provide()) == (1, 1)
    assert calls == [1]
    uncached = Provide(value)
    assert (await uncached(), await uncached()) == (2, 3)


@pytest.mark.anyio
async def test_provide_call_returns_a_generator_for_the_caller_to_drive() -> None:
    def gen() -> Generator[str, None, None]:
        yield "value"

    result = await Provide(gen)()
    assert inspect.isgenerator(result)
    assert next(result) == "value"


def test_provide_call_signature_is_keyword_only() -> None:
    assert list(inspect.signature(Provide.__call__).parameters) == ["self", "kwargs"]


class Settings:
    def __init__(self, **values: Any) -> None:
        self.values = values


class SettingsPlugin(DIPlugin):
    def has_typed_init(self, type_: Any) -> bool:
        return isinstance(type_, type) and issubclass(type_, Settings)

    def get_typed_init(self, type_: Any) -> tuple[inspect.Signature, dict[str, Any]]:
        signature = inspect.Signature([inspect.Parameter("region", inspect.Parameter.KEYWORD_ONLY)])
        return signature, {"region": FromQuery[str]}


def test_finalize_takes_the_signature_from_a_di_plugin() -> None:
    provide = Provide(Settings)
    provide.finalize(
        plugins=[SettingsPlugin()], signature_namespace={}, dependency_keys=set(), data_dto=None, type_decoders=[]
    )
    assert provide.parsed_signature is not None
    signature, hints = provide.parsed_signature
    assert list(signature.parameters) == ["region"]
    assert hints == {"region": FromQuery[str]}


def test_di_plugin_signature_is_used_by_the_app() -> None:
    @get("/", dependencies={"settings": Provide(Settings, sync_to_thread=False)})
    async def handler(settings: NamedDependency[Settings]) -> dict[str, Any]:
        return settings.values

    with create_test_client([handler], plugins=[SettingsPlugin()]) as client:
        assert client.get("/?region=eu").json() == {"region": "eu"}
        assert client.get("/").status_code == 400


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"data_dto": object}, "DTOs are not supported yet", id="dto"),
        pytest.param({"type_decoders": [(int,)]}, r"`\(predicate, decoder\)` pair", id="bad-decoder"),
        pytest.param({"dependency_keys": set()}, r"needs the dependency `other`", id="missing-dependency"),
    ],
)
def test_finalize_refuses(kwargs: dict[str, Any], match: str) -> None:
    def provider(other: NamedDependency[int]) -> int:
        return other

    options: dict[str, Any] = {
        "plugins": [],
        "signature_namespace": {},
        "dependency_keys": {"other"},
        "data_dto": None,
        "type_decoders": [],
    }
    with pytest.raises(ImproperlyConfiguredException, match=match):
        Provide(provider).finalize(**{**options, **kwargs})


def test_finalize_resolves_names_from_the_signature_namespace() -> None:
    def provider(value: Later) -> int:  # type: ignore[name-defined]  # noqa: F821
        return 1

    provide = Provide(provider)
    with pytest.raises(ImproperlyConfiguredException, match="Cannot resolve the annotations"):
        provide.finalize(plugins=[], signature_namespace={}, dependency_keys=set(), data_dto=None, type_decoders=[])
    provide.finalize(
        plugins=[], signature_namespace={"Later": int}, dependency_keys=set(), data_dto=None, type_decoders=[]
    )
    assert provide.parsed_signature is not None
    assert provide.parsed_signature[1]["value"] is int
