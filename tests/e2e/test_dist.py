"""The package as a user gets it: ``uv build`` makes the sdist and wheel, twine accepts them, and the wheel, installed
with the README's install line into a fresh venv, serves the README's first example through ``outpour run``.

uv is the project's (``.tools/bin/uv``, installed by the Makefile) or one on ``PATH``. The install tries uv's cache
first (``--offline``) and the package index after.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from tests._services import unavailable
from tests.e2e._serving import free_port, running

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

pytestmark = pytest.mark.dist


def _uv() -> str:
    for candidate in (ROOT / ".tools" / "bin" / "uv", shutil.which("uv")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    unavailable("uv is needed to build the package: run `make install` (it installs uv into .tools/).")
    raise AssertionError("unreachable")  # pragma: no cover - unavailable() skips or fails


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=120, check=False
    )


def readme_install_line() -> str:
    """The requirement of the README's ``pip install "dist/<wheel>[extras]"`` line."""
    match = re.search(r'^pip install "(dist/[^"]+\.whl\[[a-z,]+\])"', README.read_text(), re.MULTILINE)
    assert match, 'the README has no `pip install "dist/<wheel>[extras]"` line'
    return match.group(1)


def readme_first_example() -> str:
    match = re.search(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert match, "the README has no Python example"
    return match.group(1)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, built from the working tree as ``make dist`` does."""
    out = tmp_path_factory.mktemp("dist")
    # UV_PROJECT_ENVIRONMENT etc. come from the Makefile; the build needs none of them.
    result = _run([_uv(), "build", "--out-dir", str(out)], ROOT, {"UV_PYTHON_DOWNLOADS": "never"})
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_twine_accepts_the_sdist_and_wheel(dist: Path) -> None:
    if importlib.util.find_spec("twine") is None:
        unavailable("twine is not installed: `make install` (the test group) installs it.")
    files = sorted(str(path) for path in dist.iterdir() if path.suffix in {".whl", ".gz"})
    assert [Path(name).name for name in files] == ["outpour-0.1.0-py3-none-any.whl", "outpour-0.1.0.tar.gz"]
    result = _run([sys.executable, "-m", "twine", "check", "--strict", *files], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_wheel_holds_the_package_and_its_page_assets(dist: Path) -> None:
    with zipfile.ZipFile(dist / "outpour-0.1.0-py3-none-any.whl") as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read("outpour-0.1.0.dist-info/METADATA").decode()
    assert {"outpour/__init__.py", "outpour/py.typed", "outpour/cli/_serve.py"} <= names
    for asset in (
        "redoc/redoc.standalone.js",
        "scalar/standalone.js",
        "rapidoc/rapidoc-min.js",
        "elements/LICENSE",
        "swagger/swagger-ui-bundle.js",
        "swagger/NOTICE",
    ):
        assert f"outpour/openapi/static/{asset}" in names
    assert not any(name.startswith(("tests/", "docs/", "examples/")) for name in names)
    assert "Provides-Extra: standard" in metadata
    assert re.search(r"Requires-Dist: click>=8\.1; extra == .standard.", metadata)
    assert re.search(r"Requires-Dist: rich>=13\.7; extra == .standard.", metadata)
    assert "entry_points.txt" in {name.rsplit("/", 1)[-1] for name in names}


def test_the_readme_example_runs_from_the_installed_wheel(dist: Path, tmp_path: Path) -> None:
    requirement = readme_install_line()
    wheel = dist / Path(requirement.split("[", 1)[0]).name
    assert wheel.is_file(), f"the README installs `{requirement}`, but the build made {sorted(os.listdir(dist))}"
    venv = tmp_path / "venv"
    uv = _uv()
    environment = {"UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": ""}
    created = _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], tmp_path, environment)
    assert created.returncode == 0, created.stderr
    install = [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python")]
    target = str(wheel) + requirement[requirement.index("[") :]
    installed = _run([*install, "--offline", target], tmp_path, environment)
    if installed.returncode != 0:  # not everything is in uv's cache: ask the package index
        installed = _run([*install, target], tmp_path, environment)
    assert installed.returncode == 0, installed.stderr[-3000:]

    (tmp_path / "app.py").write_text(readme_first_example())
    port = free_port()
    # A clean environment for the app: no PYTHONPATH pointing at the working tree, so `outpour` is the installed one.
    env = {"PYTHONPATH": "", "OUTPOUR_APP": "", "OUTPOUR_APP_DIR": "", "OUTPOUR_DEBUG": ""}
    with (
        running([str(venv / "bin" / "outpour"), "run", "--port", str(port)], port, tmp_path, env),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client,
    ):
        read = client.get("/items/3", params={"q": "hello"})
        created_item = client.post("/items", json={"name": "pen", "price": 1.5})
    version = _run([str(venv / "bin" / "outpour"), "--version"], tmp_path)
    where = _run([str(venv / "bin" / "python"), "-c", "import outpour; print(outpour.__file__)"], tmp_path, env)
    assert (read.status_code, read.json()) == (200, {"item_id": 3, "q": "hello"})
    assert (created_item.status_code, created_item.json()) == (201, {"name": "pen", "price": 1.5})
    assert version.stdout == "outpour 0.1.0\n"
    assert where.stdout.startswith(str(venv))
