"""Code shown on the docs site fits its column.

At 1280 px the content column holds 85 characters of code (extra.css sets
code blocks to 0.8em); tutorial scripts, the code blocks of the hand-written
pages and the examples in docstrings are kept to 82, as `ruff format
--line-length 82` writes them. The browser check (tools/check_site.py)
measures the built pages; this test names the offending line before a build.
"""

import ast
import re
import textwrap
from pathlib import Path

from tool_testing import load_tool

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_CHARS = 82
FENCE_RE = re.compile(r"```(?:python|py|bash|text)?\n(.*?)```", re.S)


def _render_tutorials():
    return load_tool("render_tutorials.py", "render_tutorials_for_width")


def _long_lines(code, where):
    return [
        f"{where}: {len(line)} characters: {line.strip()[:60]}"
        for line in textwrap.dedent(code).splitlines()
        if len(line) > MAX_CHARS
    ]


def test_tutorial_code_cells_fit_the_column():
    rt = _render_tutorials()
    problems = []
    for script in sorted((REPO_ROOT / "tutorials").glob("*.py")):
        for cell in rt.parse_cells(script.read_text(encoding="utf-8")):
            if cell.kind == "code":
                problems += _long_lines(cell.source, f"{script.name}:{cell.line}")
            else:  # code blocks inside the prose
                for block in FENCE_RE.findall(cell.source):
                    problems += _long_lines(block, f"{script.name}:{cell.line}")
    assert not problems, "\n".join(problems)


def test_hand_written_pages_code_blocks_fit_the_column():
    problems = []
    for page in sorted((REPO_ROOT / "docs").rglob("*.md")):
        if page.parent.name == "tutorials" and page.name[:1].isdigit():
            continue  # rendered pages: checked through their scripts above
        for block in FENCE_RE.findall(page.read_text(encoding="utf-8")):
            problems += _long_lines(block, str(page.relative_to(REPO_ROOT)))
    assert not problems, "\n".join(problems)


def test_docstring_examples_fit_the_column():
    problems = []
    for module in sorted((REPO_ROOT / "kerasgan").rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(
                node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
            ):
                continue
            doc = ast.get_docstring(node)
            for block in FENCE_RE.findall(doc or ""):
                where = f"{module.relative_to(REPO_ROOT)} {getattr(node, 'name', '')}"
                problems += _long_lines(block, where)
    assert not problems, "\n".join(problems)
