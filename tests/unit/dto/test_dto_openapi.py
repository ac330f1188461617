"""The OpenAPI document of a DTO route shows the fields the DTO transfers, under their client names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from outpour import get, patch, post
from outpour.dto import DataclassDTO, DTOConfig, DTOData, dto_field
from outpour.testing import create_test_client


@dataclass
class Address:
    id: int
    street: str


@dataclass
class User:
    user_name: str
    address: Address
    id: int = field(default=0, metadata=dto_field("read-only"))
    password: str = field(default="", metadata=dto_field("write-only"))


WriteDTO = DataclassDTO[Annotated[User, DTOConfig(exclude={"address.id"}, rename_strategy="camel")]]
ReadDTO = DataclassDTO[Annotated[User, DTOConfig(rename_strategy="camel")]]


def _document(*handlers: Any) -> dict[str, Any]:
    with create_test_client(list(handlers)) as client:
        document: dict[str, Any] = client.get("/schema/openapi.json").json()
    return document


def test_request_and_response_schemas_are_the_transferred_fields() -> None:
    @post("/users", dto=WriteDTO, return_dto=ReadDTO)
    async def create_user(data: DTOData[User]) -> User:  # pragma: no cover - never called
        return data.create_instance(address__id=1)

    document = _document(create_user)
    operation = document["paths"]["/users"]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]
    response = operation["responses"]["201"]["content"]["application/json"]["schema"]
    schemas = document["components"]["schemas"]
    assert request == {"$ref": "#/components/schemas/CreateUserUserRequestBody"}
    assert response == {"$ref": "#/components/schemas/CreateUserUserResponseBody"}
    written = schemas["CreateUserUserRequestBody"]
    assert set(written["properties"]) == {"userName", "address", "password"}
    assert written["required"] == ["address", "userName"]
    assert set(schemas["CreateUserAddressRequestBody"]["properties"]) == {"street"}
    assert set(schemas["CreateUserUserResponseBody"]["properties"]) == {"userName", "address", "id"}


def test_partial_dtos_document_every_field_as_optional() -> None:
    @patch("/users/{key:int}", dto=DataclassDTO[Annotated[User, DTOConfig(partial=True)]], return_dto=None)
    async def update(key: int, data: DTOData[User]) -> None:  # pragma: no cover - never called
        return None

    schema = _document(update)["components"]["schemas"]["UpdateUserRequestBody"]
    assert "required" not in schema
    assert schema["properties"]["user_name"] == {"type": "string"}


def test_lists_of_models_are_documented_as_arrays_of_the_transfer_type() -> None:
    @get("/users", return_dto=ReadDTO)
    async def list_users() -> list[User]:  # pragma: no cover - never called
        return []

    document = _document(list_users)
    schema = document["paths"]["/users"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"type": "array", "items": {"$ref": "#/components/schemas/ListUsersUserResponseBody"}}
