"""Static checks of the 3.0 plugin, parameter and dependency types (mypy and pyright); pytest runs it as a smoke test."""

from __future__ import annotations

from typing import Annotated, Any, assert_type

from outpour import Outpour, get
from outpour.background_tasks import BackgroundTask, BackgroundTasks
from outpour.di import NamedDependency
from outpour.file_system import FileSystemRegistry
from outpour.params import FromQuery, QueryParameter, SkipValidation
from outpour.plugins import PluginRegistry
from outpour.typing import FieldDefinition


@get("/", dependencies={"count": lambda: 1})
async def handler(
    count: NamedDependency[int],
    limit: Annotated[int, QueryParameter(gt=0)] = 10,
    raw: SkipValidation[FromQuery[str]] = "",
) -> int:
    assert_type(count, int)
    assert_type(limit, int)
    assert_type(raw, str)
    return count + limit


def test_registry_get_returns_the_plugin_type() -> None:
    registry = PluginRegistry([FileSystemRegistry()])
    assert_type(registry.get(FileSystemRegistry), FileSystemRegistry)
    assert_type(registry.get("FileSystemRegistry"), Any)
    assert isinstance(Outpour([handler]).plugins, PluginRegistry)


def test_background_tasks_take_tasks_of_any_signature() -> None:
    def one(value: int) -> None:
        return None

    def none() -> None:
        return None

    tasks = BackgroundTasks([BackgroundTask(one, 1), BackgroundTask(none)])
    assert len(tasks.tasks) == 2


def test_field_definition_lookups_are_typed() -> None:
    definition = FieldDefinition.from_annotation(FromQuery[int])
    assert_type(definition, FieldDefinition)
    assert_type(definition.get_from_metadata(QueryParameter), QueryParameter | None)
    assert_type(definition.inner_types, tuple[FieldDefinition, ...])
    assert definition.get_from_metadata(QueryParameter) == QueryParameter()
