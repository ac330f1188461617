"""``make mutation`` (scripts/mutation.py): which modules and tests a run takes, and how mutmut is configured."""

from __future__ import annotations

import tomllib

import pytest

from scripts.mutation import MODULE_TESTS, ROOT, mutmut_config, selection


def test_every_mapped_module_and_test_exists() -> None:
    assert all((ROOT / module).is_file() for module in MODULE_TESTS)
    assert all((ROOT / test).is_file() for tests in MODULE_TESTS.values() for test in tests)


def test_the_default_run_takes_every_mapped_module_and_each_test_once() -> None:
    modules, tests = selection([], None)
    assert modules == list(MODULE_TESTS)
    assert len(tests) == len(set(tests)) == len({t for ts in MODULE_TESTS.values() for t in ts})


def test_given_tests_replace_the_mapped_ones() -> None:
    assert selection(["outpour/_ranges.py"], ["tests/unit/response"]) == (
        ["outpour/_ranges.py"],
        ["tests/unit/response"],
    )


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        pytest.param(["outpour/nope.py"], "`outpour/nope.py` is not a Python file of the tree", id="missing"),
        pytest.param(
            ["outpour/app.py"], "no tests are mapped to `outpour/app.py`. Name them with `--tests`", id="unmapped"
        ),
    ],
)
def test_bad_selections_say_what_to_do(modules: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as refused:
        selection(modules, None)
    assert message in str(refused.value)


def test_the_mutmut_table_is_valid_toml() -> None:
    table = tomllib.loads(mutmut_config(["outpour/_ranges.py"], ["tests/unit/response/test_ranges.py"]))["tool"][
        "mutmut"
    ]
    assert table["only_mutate"] == ["outpour/_ranges.py"]
    assert table["pytest_add_cli_args_test_selection"] == ["tests/unit/response/test_ranges.py"]
    assert table["source_paths"] == ["outpour"]
