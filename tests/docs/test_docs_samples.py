"""Every code sample in the docs is a file under docs/examples/, and every such file is run by a test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docs.examples.core import testing_client

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
PAGES = sorted(path for path in DOCS.rglob("*.md") if "dev" not in path.relative_to(DOCS).parts)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SNIPPET = re.compile(r'^--8<-- "([^"]+)"$')
# Languages a page may show inline: shell sessions, program output (text, JSON), configuration excerpts.
INLINE_LANGUAGES = {"sh", "text", "json", "nginx", "toml", "yaml", "ini"}


def example_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in EXAMPLES.rglob("*.py")
        if path.name != "__init__.py"
    )


def test_the_docs_have_pages() -> None:
    assert len(PAGES) >= 10
    assert len(example_modules()) >= 40


@pytest.mark.parametrize("page", [pytest.param(page, id=str(page.relative_to(DOCS))) for page in PAGES])
def test_python_samples_are_example_files(page: Path) -> None:
    for language, body in FENCE.findall(page.read_text("utf-8")):
        lines = body.strip().splitlines()
        if language in INLINE_LANGUAGES:
            continue
        assert lines, f"{page.name}: an empty ```{language} block"
        for line in lines:
            match = SNIPPET.match(line)
            assert match, f"{page.name}: a ```{language} block holds `{line}`: put the code in docs/examples/"
            assert (ROOT / match.group(1)).is_file(), f"{page.name}: snippet `{match.group(1)}` does not exist"
            assert match.group(1).startswith("docs/examples/"), match.group(1)


def test_every_example_file_is_run_by_a_test() -> None:
    tests = "\n".join(path.read_text("utf-8") for path in (ROOT / "tests").rglob("*.py"))
    untested = []
    for module in example_modules():
        package, _, name = module.rpartition(".")
        imported = module in tests or re.search(rf"from {re.escape(package)} import [^\n]*\b{name}\b", tests)
        wrapped = re.search(rf"from {re.escape(package)} import \(\n(?:\s+\w+,\n)*?\s+{name},\n", tests)
        if not (imported or wrapped):
            untested.append(module)
    assert untested == []


def test_testing_sample_passes() -> None:
    testing_client.test_hello()
