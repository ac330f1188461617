"""The shapes of models a DTO transfers: unions, tuples, mappings, computed and uninitialised fields."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar

import msgspec
import pytest

from outpour import Outpour, get, post
from outpour.dto import (
    AbstractDTO,
    DataclassDTO,
    DTOConfig,
    DTOData,
    DTOField,
    DTOFieldDefinition,
    MsgspecDTO,
    dto_field,
)
from outpour.dto.field import DTO_FIELD_META_KEY, Mark, extract_dto_field
from outpour.exceptions import ImproperlyConfiguredException, InvalidAnnotationException
from outpour.testing import create_test_client
from outpour.typing import FieldDefinition


@dataclass
class Cat:
    name: str
    lives: int = 9


@dataclass
class Dog:
    name: str
    good: bool = True


@dataclass
class Home:
    owner: str
    pet: Cat | Dog | None = None
    visitors: tuple[Cat, ...] = ()
    by_room: dict[str, Dog] = field(default_factory=dict)


def test_collections_and_mappings_of_models_travel_both_ways() -> None:
    received: list[Home] = []

    @post("/", dto=DataclassDTO[Annotated[Home, DTOConfig(exclude={"pet", "by_room.1.good"})]])
    async def create(data: Home) -> Home:
        received.append(data)
        return data

    payload = {"owner": "ann", "visitors": [{"name": "tom"}], "by_room": {"hall": {"name": "max"}}}
    with create_test_client([create]) as client:
        body = client.post("/", json=payload).json()
    home = received[0]
    assert home.visitors == (Cat("tom"),)
    assert home.by_room == {"hall": Dog("max")}
    assert body["by_room"] == {"hall": {"name": "max"}}
    assert body["visitors"] == [{"name": "tom", "lives": 9}]


@pytest.mark.parametrize(
    ("pet", "expected"),
    [
        pytest.param(Cat("tom"), {"name": "tom", "lives": 9}, id="cat"),
        pytest.param(Dog("rex"), {"name": "rex", "good": True}, id="dog"),
        pytest.param(None, None, id="none"),
    ],
)
def test_a_union_of_models_is_written_as_the_member_returned(pet: Any, expected: Any) -> None:
    @get("/", return_dto=DataclassDTO[Home])
    async def show() -> Home:
        return Home("ann", pet=pet)

    with create_test_client([show]) as client:
        assert client.get("/").json()["pet"] == expected


def test_client_data_is_never_read_into_a_union_of_models() -> None:
    @post("/", dto=DataclassDTO[Home])
    async def create(data: Home) -> None:  # pragma: no cover - never called
        return None

    with pytest.raises(ImproperlyConfiguredException, match="is a union of several models"):
        Outpour([create])


@dataclass
class Invoice:
    net: int
    rate: int = 20
    total: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.total = self.net * (100 + self.rate) // 100

    @property
    def label(self) -> str:
        return f"invoice of {self.total}"


def test_uninitialised_fields_and_properties_are_sent_but_never_read() -> None:
    @post("/", dto=DataclassDTO[Invoice])
    async def create(data: Invoice) -> Invoice:
        return data

    with create_test_client([create]) as client:
        body = client.post("/", json={"net": 100, "total": 1, "label": "x"}).json()
    assert body == {"net": 100, "rate": 20, "total": 120, "label": "invoice of 120"}


class Item(msgspec.Struct):
    name: str
    price: int
    tags: list[str] = []


def test_a_partial_msgspec_dto_gives_only_the_fields_sent() -> None:
    @post("/", dto=MsgspecDTO[Annotated[Item, DTOConfig(partial=True)]], return_dto=MsgspecDTO[Item])
    async def update(data: DTOData[Item]) -> Item:
        assert data.as_builtins() == {"price": 3}
        return data.update_instance(Item("tea", 1, ["hot"]))

    with create_test_client([update]) as client:
        assert client.post("/", json={"price": 3}).json() == {"name": "tea", "price": 3, "tags": ["hot"]}


def test_dto_data_shows_its_data() -> None:
    seen: list[str] = []

    @post("/", dto=DataclassDTO[Cat], return_dto=None)
    async def create(data: DTOData[Cat]) -> None:
        seen.append(repr(data))

    with create_test_client([create]) as client:
        client.post("/", json={"name": "tom"})
    assert seen == ["DTOData({'name': 'tom', 'lives': 9})"]


def test_dto_field_metadata() -> None:
    assert dto_field("read-only") == {DTO_FIELD_META_KEY: DTOField(mark=Mark.READ_ONLY)}
    definition = FieldDefinition.from_annotation(int, name="a")
    assert extract_dto_field(definition, {}) == DTOField()
    with pytest.raises(TypeError, match="must be a `DTOField`"):
        extract_dto_field(definition, {DTO_FIELD_META_KEY: "read-only"})


def test_generated_field_definitions_of_a_dataclass() -> None:
    definitions = {d.name: d for d in DataclassDTO.generate_field_definitions(Invoice)}
    assert list(definitions) == ["net", "rate", "total", "label"]
    assert definitions["rate"].default == 20
    assert definitions["total"].dto_field.mark == Mark.READ_ONLY
    assert definitions["label"].dto_field.mark == Mark.READ_ONLY
    assert DataclassDTO.detect_nested_field(FieldDefinition.from_annotation(Cat))
    assert not DataclassDTO.detect_nested_field(FieldDefinition.from_annotation(int))


T = TypeVar("T")


class Point:
    x: int
    y: int

    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y


class PlainClassDTO(AbstractDTO[T], Generic[T]):
    """A DTO for plain annotated classes, as another modelling library would write one."""

    @classmethod
    def generate_field_definitions(cls, model_type: type[Any]) -> Generator[DTOFieldDefinition, None, None]:
        for definition in cls.get_model_type_hints(model_type).values():
            yield DTOFieldDefinition.from_field_definition(definition, model_type.__name__, None, DTOField())

    @classmethod
    def detect_nested_field(cls, field_definition: FieldDefinition) -> bool:
        return False


def test_a_custom_dto_class_needs_only_its_fields_and_nesting_rule() -> None:
    @post("/", dto=PlainClassDTO[Annotated[Point, DTOConfig(rename_fields={"x": "lon"})]])
    async def create(data: Point) -> Point:
        assert isinstance(data, Point)
        return Point(data.x + 1, data.y)

    with create_test_client([create]) as client:
        assert client.post("/", json={"lon": 1, "y": 2}).json() == {"lon": 2, "y": 2}


def test_dto_data_of_a_list_is_refused() -> None:
    @post("/", dto=DataclassDTO[Cat])
    async def create(data: DTOData[list[Cat]]) -> None:  # pragma: no cover - never called
        return None

    with pytest.raises(InvalidAnnotationException, match=r"`DTOData` takes the model itself"):
        Outpour([create])


@dataclass
class Settings:
    theme: str = "dark"
    langs: list[str] = field(default_factory=lambda: ["en"])


class Basket(msgspec.Struct):
    owner: str
    items: list[str] = []


def test_fields_left_out_take_the_models_defaults_fresh_for_each_request() -> None:
    @post("/settings", dto=DataclassDTO[Settings])
    async def save(data: Settings) -> Settings:
        data.langs.append("fr")
        return data

    @post("/baskets", dto=MsgspecDTO[Basket])
    async def fill(data: Basket) -> Basket:
        data.items.append("tea")
        return data

    with create_test_client([save, fill]) as client:
        for _ in range(2):
            assert client.post("/settings", json={}).json() == {"theme": "dark", "langs": ["en", "fr"]}
            assert client.post("/baskets", json={"owner": "a"}).json() == {"owner": "a", "items": ["tea"]}


@dataclass(frozen=True)
class Frozen:
    name: str


def test_update_instance_respects_frozen_models() -> None:
    @post("/", dto=DataclassDTO[Frozen], return_dto=None)
    async def update(data: DTOData[Frozen]) -> str:
        try:
            data.update_instance(Frozen("old"))
        except AttributeError:
            return "refused"
        return "changed"  # pragma: no cover - a frozen dataclass refuses

    with create_test_client([update]) as client:
        assert client.post("/", json={"name": "new"}).text == "refused"


def test_forward_references_and_bad_configs_are_refused() -> None:
    with pytest.raises(InvalidAnnotationException, match="not a forward reference"):
        DataclassDTO["Cat"]

    with pytest.raises(ImproperlyConfiguredException, match=r"it must be a `DTOConfig\(...\)`"):

        class WrongDTO(DataclassDTO[Cat]):
            config = "exclude name"  # type: ignore[assignment]
