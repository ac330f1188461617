"""A demo app returning every response kind the Responses guide describes, for the OpenAPI golden and fuzz tests."""

from __future__ import annotations

import enum
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, TypedDict

import attrs
import msgspec
from pydantic import BaseModel, ConfigDict, Field

from outpour import Controller, MediaType, Outpour, Router, get, post
from outpour.datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
from outpour.exceptions import NotFoundException, PermissionDeniedException
from outpour.openapi import OpenAPIConfig, ResponseSpec
from outpour.openapi.spec import Components, SecurityScheme, Tag
from outpour.pagination import ClassicPagination, CursorPagination, OffsetPagination
from outpour.params import Parameter
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.response import File, Redirect, Response, ServerSentEvent, Stream, Template
from outpour.template.config import TemplateConfig

REPORT = Path(__file__).parent / "data" / "report.txt"


class Color(enum.StrEnum):
    RED = "red"
    GREEN = "green"


class Size(enum.IntEnum):
    SMALL = 1
    LARGE = 2


@dataclass
class Address:
    city: str
    zip_code: str | None = None


@dataclass
class Person:
    """A person, as a dataclass."""

    id: int
    name: str
    color: Color = Color.RED
    tags: list[str] = field(default_factory=list)
    address: Address | None = None


class Pet(BaseModel):
    """A pet, as a pydantic model."""

    model_config = ConfigDict(strict=True)

    name: str = Field(min_length=1, max_length=20)
    age: int = Field(ge=0, le=50)


class Book(msgspec.Struct, rename="camel"):
    """A book, as a msgspec struct."""

    book_title: str
    page_count: Annotated[int, msgspec.Meta(ge=1)]
    size: Size = Size.SMALL


@attrs.define
class Car:
    make: str
    year: int = 2000


class Point(TypedDict):
    x: float
    y: float


class Error(TypedDict):
    code: str
    message: str


@get("/hello", media_type=MediaType.TEXT)
async def hello() -> str:
    return "hello"


@get("/page", media_type=MediaType.HTML)
async def html_page() -> str:
    return "<p>page</p>"


@get("/people/{person_id:int}", raises=[NotFoundException])
async def get_person(person_id: int) -> Person:
    if person_id > 1000:
        raise NotFoundException(f"No person {person_id}")
    return Person(id=person_id, name="Ann", tags=["a"], address=Address(city="Oslo"))


@post("/people")
async def create_person(data: Person) -> Person:
    return data


@post("/pets", status_code=200)
async def create_pet(data: Pet) -> Pet:
    return data


@post("/books", status_code=200)
async def create_book(data: Book) -> Book:
    return data


@post("/cars", status_code=200)
async def create_car(data: Car) -> Car:
    return data


@post("/points", status_code=200)
async def create_point(data: Point) -> Point:
    return data


@get("/search")
async def search(
    q: Annotated[str, Parameter(min_length=1, max_length=30, description="What to look for")],
    limit: Annotated[int, Parameter(ge=1, le=100)] = 10,
    kind: Literal["person", "pet"] = "person",
    tags: list[str] | None = None,
    agent: Annotated[str | None, Parameter(header="x-agent")] = None,
    session: Annotated[str | None, Parameter(cookie="session")] = None,
) -> dict[str, str | int | None]:
    return {"q": q, "limit": limit, "kind": kind, "tags": ",".join(tags or []), "agent": agent, "session": session}


@get("/things/{thing_id:uuid}", media_type="application/vnd.example.thing+json")
async def get_thing(thing_id: uuid.UUID) -> dict[str, str]:
    return {"id": str(thing_id)}


@get("/packed", media_type=MediaType.MESSAGEPACK)
async def packed() -> dict[str, int]:
    return {"answer": 42}


@get("/shape", responses={404: ResponseSpec(Error, description="No such shape")})
async def shape() -> Point | Book:
    return Point(x=1.0, y=2.0)


@get("/redirect", status_code=302)
async def go_home() -> Redirect:
    return Redirect("/hello")


@get("/download", media_type=MediaType.TEXT)
async def download() -> File:
    return File(REPORT, filename="report.txt")


@get("/stream", media_type=MediaType.TEXT)
async def stream() -> Stream:
    def numbers() -> Iterator[str]:
        yield from ("1\n", "2\n", "3\n")

    return Stream(numbers())


@get("/events")
async def events() -> ServerSentEvent:
    async def ticks() -> AsyncIterator[str]:
        for n in range(3):
            yield str(n)

    return ServerSentEvent(ticks())


@get("/template")
async def template() -> Template:
    return Template(template_str="<h1>{{ title }}</h1>", context={"title": "Hi"})


@get(
    "/annotated",
    response_headers=[
        ResponseHeader(name="X-Random", description="A random number", documentation_only=True),
        ResponseHeader(name="X-Version", value="1", description="The API version"),
    ],
    response_cookies=[
        Cookie(key="session", value="abc", description="The session"),
        Cookie(key="theme", description="The UI theme", documentation_only=True),
    ],
    cache_control=CacheControlHeader(max_age=60),
    etag=ETag(value="v1"),
)
async def annotated() -> Response[Person]:
    return Response(Person(id=1, name="Ann"), headers={"X-Random": "4"})


@get("/classic")
async def classic(page_size: Annotated[int, Parameter(ge=1, le=50)] = 10) -> ClassicPagination[Person]:
    return ClassicPagination(items=[Person(id=1, name="Ann")], page_size=page_size, current_page=1, total_pages=1)


@get("/offset")
async def offset() -> OffsetPagination[Pet]:
    return OffsetPagination(items=[Pet(name="Rex", age=3)], limit=10, offset=0, total=1)


@get("/cursor")
async def cursor() -> CursorPagination[str, Book]:
    return CursorPagination(items=[Book(book_title="Dune", page_count=412)], results_per_page=10, cursor=None)


@get("/hidden", include_in_schema=False)
async def hidden() -> str:
    return "hidden"


@get("/forbidden", raises=[PermissionDeniedException], security=[{"BearerToken": []}])
async def forbidden() -> None:
    raise PermissionDeniedException("no")


class ItemController(Controller):
    path = "/items"
    tags = ("items",)

    @get("/{item_id:str}", summary="Get an item", description="Fetch one item by id.", operation_id="fetchItem")
    async def get_item(self, item_id: str) -> Car:
        return Car(make=item_id[:10])

    @get("/", deprecated=True)
    async def list_items(self) -> list[Car]:
        return [Car(make="Volvo")]


api = Router("/api", route_handlers=[ItemController], tags=["api"])

app = Outpour(
    route_handlers=[
        hello,
        html_page,
        get_person,
        create_person,
        create_pet,
        create_book,
        create_car,
        create_point,
        search,
        get_thing,
        packed,
        shape,
        go_home,
        download,
        stream,
        events,
        template,
        annotated,
        classic,
        offset,
        cursor,
        hidden,
        forbidden,
        api,
    ],
    openapi_config=OpenAPIConfig(
        title="outpour demo",
        version="1.0.0",
        tags=[Tag(name="items", description="Things for sale")],
        components=Components(
            security_schemes={"BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}
        ),
    ),
    template_config=TemplateConfig(instance=JinjaTemplateEngine()),  # `template_str` only: no directory
)
