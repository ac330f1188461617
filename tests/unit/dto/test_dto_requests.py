"""DTOs on the request path: client data read through ``dto``, return values written through ``return_dto``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
import pytest

from outpour import Controller, Outpour, Request, Response, Router, delete, get, patch, post, put
from outpour.di import Provide
from outpour.dto import DataclassDTO, DTOConfig, DTOData, MsgspecDTO, dto_field
from outpour.enums import RequestEncodingType
from outpour.params import Body
from outpour.testing import TestClient, create_test_client


@dataclass
class Address:
    id: int
    street: str
    city: str = "Paris"


@dataclass
class Pet:
    id: int
    name: str


@dataclass
class Person:
    name: str
    age: int
    address: Address
    pets: list[Pet] = field(default_factory=list)
    id: UUID = field(default_factory=uuid4, metadata=dto_field("read-only"))
    password: str = field(default="", metadata=dto_field("write-only"))
    secret: str = field(default="hidden", metadata=dto_field("private"))


ALICE: dict[str, Any] = {"name": "Alice", "age": 30, "address": {"id": 1, "street": "Main"}, "password": "pw"}


def test_dto_reads_the_body_into_the_model_and_writes_it_back() -> None:
    received: list[Person] = []

    @post("/people", dto=DataclassDTO[Person])
    async def create(data: Person) -> Person:
        received.append(data)
        return data

    with create_test_client([create]) as client:
        response = client.post("/people", json=ALICE)

    person = received[0]
    assert isinstance(person, Person)
    assert isinstance(person.address, Address)
    assert (person.address.street, person.password, person.secret) == ("Main", "pw", "hidden")
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "name": "Alice",
        "age": 30,
        "address": {"id": 1, "street": "Main", "city": "Paris"},
        "pets": [],
        "id": str(person.id),
    }


def test_read_only_and_private_fields_are_not_taken_from_the_client() -> None:
    given = str(uuid4())

    @post("/", dto=DataclassDTO[Person], return_dto=None)
    async def create(data: Person) -> dict[str, str]:
        return {"id": str(data.id), "secret": data.secret}

    with create_test_client([create]) as client:
        body = client.post("/", json={**ALICE, "id": given, "secret": "mine"}).json()
    assert body["id"] != given
    assert body["secret"] == "hidden"


def test_return_dto_writes_lists_and_leaves_out_write_only_and_private_fields() -> None:
    @get("/people", return_dto=DataclassDTO[Person])
    async def people() -> list[Person]:
        return [Person("Bob", 5, Address(2, "Side"), pets=[Pet(1, "Rex")], password="pw")]

    with create_test_client([people]) as client:
        (body,) = client.get("/people").json()
    assert "password" not in body
    assert "secret" not in body
    assert body["pets"] == [{"id": 1, "name": "Rex"}]


class PersonWriteDTO(DataclassDTO[Person]):
    config = DTOConfig(exclude={"address.id", "pets.0.id"}, rename_fields={"age": "years"})


class PersonReadDTO(DataclassDTO[Person]):
    config = DTOConfig(exclude={"age", "address"}, rename_strategy="camel")


def test_exclude_and_rename_apply_to_nested_paths() -> None:
    @post("/", dto=PersonWriteDTO, return_dto=None)
    async def create(data: DTOData[Person]) -> dict[str, Any]:
        return data.as_builtins()  # type: ignore[no-any-return]

    payload = {"name": "Ann", "years": 3, "address": {"id": 9, "street": "S"}, "pets": [{"id": 4, "name": "Tom"}]}
    with create_test_client([create]) as client:
        body = client.post("/", json=payload).json()
    # Fields the client left out have the model's defaults (`city`, `password`).
    assert body == {
        "name": "Ann",
        "age": 3,
        "address": {"street": "S", "city": "Paris"},
        "pets": [{"name": "Tom"}],
        "password": "",
    }


@dataclass
class Profile:
    display_name: str
    user_id: int


def test_rename_strategy_names_fields_both_ways() -> None:
    @post("/", dto=DataclassDTO[Annotated[Profile, DTOConfig(rename_strategy="camel")]])
    async def create(data: Profile) -> Profile:
        assert data.display_name == "Ann"
        return data

    with create_test_client([create]) as client:
        response = client.post("/", json={"displayName": "Ann", "userId": 1})
    assert response.json() == {"displayName": "Ann", "userId": 1}


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        pytest.param("upper", "DISPLAY_NAME", id="upper"),
        pytest.param("lower", "display_name", id="lower"),
        pytest.param("camel", "displayName", id="camel"),
        pytest.param("pascal", "DisplayName", id="pascal"),
        pytest.param("kebab", "display-name", id="kebab"),
        pytest.param(lambda name: name[::-1], "eman_yalpsid", id="function"),
    ],
)
def test_rename_strategies(strategy: Any, expected: str) -> None:
    @get("/", return_dto=DataclassDTO[Annotated[Profile, DTOConfig(rename_strategy=strategy, exclude={"user_id"})]])
    async def show() -> Profile:
        return Profile("Ann", 1)

    with create_test_client([show]) as client:
        assert client.get("/").json() == {expected: "Ann"}


def test_dto_applies_from_a_controller_and_return_dto_none_switches_it_off() -> None:
    class People(Controller):
        path = "/people"
        dto = DataclassDTO[Annotated[Person, DTOConfig(rename_fields={"name": "fullName"})]]
        return_dto = PersonReadDTO

        @post("/")
        async def create(self, data: Person) -> Person:
            return data

        @get("/{name:str}")
        async def show(self, name: str) -> Person:
            return Person(name, 1, Address(1, "S"))

        @delete("/{name:str}", return_dto=None)
        async def remove(self, name: str) -> None:
            return None

        @put("/{name:str}", dto=None, return_dto=None)
        async def replace(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
            return data

    payload = {"fullName": "Ann", "age": 3, "address": {"id": 1, "street": "S"}}
    with create_test_client([People]) as client:
        created = client.post("/people", json=payload)
        shown = client.get("/people/Bob")
        removed = client.delete("/people/Bob")
        replaced = client.put("/people/Bob", json={"free": "form"})
    assert created.status_code == 201
    assert set(created.json()) == {"name", "pets", "id"}
    assert set(shown.json()) == {"name", "pets", "id"}
    assert removed.status_code == 204
    assert replaced.json() == {"free": "form"}


def test_layers_resolve_the_closest_dto() -> None:
    @get("/inner", return_dto=DataclassDTO[Annotated[Profile, DTOConfig(exclude={"display_name"})]])
    async def inner() -> Profile:
        return Profile("Ann", 1)

    @get("/outer")
    async def outer() -> Profile:
        return Profile("Ann", 1)

    router_dto = DataclassDTO[Annotated[Profile, DTOConfig(exclude={"user_id"})]]
    router = Router("/r", route_handlers=[inner, outer], return_dto=router_dto)
    with TestClient(Outpour([router], dto=DataclassDTO[Profile])) as client:
        assert client.get("/r/inner").json() == {"user_id": 1}
        assert client.get("/r/outer").json() == {"display_name": "Ann"}


def test_app_dto_leaves_handlers_of_other_types_alone() -> None:
    @get("/numbers")
    async def numbers() -> list[int]:
        return [1, 2]

    with create_test_client([numbers], dto=DataclassDTO[Profile]) as client:
        assert client.get("/numbers").json() == [1, 2]


def test_dto_data_create_instance_takes_server_values_and_nested_ones() -> None:
    class WriteDTO(DataclassDTO[Person]):
        config = DTOConfig(exclude={"address.id"})

    @post("/", dto=WriteDTO, return_dto=DataclassDTO[Person])
    async def create(data: DTOData[Person]) -> Person:
        return data.create_instance(address__id=7, age=99)

    with create_test_client([create]) as client:
        body = client.post("/", json={"name": "A", "age": 1, "address": {"street": "S"}}).json()
    assert (body["address"], body["age"]) == ({"id": 7, "street": "S", "city": "Paris"}, 99)


def test_partial_dto_updates_only_the_fields_sent() -> None:
    store = {1: Person("Ann", 30, Address(1, "Main", "Rome"))}

    class PatchDTO(DataclassDTO[Person]):
        config = DTOConfig(partial=True)

    @patch("/people/{key:int}", dto=PatchDTO, return_dto=DataclassDTO[Person])
    async def update(key: int, data: DTOData[Person]) -> Person:
        return data.update_instance(store[key])

    with create_test_client([update]) as client:
        body = client.patch("/people/1", json={"age": 31, "address": {"street": "New"}}).json()
    assert (body["name"], body["age"], body["address"]) == ("Ann", 31, {"id": 1, "street": "New", "city": "Rome"})


@dataclass
class Node:
    name: str
    child: Node | None = None


def test_max_nested_depth_leaves_deeper_models_out() -> None:
    tree = Node("a", Node("b", Node("c")))

    @get("/default", return_dto=DataclassDTO[Node])
    async def default() -> Node:
        return tree

    @get("/flat", return_dto=DataclassDTO[Annotated[Node, DTOConfig(max_nested_depth=0)]])
    async def flat() -> Node:
        return tree

    @get("/deep", return_dto=DataclassDTO[Annotated[Node, DTOConfig(max_nested_depth=2)]])
    async def deep() -> Node:
        return tree

    with create_test_client([default, flat, deep]) as client:
        assert client.get("/default").json() == {"name": "a", "child": {"name": "b"}}
        assert client.get("/flat").json() == {"name": "a"}
        assert client.get("/deep").json() == {"name": "a", "child": {"name": "b", "child": {"name": "c"}}}


def test_include_transfers_only_the_named_fields() -> None:
    @get("/", return_dto=DataclassDTO[Annotated[Person, DTOConfig(include={"name", "address.city"})]])
    async def show() -> Person:
        return Person("Ann", 1, Address(1, "S"))

    with create_test_client([show]) as client:
        assert client.get("/").json() == {"name": "Ann", "address": {"city": "Paris"}}


def test_response_and_wrapper_return_types_have_their_content_written_by_the_dto() -> None:
    dto = DataclassDTO[Annotated[Profile, DTOConfig(exclude={"user_id"})]]

    @get("/response", return_dto=dto)
    async def response() -> Response[Profile]:
        return Response(Profile("Ann", 1), headers={"x-count": "1"})

    @get("/mapping", return_dto=dto)
    async def mapping() -> dict[str, Profile]:
        return {"a": Profile("Ann", 1)}

    with create_test_client([response, mapping]) as client:
        first = client.get("/response")
        assert (first.json(), first.headers["x-count"]) == ({"display_name": "Ann"}, "1")
        assert client.get("/mapping").json() == {"a": {"display_name": "Ann"}}


class Book(msgspec.Struct):
    title: str
    pages: int
    isbn: Annotated[str, msgspec.Meta(extra=dto_field("read-only"))] = "unknown"


def test_msgspec_dto_reads_and_writes_structs() -> None:
    @post("/books", dto=MsgspecDTO[Annotated[Book, DTOConfig(rename_strategy="upper")]])
    async def create(data: Book) -> Book:
        assert isinstance(data, Book)
        return data

    with create_test_client([create]) as client:
        response = client.post("/books", json={"TITLE": "Dune", "PAGES": 412, "ISBN": "x"})
    assert response.json() == {"TITLE": "Dune", "PAGES": 412, "ISBN": "unknown"}


def test_form_data_goes_through_the_dto() -> None:
    @post("/", dto=DataclassDTO[Profile])
    async def create(data: Annotated[Profile, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Profile:
        return data

    with create_test_client([create]) as client:
        response = client.post("/", data={"display_name": "Ann", "user_id": "4", "other": "x"})
    assert response.json() == {"display_name": "Ann", "user_id": 4}


def test_messagepack_bodies_go_through_the_dto() -> None:
    @post("/", dto=DataclassDTO[Annotated[Profile, DTOConfig(rename_strategy="camel")]])
    async def create(data: Profile) -> Profile:
        return data

    body = msgspec.msgpack.encode({"displayName": "Ann", "userId": 2})
    with create_test_client([create]) as client:
        response = client.post("/", content=body, headers={"content-type": "application/vnd.msgpack"})
    assert response.json() == {"displayName": "Ann", "userId": 2}


def test_sync_handlers_take_dtos_too() -> None:
    @post("/", dto=DataclassDTO[Profile], sync_to_thread=False)
    def create(data: Profile) -> Profile:
        return data

    with create_test_client([create]) as client:
        assert client.post("/", json={"display_name": "A", "user_id": 1}).json() == {"display_name": "A", "user_id": 1}


def test_a_dto_instance_works_with_the_handler_of_its_connection() -> None:
    profile_dto = DataclassDTO[Profile]
    seen: dict[str, Any] = {}

    @post("/", dto=profile_dto)
    async def create(request: Request[Any, Any, Any], data: Profile) -> Profile:
        dto = profile_dto(request)
        seen["bytes"] = dto.decode_bytes(b'{"display_name": "B", "user_id": 2}')
        seen["builtins"] = dto.decode_builtins({"display_name": "C", "user_id": "3"})
        seen["encodable"] = msgspec.json.encode(dto.data_to_encodable_type(data))
        return data

    with create_test_client([create]) as client:
        client.post("/", json={"display_name": "A", "user_id": 1})
    assert seen == {
        "bytes": Profile("B", 2),
        "builtins": Profile("C", 3),
        "encodable": b'{"display_name":"A","user_id":1}',
    }


def test_a_dependency_taking_data_gets_the_value_the_dto_made() -> None:
    def display(data: Profile) -> str:
        return data.display_name.upper()

    @post("/", dto=DataclassDTO[Annotated[Profile, DTOConfig(rename_strategy="camel")]], return_dto=None)
    async def create(data: Profile, shout: str) -> dict[str, str]:
        return {"name": data.display_name, "shout": shout}

    with create_test_client([create], dependencies={"shout": Provide(display, sync_to_thread=False)}) as client:
        body = client.post("/", json={"displayName": "ann", "userId": 1}).json()
    assert body == {"name": "ann", "shout": "ANN"}
