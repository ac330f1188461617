"""The names of ``typing`` resolve in handler signatures without a run-time import, as in Litestar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outpour import get
from outpour.testing import create_test_client

if TYPE_CHECKING:
    from typing import Dict, List, Optional  # noqa: UP035 - the point: names only imported for the type checker


@get("/", sync_to_thread=False)
def handler(tags: Optional[List[str]] = None) -> Dict[str, List[str]]:  # noqa: UP006, UP045
    return {"tags": tags or []}


def test_typing_names_imported_for_the_type_checker_only_resolve() -> None:
    with create_test_client([handler]) as client:
        assert client.get("/", params={"tags": ["a", "b"]}).json() == {"tags": ["a", "b"]}
        assert client.get("/").json() == {"tags": []}
