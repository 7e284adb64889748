"""Tests of the tutorial renderer, tools/render_tutorials.py.

Each test writes a tiny tutorial into `tmp_path` and renders it in a
subprocess, as the docs build does; the tutorials in `tutorials/` are not
touched. The backend test runs under whatever `KERAS_BACKEND` the suite runs
with.
"""

import json
import os
import textwrap
from pathlib import Path

import pytest
from tool_testing import load_tool

REPO_ROOT = Path(__file__).resolve().parent.parent


rt = load_tool("render_tutorials.py", "render_tutorials_under_test")


def write_tutorial(tmp_path, name, source):
    folder = tmp_path / "tutorials"
    folder.mkdir(exist_ok=True)
    script = folder / f"{name}.py"
    script.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return script


DEMO = '''
# %% [markdown]
# # A tiny tutorial
#
# Some *prose* before the code.

# %%
import os
import matplotlib.pyplot as plt
import kerasgan.plotting

FAST = os.environ.get("KERASGAN_FAST") == "1"
kerasgan.plotting.save_figures_without_display()
print("hello from the tutorial")
print("fast mode:", FAST)

# %% [markdown]
# ## A figure

# %%
fig, ax = plt.subplots(figsize=(2, 2))
ax.plot([0, 1, 2], [0, 1, 4])
ax.set_title("A parabola")
print("before show")
plt.show()
print("after show")
'''


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The demo tutorial rendered once in fast mode, shared by the tests."""
    tmp_path = tmp_path_factory.mktemp("rendered")
    script = write_tutorial(tmp_path, "demo", DEMO)
    out = tmp_path / "docs"
    page = rt.render(script, out, mode="fast", timeout=120, echo=False)
    return script, out, page


# ----------------------------------------------------------------------
# Parsing
# ----------------------------------------------------------------------
def test_parse_cells_kinds_text_and_lines():
    source = textwrap.dedent(
        """\
        # ---
        # jupyter:
        #   jupytext:
        #     formats: py:percent
        # ---

        # %% [markdown]
        # # Title
        #
        # Prose.

        # %%
        x = 1

        print(x)

        # %% [md]
        # More prose.
        # %% Some title
        y = 2
        """
    )
    cells = rt.parse_cells(source)
    assert [c.kind for c in cells] == ["markdown", "code", "markdown", "code"]
    assert cells[0].source == "# Title\n\nProse."
    assert cells[1].source == "x = 1\n\nprint(x)"
    assert cells[1].line == 13  # the line of `x = 1` in the script
    assert cells[2].source == "More prose."
    assert cells[3].source == "y = 2"
    assert cells[3].line == 20
    assert rt.page_title(cells, "default") == "Title"
    assert rt.page_summary(cells) == "Prose."


def test_code_before_the_first_marker_is_a_cell():
    cells = rt.parse_cells("import os\n\n# %% [markdown]\n# Text\n")
    assert [(c.kind, c.source, c.line) for c in cells] == [
        ("code", "import os", 1),
        ("markdown", "Text", 4),
    ]


def test_clean_output_applies_carriage_returns_backspaces_and_ansi():
    raw = "step 1\rstep 2\rstep 3\nab\bc\n\x1b[1mbold\x1b[0m\n"
    assert rt.clean_output(raw) == "step 3\nac\nbold\n"


# ----------------------------------------------------------------------
# Rendering
# ----------------------------------------------------------------------
def test_page_has_prose_code_output_and_figure(rendered):
    script, out, page = rendered
    text = page.read_text(encoding="utf-8")
    assert text.count("# A tiny tutorial") == 1
    assert "Some *prose* before the code." in text
    assert "## A figure" in text
    assert '```python\nimport os\n' in text
    assert "```text\nhello from the tutorial\nfast mode: True\n```" in text
    assert "Rendered in fast mode" in text
    # Output printed before plt.show() comes before the figure, the rest after.
    before = text.index("```text\nbefore show")
    image = text.index("![A parabola](demo_files/fig1.png)")
    after = text.index("```text\nafter show")
    assert before < image < after
    # The renderer captures the figures itself: the tutorial's
    # save_figures_without_display() leaves its plt.show() alone.
    assert "Saved figure" not in text
    assert not (script.parent / "demo_figures").exists()


def test_tutorial_run_as_a_script_without_a_display_saves_its_figures(tmp_path):
    import subprocess
    import sys

    script = write_tutorial(tmp_path, "demo", DEMO)
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(MPLBACKEND="Agg", PYTHONPATH=str(rt.REPO_ROOT))
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True,
        env=env, cwd=tmp_path, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    figure = script.parent / "demo_figures" / "fig1.png"
    assert figure.is_file() and f"Saved figure 1 to {figure}" in out.stdout


def test_figure_is_a_decodable_png(rendered):
    from PIL import Image

    _, out, _ = rendered
    png = out / "tutorials" / "demo_files" / "fig1.png"
    with Image.open(png) as img:
        img.load()
        assert img.format == "PNG"
        assert img.width > 50 and img.height > 50


def test_page_records_metadata_and_downloads(rendered):
    script, out, page = rendered
    meta = rt.read_meta(page)
    assert meta["sha256"] == rt.sha256_of(script)
    assert meta["mode"] == "fast"
    assert meta["figures"] == 1
    copy = out / "tutorials" / "demo.py"
    assert copy.read_bytes() == script.read_bytes()
    notebook = json.loads((out / "tutorials" / "demo.ipynb").read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    kinds = [c["cell_type"] for c in notebook["cells"]]
    assert kinds == ["markdown", "code", "markdown", "code"]
    assert rt.page_status(script, out) is None
    assert rt.check([script], out) == []
    assert rt.check([script], out, require_mode="full") != []


def test_changed_script_makes_the_page_stale(tmp_path):
    script = write_tutorial(tmp_path, "stale", "# %%\nprint('v1')\n")
    out = tmp_path / "docs"
    assert rt.page_status(script, out) == "no rendered page"
    rt.render(script, out, mode="fast", timeout=120, echo=False)
    assert rt.page_status(script, out) is None
    script.write_text("# %%\nprint('v2')\n", encoding="utf-8")
    assert "changed" in rt.page_status(script, out)


def test_failing_tutorial_reports_the_original_line_number(tmp_path):
    script = write_tutorial(
        tmp_path,
        "broken",
        '''
        # %% [markdown]
        # # Broken

        # %%
        def divide(a, b):
            return a / b

        print("this cell works")

        # %%
        x = 1
        divide(x, 0)
        ''',
    )
    out = tmp_path / "docs"
    with pytest.raises(rt.TutorialError) as info:
        rt.render(script, out, mode="fast", timeout=120, echo=False)
    message = str(info.value)
    assert "ZeroDivisionError" in message
    assert "in the cell starting at line 11" in message
    assert f'File "{script}", line 12' in message  # the call
    assert f'File "{script}", line 6, in divide' in message  # inside the function
    assert "divide(x, 0)" in message  # the source line, read from the script
    assert "render_tutorials" not in message  # no frames of the worker
    assert not (out / "tutorials" / "broken.md").exists()


GIF_TUTORIAL = """
# %% [markdown]
# # Files the tutorial writes

# %%
from pathlib import Path
from PIL import Image

Path("out").mkdir()
frames = [Image.new("L", (8, 8), color=c) for c in (0, 128, 255)]
frames[0].save("out/anim.gif", save_all=True, append_images=frames[1:], duration=100)

# %% [markdown]
# The animation ![three frames](out/anim.gif "Training") and a remote
# ![logo](https://example.com/logo.png) and the docs' ![x](../assets/x.png).

# %%
# Overwritten later: the page must show the file as it was above.
Image.new("L", (8, 8), color=0).save("out/anim.gif")
"""


def test_prose_shows_files_the_tutorial_wrote(tmp_path):
    from PIL import Image

    script = write_tutorial(tmp_path, "gif", GIF_TUTORIAL)
    out = tmp_path / "docs"
    page = rt.render(script, out, mode="fast", timeout=120, echo=False)
    text = page.read_text(encoding="utf-8")
    assert '![three frames](gif_files/out1-anim.gif "Training")' in text
    # Remote links and links into the docs are left as they are.
    assert "![logo](https://example.com/logo.png)" in text
    assert "![x](../assets/x.png)" in text
    copy = out / "tutorials" / "gif_files" / "out1-anim.gif"
    with Image.open(copy) as img:
        assert img.format == "GIF"
        assert img.n_frames == 3  # the file as it was after the cell before the prose
    meta = rt.read_meta(page)
    assert meta["outputs"] == ["out1-anim.gif"]
    assert meta["figures"] == 0
    assert rt.page_status(script, out) is None
    copy.unlink()
    assert "out1-anim.gif is missing" in rt.page_status(script, out)
    # The script itself still shows the original path, for the notebook.
    notebook = json.loads((out / "tutorials" / "gif.ipynb").read_text(encoding="utf-8"))
    assert "out/anim.gif" in "".join(notebook["cells"][2]["source"])


def test_prose_showing_a_file_never_written_fails(tmp_path):
    script = write_tutorial(
        tmp_path,
        "nofile",
        """
        # %% [markdown]
        # # Missing

        # %%
        print("no picture written")

        # %% [markdown]
        # ![samples](samples/samples.gif)
        """,
    )
    out = tmp_path / "docs"
    with pytest.raises(rt.TutorialError) as info:
        rt.render(script, out, mode="fast", timeout=120, echo=False)
    message = str(info.value)
    assert "samples/samples.gif" in message
    assert "Markdown cell at line 8" in message  # the cell that shows it
    assert not (out / "tutorials" / "nofile.md").exists()


def test_cli_check_then_render(tmp_path, capsys):
    write_tutorial(tmp_path, "cli", "# %% [markdown]\n# # CLI\n\n# %%\nprint(1 + 1)\n")
    args = ["--tutorials-dir", str(tmp_path / "tutorials"), "--out", str(tmp_path / "docs")]
    assert rt.main(args + ["--check", "--fast"]) == 1
    assert "no rendered page" in capsys.readouterr().out
    assert rt.main(args + ["--fast", "--quiet"]) == 0
    assert rt.main(args + ["--check", "--fast"]) == 0
    # The committed pages must be full-mode pages.
    assert rt.main(args + ["--check"]) == 1
    assert "fast mode" in capsys.readouterr().out


def test_jobs_render_tutorials_at_once_and_report_each_failure(tmp_path):
    for i in range(3):
        write_tutorial(tmp_path, f"t{i}", f"# %% [markdown]\n# # T{i}\n\n# %%\nprint({i} * 7)\n")
    write_tutorial(tmp_path, "broken", "# %% [markdown]\n# # B\n\n# %%\nraise ValueError('boom')\n")
    scripts = rt.discover(tmp_path / "tutorials")
    out = tmp_path / "docs"
    lines = []
    failures = rt.render_many(scripts, out, mode="fast", timeout=120, echo=False,
                              log=lines.append, jobs=2)
    assert len(failures) == 1 and "boom" in failures[0]
    for i in range(3):
        assert str(i * 7) in (out / "tutorials" / f"t{i}.md").read_text(encoding="utf-8")
    assert sum("wrote" in line for line in lines) == 3
    assert sum("FAILED" in line for line in lines) == 1


def test_tutorial_env_modes_and_data_dir(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.setattr(rt, "REPO_ROOT", repo)
    base = {"KERASGAN_FAST": "1", "PATH": "/bin"}
    # Full mode must not inherit fast mode from the caller's environment.
    assert "KERASGAN_FAST" not in rt.tutorial_env("full", base)
    assert rt.tutorial_env("fast", {})["KERASGAN_FAST"] == "1"
    assert rt.tutorial_env("full", {})["MPLBACKEND"] == "Agg"
    assert "KERASGAN_DATA_DIR" not in rt.tutorial_env("full", {})
    shared = tmp_path / "shared" / "data"
    shared.mkdir(parents=True)
    assert rt.tutorial_env("full", {})["KERASGAN_DATA_DIR"] == str(shared)
    assert rt.tutorial_env("full", {"KERASGAN_DATA_DIR": "/x"})["KERASGAN_DATA_DIR"] == "/x"


def test_header_names_the_backend(tmp_path):
    script = write_tutorial(
        tmp_path,
        "backend",
        """
        # %% [markdown]
        # # Backend

        # %%
        import keras
        print(keras.backend.backend())
        """,
    )
    page = rt.render(script, tmp_path / "docs", mode="fast", timeout=300, echo=False)
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    text = page.read_text(encoding="utf-8")
    assert f"```text\n{backend}\n```" in text
    assert f"with the {rt.BACKEND_NAMES[backend]} backend" in text
    assert rt.read_meta(page)["backend"] == backend


# ----------------------------------------------------------------------
# The MkDocs hook's formula conversion
# ----------------------------------------------------------------------
def test_hook_turns_latex_into_mathml():
    pytest.importorskip("mkdocs")
    pytest.importorskip("latex2mathml")
    hooks = load_tool("mkdocs_hooks.py", "kerasgan_mkdocs_hooks_under_test")
    html = (
        '<p>Inline <span class="arithmatex">\\(D(x) &lt; 1\\)</span>.</p>'
        '<div class="arithmatex">\\[\\min_G \\max_D V(D, G)\\]</div>'
    )
    result = hooks.on_page_content(html, page=None, config=None, files=None)
    assert "arithmatex" not in result
    assert result.count("<math") == 2
    assert 'display="block"' in result
    assert "&lt;" in result or "&#x0003C;" in result


def test_restamp_updates_the_page_for_an_edit_that_keeps_the_output(tmp_path):
    script = write_tutorial(tmp_path, "demo", DEMO)
    out = tmp_path / "docs"
    page = rt.render(script, out, mode="fast", timeout=120, echo=False)
    outputs = [b for b in page.read_text().split("\n\n") if b.startswith("```text")]
    edited = DEMO.replace(
        'print("hello from the tutorial")',
        '# A comment the reader sees.\nprint("hello from the tutorial")',
    ).replace("## A figure", "## A figure, reworded")
    script.write_text(textwrap.dedent(edited).lstrip("\n"), encoding="utf-8")
    assert rt.page_status(script, out) is not None  # stale
    rt.restamp(script, out)
    assert rt.page_status(script, out) is None
    text = page.read_text()
    assert "# A comment the reader sees.\nprint(" in text and "reworded" in text
    assert [b for b in text.split("\n\n") if b.startswith("```text")] == outputs
    assert "A comment the reader sees." in (out / "tutorials" / "demo.ipynb").read_text()
    # The prose under the title is replaced on its own (the page splits the
    # title cell around its header); the title itself and new cells need a run.
    script.write_text(script.read_text().replace("Some *prose*", "Other prose"))
    rt.restamp(script, out)
    text = page.read_text()
    assert "Other prose before the code." in text and "Some *prose*" not in text
    assert text.index("# A tiny tutorial") < text.index("Other prose")
    script.write_text(script.read_text().replace("A tiny tutorial", "A small one"))
    with pytest.raises(SystemExit, match="is the title"):
        rt.restamp(script, out)
    script.write_text(script.read_text().replace("A small one", "A tiny tutorial"))
    script.write_text(script.read_text() + '\n# %%\nprint("new")\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="cells were added"):
        rt.restamp(script, out)


# ----------------------------------------------------------------------
# Readability metadata, the gallery and the result at the top of a page
# ----------------------------------------------------------------------
def test_page_records_each_figures_smallest_text_and_run_time(rendered):
    _, _, page = rendered
    meta = rt.read_meta(page)
    # The demo's smallest texts are matplotlib's default 10 pt tick labels,
    # at the renderer's 100 dpi: 10 * 100 / 72 pixels.
    assert meta["figure_text_px"] == {"fig1.png": pytest.approx(13.89, abs=0.01)}
    assert meta["seconds"] > 0
    assert meta["device"]


def test_gallery_card_and_page_open_with_the_result(rendered):
    pytest.importorskip("mkdocs")
    script, out, page = rendered
    hooks = load_tool("mkdocs_hooks.py", "kerasgan_mkdocs_hooks_gallery")
    gallery = {"demo": {"level": "beginner", "lesson": "Parabolas", "result": "fig1.png"}}
    cards = hooks._gallery_markdown([script], out, gallery, {"demo": "A tiny tutorial"})
    assert cards.startswith('<div class="grid cards" markdown>')
    assert "[![A parabola](demo_files/fig1.png){ .kg-thumb }](demo.md)" in cards
    assert "**[A tiny tutorial](demo.md)**" in cards
    assert "*Beginner · Lesson: Parabolas · " in cards
    backend = rt.BACKEND_NAMES.get(rt.read_meta(page)["backend"])
    assert f"({backend})*" in cards  # run time, hardware and backend
    hooks._state["gallery"] = gallery
    markdown = page.read_text(encoding="utf-8")
    opened = hooks._open_with_result(markdown, "demo")
    header_line = next(l for l in opened.splitlines() if l.startswith("*Rendered in"))
    after_header = opened.split(header_line, 1)[1]
    # The result comes first after the header line, before any code.
    assert after_header.index("![A parabola](demo_files/fig1.png)") < after_header.index("```")
    # A result that is not on the page is reported by the build.
    assert "fig1.png" in hooks._page_files(page)
    assert "fig9.png" not in hooks._page_files(page)
