"""The docs build with MkDocs in strict mode (a warning fails it), and the nav takes in every response page."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

if importlib.util.find_spec("mkdocs") is None:  # pragma: no cover - the `docs` dependency group is not installed
    pytest.skip("mkdocs is not installed: `pip install --group docs`", allow_module_level=True)

from scripts.mkdocs_hooks import on_config, response_pages  # noqa: E402


def build(config: Path, site: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
        cwd=cwd,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_docs_build_without_warnings(tmp_path: Path) -> None:
    result = build(ROOT / "mkdocs.yml", tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output, output
    pages = ["index.html", "usage/cli/index.html", "deployment/index.html", "usage/routing/index.html"]
    pages += ["usage/openapi/index.html", "usage/responses/index.html", "usage/responses-streams-sse/index.html"]
    for page in pages:
        assert (tmp_path / "site" / page).is_file(), page
    cli_page = (tmp_path / "site" / "usage/cli/index.html").read_text("utf-8")
    assert "Hello from a factory!" in cli_page  # the snippet was included
    # The API reference, generated from the docstrings (mkdocstrings): a heading per public class.
    for page, anchor in [("app", "outpour.app.Outpour"), ("response", "outpour.response.Stream")]:
        assert f'id="{anchor}"' in (tmp_path / "site" / "reference" / page / "index.html").read_text("utf-8")
    for page in ["getting-started/index.html", "tutorial/index.html"]:
        assert (tmp_path / "site" / page).is_file(), page


@pytest.fixture
def docs_copy(tmp_path: Path) -> Path:
    """A copy of the repository's docs set-up in a temporary folder, built from there."""
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_response_pages_join_the_nav(docs_copy: Path) -> None:
    (docs_copy / "docs/usage/responses-zeta.md").write_text("# Zeta responses\n\nSee [routing](routing.md).\n")
    (docs_copy / "docs/usage/responses.md").write_text("# Responses\n")
    (docs_copy / "docs/usage/responses").mkdir()
    (docs_copy / "docs/usage/responses/alpha.md").write_text("# Alpha\n")
    result = build(docs_copy / "mkdocs.yml", docs_copy / "site", cwd=docs_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    index = (docs_copy / "site/index.html").read_text("utf-8")
    links = ('href="usage/responses/"', 'href="usage/responses-zeta/"', 'href="usage/responses/alpha/"')
    positions = [index.find(link) for link in links]
    assert -1 not in positions, positions
    assert positions == sorted(positions), positions


@pytest.mark.parametrize(
    ("page", "text", "complaint"),
    [
        pytest.param("usage/responses-bad.md", "# Bad\n\n[missing](nowhere.md)\n", "nowhere.md", id="broken-link"),
        pytest.param(
            "usage/responses-bad.md",
            '# Bad\n\n```python\n--8<-- "docs/examples/missing.py"\n```\n',
            "missing.py",
            id="missing-snippet",
        ),
        pytest.param("orphan.md", "# Not in the nav\n", "orphan.md", id="page-not-in-nav"),
    ],
)
def test_strict_build_fails_on_mistakes(docs_copy: Path, page: str, text: str, complaint: str) -> None:
    (docs_copy / "docs" / page).write_text(text)
    result = build(docs_copy / "mkdocs.yml", docs_copy / "site", cwd=docs_copy)
    assert result.returncode != 0
    assert complaint in result.stdout + result.stderr


def test_response_pages_order(tmp_path: Path) -> None:
    usage = tmp_path / "usage"
    (usage / "responses").mkdir(parents=True)
    for name in ("responses-b.md", "responses.md", "responses-a.md", "routing.md", "responses/z.md", "responses/x.txt"):
        (usage / name).write_text("# x\n")
    assert response_pages(tmp_path) == [
        "usage/responses.md",
        "usage/responses-a.md",
        "usage/responses-b.md",
        "usage/responses/z.md",
    ]


@pytest.mark.parametrize(
    ("nav", "expected"),
    [
        pytest.param(None, None, id="no-nav"),
        pytest.param(
            [{"Home": "index.md"}, {"Responses": []}, "deployment.md"],
            [{"Home": "index.md"}, {"Responses": ["usage/responses-a.md", "usage/responses-b.md"]}, "deployment.md"],
            id="filled",
        ),
        pytest.param(
            [{"Responses": [{"Intro": "usage/responses-b.md"}]}],
            [{"Responses": [{"Intro": "usage/responses-b.md"}, "usage/responses-a.md"]}],
            id="listed-pages-kept",
        ),
        pytest.param(
            [{"Usage": ["usage/responses-a.md"]}, {"Responses": None}, {"Other": {"x": "usage/responses-b.md"}}],
            [{"Usage": ["usage/responses-a.md"]}, {"Other": {"x": "usage/responses-b.md"}}],
            id="empty-section-dropped",
        ),
        pytest.param([{"Home": "index.md"}], [{"Home": "index.md"}], id="no-section"),
    ],
)
def test_on_config(tmp_path: Path, nav: list[Any] | None, expected: list[Any] | None) -> None:
    (tmp_path / "usage").mkdir()
    for name in ("responses-a.md", "responses-b.md"):
        (tmp_path / "usage" / name).write_text("# x\n")
    config: dict[str, Any] = {"nav": nav, "docs_dir": str(tmp_path)}
    assert on_config(config)["nav"] == expected
