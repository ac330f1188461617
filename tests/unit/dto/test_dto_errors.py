"""DTO mistakes: bad client data is a 400 saying what is wrong; a bad DTO setup raises when the app is created."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, cast

import pytest

from outpour import Outpour, get, post, websocket, websocket_listener
from outpour.dto import DataclassDTO, DTOConfig, DTOData, dto_field
from outpour.exceptions import ImproperlyConfiguredException, InvalidAnnotationException
from outpour.testing import create_test_client


@dataclass
class Address:
    street: str


@dataclass
class User:
    name: str
    age: int
    address: Address
    id: int = field(default=0, metadata=dto_field("read-only"))

    def __post_init__(self) -> None:
        if self.age < 0:
            raise ValueError("`age` cannot be negative")


@dataclass
class Account:
    id: int
    owner: str


UserDTO = DataclassDTO[Annotated[User, DTOConfig(rename_strategy="camel")]]


@post("/users", dto=UserDTO, return_dto=None)
async def create_user(data: User) -> str:
    return data.name


@post("/strict", dto=DataclassDTO[Annotated[User, DTOConfig(forbid_unknown_fields=True)]], return_dto=None)
async def strict(data: User) -> str:
    return data.name


@pytest.mark.parametrize(
    ("path", "body", "message", "key"),
    [
        pytest.param(
            "/users",
            b'{"name": "a", "age": "x", "address": {"street": "s"}}',
            "Expected `int`, got `str`",
            "age",
            id="type",
        ),
        pytest.param(
            "/users",
            b'{"name": "a", "age": 1, "address": {"street": 3}}',
            "Expected `str`, got `int`",
            "address.street",
            id="nested-type",
        ),
        pytest.param("/users", b'{"name": "a", "age": 1}', "Object missing required field `address`", "", id="missing"),
        pytest.param("/users", b"[1, 2]", "Expected `object`, got `array`", "", id="not-an-object"),
        pytest.param(
            "/users",
            b'{"name": "a", "age": -1, "address": {"street": "s"}}',
            "`age` cannot be negative",
            "",
            id="model-refuses",
        ),
        pytest.param(
            "/strict",
            b'{"name": "a", "age": 1, "address": {"street": "s"}, "x": 1}',
            "Object contains unknown field `x`",
            "",
            id="unknown-field",
        ),
        pytest.param(
            "/strict",
            b'{"name": "a", "age": 1, "address": {"street": "s"}, "id": 1}',
            "Object contains unknown field `id`",
            "",
            id="read-only-field-is-unknown",
        ),
    ],
)
def test_invalid_client_data_is_a_400_naming_the_problem(path: str, body: bytes, message: str, key: str) -> None:
    with create_test_client([create_user, strict]) as client:
        response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    (error,) = response.json()["extra"]
    assert (error["message"], error["key"], error["source"]) == (message, key, "body")


def test_renamed_fields_are_named_as_the_client_sends_them() -> None:
    with create_test_client([create_user]) as client:
        response = client.post("/users", json={"name": "a", "age": 1, "address": {}})
    assert response.json()["extra"][0]["message"] == "Object missing required field `street`"


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        pytest.param(b"{nope", 400, "Malformed JSON request body", id="malformed"),
        pytest.param(b"", 400, "The request body is empty, but this endpoint needs one.", id="empty"),
    ],
)
def test_unreadable_bodies_are_4xx(body: bytes, status: int, detail: str) -> None:
    with create_test_client([create_user]) as client:
        response = client.post("/users", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert detail in response.text


def test_a_data_type_the_dto_is_not_narrowed_with_raises_at_creation() -> None:
    @post("/", dto=UserDTO)
    async def handler(data: Account) -> None:
        return None

    with pytest.raises(InvalidAnnotationException, match=r"narrowed with `User`, but the handler's `data` type is"):
        Outpour([handler])


def test_fields_client_data_cannot_give_raise_at_creation() -> None:
    @post("/", dto=DataclassDTO[Annotated[Account, DTOConfig(exclude={"id"})]])
    async def handler(data: Account) -> None:
        return None

    with pytest.raises(
        ImproperlyConfiguredException, match=r"`Account` needs `id`.*Annotate `data: DTOData\[Account\]`"
    ):
        Outpour([handler])


def test_dto_data_takes_what_client_data_cannot_give() -> None:
    @post("/", dto=DataclassDTO[Annotated[Account, DTOConfig(exclude={"id"})]], return_dto=DataclassDTO[Account])
    async def handler(data: DTOData[Account]) -> Account:
        return data.create_instance(id=5)

    with create_test_client([handler]) as client:
        assert client.post("/", json={"owner": "ann", "id": 9}).json() == {"id": 5, "owner": "ann"}


@pytest.mark.parametrize(
    ("options", "match"),
    [
        pytest.param({"dto": object}, r"`dto=<class 'object'>` is not a DTO", id="not-a-dto"),
        pytest.param({"return_dto": DataclassDTO}, r"`DataclassDTO` is not narrowed with a model", id="not-narrowed"),
    ],
)
def test_dto_options_must_be_narrowed_dto_classes(options: dict[str, Any], match: str) -> None:
    @post("/")
    async def handler(data: Account) -> Account:
        return data

    with pytest.raises((ImproperlyConfiguredException, InvalidAnnotationException), match=match):
        Outpour([handler], **options)


def test_dto_data_is_no_return_type() -> None:
    @get("/", return_dto=DataclassDTO[Account])
    async def handler() -> DTOData[Account]:  # pragma: no cover - never called
        raise NotImplementedError

    with pytest.raises(InvalidAnnotationException):
        Outpour([handler])


@dataclass
class Route:
    ends: tuple[Address, Address]


def test_fixed_length_tuples_of_models_are_refused() -> None:
    @get("/", return_dto=DataclassDTO[Route])
    async def handler() -> Route:  # pragma: no cover - never called
        return Route((Address("a"), Address("b")))

    with pytest.raises(ImproperlyConfiguredException, match="tuple of fixed length holding a model"):
        Outpour([handler])


def test_config_refuses_include_with_exclude_and_unknown_strategies() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="takes `include` or `exclude`, not both"):
        DTOConfig(include={"a"}, exclude={"b"})

    @get("/", return_dto=DataclassDTO[Annotated[Account, DTOConfig(rename_strategy=cast("Any", "shouting"))]])
    async def handler() -> Account:  # pragma: no cover - never called
        return Account(1, "a")

    with pytest.raises(ImproperlyConfiguredException, match="Unknown `rename_strategy` 'shouting'"):
        Outpour([handler])


def test_unions_are_no_dto_model() -> None:
    with pytest.raises(InvalidAnnotationException, match="narrowed with one model, not a union"):
        DataclassDTO[Account | User]


def test_websocket_handlers_refuse_dtos() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="does not implement DTOs on WebSocket handlers yet"):
        websocket_listener("/ws", dto=DataclassDTO[Account])(_echo)  # type: ignore[arg-type]


def test_a_layered_dto_reaching_a_websocket_listener_raises() -> None:
    listener = websocket_listener("/ws")(_echo)
    with pytest.raises(ImproperlyConfiguredException, match="outpour implements DTOs on HTTP handlers only"):
        Outpour([listener], dto=DataclassDTO[Account])


def test_a_layered_dto_leaves_websocket_handlers_of_other_types_alone() -> None:
    @websocket("/plain")
    async def plain(socket: Any) -> None:  # pragma: no cover - never called
        await socket.close()

    Outpour([plain], dto=DataclassDTO[Account])


async def _echo(data: Account) -> Account:  # pragma: no cover - never called
    return data


def test_a_partial_dto_read_into_the_model_needs_its_required_fields() -> None:
    @post("/", dto=DataclassDTO[Annotated[Account, DTOConfig(partial=True, rename_strategy="upper")]])
    async def handler(data: Account) -> Account:
        return data

    with create_test_client([handler]) as client:
        complete = client.post("/", json={"ID": 1, "OWNER": "ann"})
        partial = client.post("/", json={"ID": 1})
    assert complete.json() == {"ID": 1, "OWNER": "ann"}
    assert partial.status_code == 400
    assert partial.json()["extra"][0]["message"] == "Object missing required field `OWNER`"
