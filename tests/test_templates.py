"""Templates stay readable: no line over 120 characters (djhtml checks their indentation in make lint)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINE = 120


TEMPLATE_DIRS = ["templates", "core", "blog", "home", "search", "delivery"]


def project_templates():
    return sorted(path for folder in TEMPLATE_DIRS for path in (ROOT / folder).rglob("*.html"))


def test_there_are_templates_to_check():
    assert len(project_templates()) > 30


@pytest.mark.parametrize("template", project_templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_line_is_over_120_characters(template):
    long_lines = [n for n, line in enumerate(template.read_text().splitlines(), 1) if len(line) > MAX_LINE]
    assert not long_lines, f"{template.relative_to(ROOT)}: lines {long_lines} are over {MAX_LINE} characters"
