"""The "Coming from Litestar" page is what the API check says, never a hand-kept list."""

from __future__ import annotations

from tests.compat import coming_from_litestar


def test_the_page_is_up_to_date() -> None:
    expected = coming_from_litestar.render()
    assert coming_from_litestar.PAGE.read_text() == expected, (
        "docs/coming-from-litestar.md is out of date: run `.venv/bin/python -m tests.compat.coming_from_litestar`."
    )


def test_every_litestar_module_has_a_row() -> None:
    page = coming_from_litestar.render()
    for module in [*coming_from_litestar._DATA["modules"], *coming_from_litestar._DATA["ecosystem_modules"]]:
        assert f"| `{module}` |" in page
