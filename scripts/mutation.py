"""``make mutation``: mutation testing of the request path with mutmut (docs/dev/general-path.md).

mutmut runs in a scratch copy of the tree (``.mutation/``, git-ignored) so that the working tree is never mutated and
its configuration (which modules, which tests) can be chosen per run::

    python -m scripts.mutation                                   # every module of MODULE_TESTS
    python -m scripts.mutation outpour/_ranges.py                # one module, with its tests from MODULE_TESTS
    python -m scripts.mutation outpour/_plan.py --tests tests/unit/app/test_params.py
    python -m scripts.mutation --max-children 2 --fresh
    python -m scripts.mutation --survivors                       # after adding tests: the last survivors again

For each mutant mutmut runs only the tests of the chosen subset that call the mutated function (it records which
ones once, then remembers), with ``-x`` and without coverage; ``--max-children`` (default 1) caps the processes.
Results are kept in ``.mutation/mutants/``, so a second run only tests what changed. At the end every surviving
mutant is printed with its diff.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MODULE_TESTS: dict[str, tuple[str, ...]] = {
    "outpour/_request_head.py": ("tests/unit/app/test_request_head.py",),
    "outpour/_conditional.py": ("tests/unit/response/test_conditional.py", "tests/unit/test_hostile_headers.py"),
    "outpour/_ranges.py": ("tests/unit/response/test_ranges.py", "tests/unit/response/test_file.py"),
    "outpour/_route_table.py": (
        "tests/unit/app/test_routing.py",
        "tests/unit/app/test_routes.py",
        "tests/unit/app/test_docs_compat_routing.py",
        "tests/unit/handlers/test_websocket_route_handler.py",
    ),
    "outpour/_routing.py": ("tests/unit/app/test_routing.py", "tests/unit/app/test_docs_compat_routing.py"),
    "outpour/_precondition_hook.py": (
        "tests/unit/response/test_conditional.py",
        "tests/unit/response/test_headers_cookies.py",
    ),
    "outpour/response/_render.py": (
        "tests/unit/response/test_response_base.py",
        "tests/unit/response/test_serialization_on_the_wire.py",
    ),
    "outpour/datastructures/url.py": (
        "tests/unit/datastructures/test_url.py",
        "tests/unit/app/test_hostile_input.py",
        "tests/unit/test_data_extractors.py",
    ),
}
"""The request-path modules mutated by default, and the tests that run against their mutants."""

COPIED = ("outpour", "tests", "pyproject.toml")
"""What the scratch copy holds: the package, the tests and the pytest configuration."""

PYTEST_ARGS = ("-p", "no:cacheprovider", "-p", "no:pytest_cov")
"""Added to every pytest run mutmut makes (it adds ``-x`` and ``-p no:randomly`` itself)."""


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Read the command line (``make mutation ARGS="..."``)."""
    parser = argparse.ArgumentParser(prog="make mutation", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("modules", nargs="*", help="files to mutate (default: every module of MODULE_TESTS)")
    parser.add_argument(
        "--tests", nargs="+", default=None, help="test files or directories to run (default: the modules' own tests)"
    )
    parser.add_argument("--max-children", type=int, default=1, help="mutants tested at once (default: 1)")
    parser.add_argument(
        "--workdir", type=Path, default=ROOT / ".mutation", help="the scratch copy (default: .mutation)"
    )
    parser.add_argument("--fresh", action="store_true", help="forget earlier results and test every mutant again")
    parser.add_argument(
        "--mutants", nargs="+", default=[], help="test these mutants again (names or globs, as `mutmut results` shows)"
    )
    parser.add_argument(
        "--survivors", action="store_true", help="test the survivors of the last run again (after adding tests)"
    )
    return parser.parse_args(argv)


def selection(modules: Sequence[str], tests: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """Return the modules to mutate and the tests to run against them.

    Raises:
        SystemExit: A module is not a file of the tree, or has no tests in ``MODULE_TESTS`` and ``--tests`` is missing.
    """
    chosen = list(modules) or list(MODULE_TESTS)
    for module in chosen:
        if not module.endswith(".py") or not (ROOT / module).is_file():
            raise SystemExit(
                f"make mutation: `{module}` is not a Python file of the tree; give a path such as `outpour/_ranges.py`."
            )
    if tests:
        return chosen, list(tests)
    unmapped = [module for module in chosen if module not in MODULE_TESTS]
    if unmapped:
        raise SystemExit(
            f"make mutation: no tests are mapped to {', '.join(f'`{m}`' for m in unmapped)}. Name them with "
            f'`--tests`, e.g. ARGS="{unmapped[0]} --tests tests/unit/app", or add the module to `MODULE_TESTS` in '
            "scripts/mutation.py."
        )
    picked: list[str] = []
    for module in chosen:
        picked.extend(test for test in MODULE_TESTS[module] if test not in picked)
    return chosen, picked


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def mutmut_config(modules: Sequence[str], tests: Sequence[str]) -> str:
    """The ``[tool.mutmut]`` table appended to the scratch copy's ``pyproject.toml``."""
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["outpour"]\n'
        f"only_mutate = {_toml_list(modules)}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
        f"pytest_add_cli_args = {_toml_list(PYTEST_ARGS)}\n"
        "use_git_change_detection = false\n"
    )


def prepare(workdir: Path, modules: Sequence[str], tests: Sequence[str], fresh: bool) -> None:
    """Copy the tree into ``workdir`` (file times kept, so that mutmut sees what changed) and configure mutmut."""
    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source, target = ROOT / name, workdir / name
        if source.is_dir():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target)
    pyproject = workdir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + mutmut_config(modules, tests), encoding="utf-8")


def survivors(mutmut: Path, workdir: Path, modules: Sequence[str]) -> list[str]:
    """The names of the mutants of ``modules`` that survived, from ``mutmut results`` (which remembers other runs)."""
    out = subprocess.run([str(mutmut), "results"], cwd=workdir, capture_output=True, text=True, check=True).stdout
    prefixes = tuple(module.removesuffix(".py").replace("/", ".") + "." for module in modules)
    names = [line.split(":")[0].strip() for line in out.splitlines() if line.rstrip().endswith(": survived")]
    return [name for name in names if name.startswith(prefixes)]


def main(argv: Sequence[str]) -> int:
    """Run mutmut over the chosen modules and print the surviving mutants."""
    args = parse_args(argv)
    modules, tests = selection(args.modules, args.tests)
    workdir: Path = args.workdir.resolve()
    prepare(workdir, modules, tests, args.fresh)
    mutmut = Path(sys.executable).parent / "mutmut"
    print(
        f"make mutation: mutating {', '.join(modules)}\n               against {' '.join(tests)}\n               in {workdir}"
    )
    env = {
        **os.environ,
        # scripts/mutation_plugin.py: every pytest session mutmut starts forgets the caches of the clean run.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")])),
        "PYTEST_ADDOPTS": " ".join(filter(None, [os.environ.get("PYTEST_ADDOPTS"), "-p mutation_plugin"])),
    }
    again = list(args.mutants)
    if args.survivors:
        again += survivors(mutmut, workdir, modules) if (workdir / "mutants").is_dir() else []
        if not again:
            print("make mutation: no survivors to test again.")
            return 0
    command = [str(mutmut), "run", "--max-children", str(args.max_children), *again]
    code = subprocess.run(command, cwd=workdir, env=env).returncode
    if code != 0:
        print(f"make mutation: mutmut stopped with exit code {code}; see its output above.")
        return code
    names = survivors(mutmut, workdir, modules)
    for name in names:
        print(subprocess.run([str(mutmut), "show", name], cwd=workdir, capture_output=True, text=True).stdout)
    print(f"make mutation: {len(names)} surviving mutant(s); the accepted ones are listed in docs/dev/general-path.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
