"""Render the tutorials in `tutorials/` into Markdown pages for the docs.

A tutorial is a plain Python script in jupytext's "percent" format:

    # %% [markdown]
    # # A title
    #
    # Prose, as `# ` comment lines.

    # %%
    print("a code cell")

Each tutorial runs in its own subprocess, with a scratch folder as working
directory and matplotlib's Agg backend. The worker executes the cells one by
one in a single namespace, captures what each cell prints (stdout and
stderr) and saves every matplotlib figure it leaves open (or shows), then
writes `<out>/tutorials/<name>.md` with the prose, the code, the outputs and
the figures (`<out>/tutorials/<name>_files/figN.png`), plus a copy of the
script and a notebook version next to it. A failing tutorial fails the run
with its traceback, whose line numbers are those of the original script.

Files the tutorial writes itself (an animated GIF, a PNG grid) are shown by
a Markdown image link in a prose cell, with the path the code wrote to:

    # %% [markdown]
    # ![Training, one frame per 100 steps](samples/samples.gif)

For someone reading the script this is a comment; in the notebook version
the link opens the file the notebook wrote; on the page the renderer copies
the file, as it was right after the code cell before that prose, into
`<name>_files/` and points the link there. A link to a file the code did not
write fails the run, so a page cannot show a missing or stale picture.

Usage:

    python tools/render_tutorials.py                 # all tutorials, full mode, into docs/
    python tools/render_tutorials.py --only 01_dcgan_mnist
    python tools/render_tutorials.py --stale         # only missing or outdated pages
    python tools/render_tutorials.py --fast --out _scratch/docs-fast   # CI
    python tools/render_tutorials.py --check         # are the pages up to date?
    python tools/render_tutorials.py --restamp 01_first_gan   # after an edit that
                                                     # cannot change the output

Modes: full (default: real training, the published results) and fast
(`--fast`, which sets `KERASGAN_FAST=1` for the tutorial: seconds per
tutorial). Each page records the mode, the backend, the date and the SHA-256
of the script it came from, so `--check` and the MkDocs hook can tell a stale
page from a current one.

Only the standard library is imported at module level: the MkDocs hook
imports this file to check pages without loading matplotlib or Keras.
"""

from __future__ import annotations

import argparse
import builtins
import dataclasses
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TUTORIALS_DIR = REPO_ROOT / "tutorials"
DOCS_DIR = REPO_ROOT / "docs"
PAGES_SUBDIR = "tutorials"  # pages go to <out>/tutorials/

MODES = ("full", "fast")
# Longest output block kept on a page; longer ones keep their head and tail.
MAX_OUTPUT_LINES = 120
# Seconds a fast-mode tutorial may take before the run is killed.
FAST_TIMEOUT = 600

META_RE = re.compile(r"<!--\s*kerasgan-tutorial:\s*(\{.*?\})\s*-->")
CELL_MARKER_RE = re.compile(r"^#\s?%%(?!%)(.*)$")
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# A Markdown image: ![alt](path) or ![alt](path "title").
IMAGE_LINK_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")

BACKEND_NAMES = {
    "tensorflow": "TensorFlow",
    "jax": "JAX",
    "torch": "PyTorch",
    "numpy": "NumPy",
    "openvino": "OpenVINO",
}


class TutorialError(RuntimeError):
    """A tutorial failed to run; the message holds its traceback."""


# ----------------------------------------------------------------------
# Parsing the percent format
# ----------------------------------------------------------------------
@dataclasses.dataclass
class Cell:
    kind: str  # "markdown" or "code"
    source: str  # markdown text without the comment marks, or code
    line: int  # 1-based line of the script where `source` starts


def _cell_kind(marker_rest):
    tag = re.search(r"\[(\w+)\]", marker_rest)
    if tag is None:
        return "code"
    name = tag.group(1).lower()
    if name in ("markdown", "md"):
        return "markdown"
    if name == "raw":
        return "raw"
    return "code"


def _uncomment(line):
    if line.startswith("# "):
        return line[2:]
    if line.startswith("#"):
        return line[1:]
    return line


def _trim(lines, first_line):
    """Drops blank lines at both ends; returns (lines, line of the first)."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end], first_line + start


def parse_cells(text):
    """Splits a percent-format script into `Cell`s.

    Lines before the first `# %%` marker form a code cell (a jupytext YAML
    header in comments, `# ---` ... `# ---`, is skipped). Markdown cells have
    their leading `# ` removed. Blank lines around a cell are dropped, and
    `Cell.line` is the script line of the first kept line, so code compiled
    at that offset reports the script's own line numbers.
    """
    lines = text.splitlines()
    cells = []
    kind, body, body_start = "code", [], 1
    i = 0
    # A jupytext header: "# ---" ... "# ---" before anything else.
    if lines and lines[0].strip() == "# ---":
        for j in range(1, len(lines)):
            if lines[j].strip() == "# ---":
                i = j + 1
                body_start = i + 1
                break

    def close():
        kept, start = _trim(body, body_start)
        if not kept or kind == "raw":
            return
        if kind == "markdown":
            cells.append(Cell("markdown", "\n".join(_uncomment(l) for l in kept), start))
        else:
            cells.append(Cell("code", "\n".join(kept), start))

    while i < len(lines):
        match = CELL_MARKER_RE.match(lines[i])
        if match:
            close()
            kind, body, body_start = _cell_kind(match.group(1)), [], i + 2
        else:
            body.append(lines[i])
        i += 1
    close()
    return cells


def page_title(cells, default):
    """The first Markdown heading of the tutorial, without its `#`s."""
    for cell in cells:
        if cell.kind == "markdown":
            for line in cell.source.splitlines():
                m = re.match(r"^#{1,6}\s+(.*\S)\s*$", line)
                if m:
                    return m.group(1)
    return default


def local_image_links(markdown):
    """Paths of the images a Markdown cell shows from files on disk.

    Links with a URL scheme (`https:`, `data:`), absolute paths and links
    into the docs (`../`) are left alone: only paths relative to the
    tutorial's working directory count as files the tutorial wrote.
    """
    paths = []
    for match in IMAGE_LINK_RE.finditer(markdown):
        src = match.group("src")
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith(("/", "../", "#")):
            continue
        if src not in paths:
            paths.append(src)
    return paths


def page_summary(cells):
    """The first prose paragraph of the tutorial (for the tutorials index)."""
    for cell in cells:
        if cell.kind != "markdown":
            continue
        paragraph = []
        for line in cell.source.splitlines():
            if re.match(r"^#{1,6}\s", line):
                if paragraph:
                    break
                continue
            if not line.strip():
                if paragraph:
                    break
                continue
            paragraph.append(line.strip())
        if paragraph:
            return " ".join(paragraph)
    return ""


# ----------------------------------------------------------------------
# Files, names, hashes
# ----------------------------------------------------------------------
def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def discover(tutorials_dir=TUTORIALS_DIR):
    """The tutorial scripts, sorted by name (`_`-prefixed files excluded)."""
    tutorials_dir = Path(tutorials_dir)
    if not tutorials_dir.is_dir():
        return []
    return sorted(
        p for p in tutorials_dir.glob("*.py") if not p.name.startswith("_")
    )


def select(scripts, names):
    """Picks scripts by name (`01_x`, `01_x.py` or a path)."""
    if not names:
        return list(scripts)
    by_stem = {s.stem: s for s in scripts}
    chosen = []
    for name in names:
        stem = Path(name).stem
        if stem in by_stem:
            chosen.append(by_stem[stem])
        elif Path(name).is_file():
            chosen.append(Path(name).resolve())
        else:
            raise SystemExit(
                f"No tutorial named {name!r}. Expected one of "
                f"{sorted(by_stem)} or a path to a script. Received: {name!r}"
            )
    return chosen


def page_paths(script, out_dir):
    pages = Path(out_dir) / PAGES_SUBDIR
    stem = Path(script).stem
    return {
        "page": pages / f"{stem}.md",
        "files": pages / f"{stem}_files",
        "script": pages / f"{stem}.py",
        "notebook": pages / f"{stem}.ipynb",
    }


def read_meta(page):
    """The metadata a rendered page records, or `None`."""
    try:
        text = Path(page).read_text(encoding="utf-8")
    except OSError:
        return None
    match = META_RE.search(text)
    if not match:
        return None
    try:
        return json.loads(match.group(1))
    except ValueError:
        return None


def page_status(script, out_dir=DOCS_DIR):
    """Why the page of `script` needs rendering, or `None` if it is current.

    Returns a short reason: missing page, no metadata, script changed,
    missing figures or shown files, or missing downloads.
    """
    paths = page_paths(script, out_dir)
    if not paths["page"].is_file():
        return "no rendered page"
    meta = read_meta(paths["page"])
    if meta is None:
        return "the page has no kerasgan-tutorial metadata"
    if meta.get("sha256") != sha256_of(script):
        return "the script changed since the page was rendered"
    for i in range(1, int(meta.get("figures", 0)) + 1):
        if not (paths["files"] / f"fig{i}.png").is_file():
            return f"figure {paths['files'].name}/fig{i}.png is missing"
    for name in meta.get("outputs", []):
        if not (paths["files"] / name).is_file():
            return f"file {paths['files'].name}/{name} is missing"
    if not paths["script"].is_file() or sha256_of(paths["script"]) != meta["sha256"]:
        return "the downloadable copy of the script is missing or outdated"
    if not paths["notebook"].is_file():
        return "the notebook version is missing"
    return None


def check(scripts, out_dir=DOCS_DIR, require_mode=None):
    """Returns `[(script, reason)]` for every page that is not current.

    With `require_mode="full"`, pages rendered in fast mode are reported too.
    """
    problems = []
    for script in scripts:
        reason = page_status(script, out_dir)
        if reason is None and require_mode is not None:
            meta = read_meta(page_paths(script, out_dir)["page"])
            if meta.get("mode") != require_mode:
                reason = (
                    f"the page was rendered in {meta.get('mode')} mode, "
                    f"expected {require_mode} mode"
                )
        if reason is not None:
            problems.append((script, reason))
    return problems


# ----------------------------------------------------------------------
# The worker: runs one tutorial, cell by cell, in this process
# ----------------------------------------------------------------------
class _Capture(io.TextIOBase):
    """A text stream whose target buffer changes from cell to cell.

    One object serves as both `sys.stdout` and `sys.stderr` for the whole
    run, so logging handlers created inside a cell (which keep a reference
    to the stream) still write into the current cell's output.
    """

    def __init__(self, echo=None):
        self.buffer_ = io.StringIO()
        self.echo = echo

    def write(self, text):
        self.buffer_.write(text)
        if self.echo is not None:
            self.echo.write(text)
            self.echo.flush()
        return len(text)

    def flush(self):
        if self.echo is not None:
            self.echo.flush()

    def isatty(self):
        return False

    @property
    def encoding(self):
        return "utf-8"

    def take(self):
        text = self.buffer_.getvalue()
        self.buffer_ = io.StringIO()
        return text


def clean_output(text):
    """Applies carriage returns and backspaces and strips ANSI escapes."""
    text = ANSI_RE.sub("", text.replace("\r\n", "\n"))
    lines = []
    for line in text.split("\n"):
        if "\r" in line:
            # What a terminal would show: the last non-empty overwrite.
            parts = [p for p in line.split("\r") if p]
            line = parts[-1] if parts else ""
        while "\b" in line:
            i = line.index("\b")
            line = line[: max(i - 1, 0)] + line[i + 1 :]
        lines.append(line.rstrip())
    return "\n".join(lines)


def _smallest_text_px(fig):
    """The height in pixels of the figure's smallest visible text, as saved.

    Recorded per figure in the page's metadata so the site check can tell
    whether, once the browser shrinks the PNG to the content column, any
    title, label or tick label becomes too small to read.
    """
    from matplotlib.text import Text

    sizes = [
        text.get_fontsize()
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text().strip()
    ]
    return round(min(sizes) * fig.dpi / 72.0, 2) if sizes else None


def _figure_alt(fig, number):
    texts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        texts.append(suptitle.get_text())
    else:
        for ax in fig.axes:
            if ax.get_title():
                texts.append(ax.get_title())
                break
    alt = texts[0] if texts else f"Figure {number}"
    return re.sub(r"[\[\]\n]", " ", alt).strip()


def _describe_device():
    """A short description of where the tutorial ran, e.g. `CPU`."""
    backend = _keras_backend()
    # Look only at frameworks the tutorial imported itself: importing one
    # here would cost seconds and print its start-up noise.
    module = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}.get(backend)
    if module not in sys.modules:
        return "CPU"
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            gpus = tf.config.list_physical_devices("GPU")
            if gpus:
                return f"{len(gpus)} GPU" + ("s" if len(gpus) > 1 else "")
        elif backend == "jax":
            import jax

            device = jax.devices()[0]
            if device.platform != "cpu":
                return getattr(device, "device_kind", device.platform)
        elif backend == "torch":
            import torch

            if torch.cuda.is_available():
                return torch.cuda.get_device_name(0)
    except Exception:  # the description is informative only
        pass
    return "CPU"


def _keras_backend():
    keras = sys.modules.get("keras")
    if keras is not None:
        try:
            return keras.backend.backend()
        except Exception:
            pass
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def _format_error(exc, worker_file):
    import traceback

    te = traceback.TracebackException.from_exception(exc)
    # Drop the worker's own frames (the exec call) from the top.
    stack = list(te.stack)
    while stack and os.path.abspath(stack[0].filename) == worker_file:
        stack.pop(0)
    te.stack = traceback.StackSummary.from_list(stack)
    return "".join(te.format())


def run_worker(script, result_path, files_dir, echo):
    """Executes `script` cell by cell; writes a JSON report to `result_path`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    script = Path(script).resolve()
    files_dir = Path(files_dir)
    files_dir.mkdir(parents=True, exist_ok=True)
    cells = parse_cells(script.read_text(encoding="utf-8"))
    capture = _Capture(echo=sys.__stdout__ if echo else None)
    figures = []
    text_px = {}  # figure file -> smallest text height in pixels
    outputs = []  # files the tutorial wrote and its prose shows
    state = {"events": None}

    # Paths of this machine make no sense on a published page.
    replacements = [
        *(
            [(os.environ["KERASGAN_DATA_DIR"].rstrip(os.sep), "$KERASGAN_DATA_DIR")]
            if os.environ.get("KERASGAN_DATA_DIR")
            else []
        ),
        (str(Path.cwd()) + os.sep, ""),
        (str(Path.cwd()), "."),
        (str(REPO_ROOT) + os.sep, ""),
        (str(Path.home()), "~"),
    ]

    def flush_text():
        text = capture.take()
        for old, new in replacements:
            text = text.replace(old, new)
        if text:
            state["events"].append({"type": "text", "text": text})

    def save_open_figures():
        flush_text()
        for num in plt.get_fignums():
            fig = plt.figure(num)
            number = len(figures) + 1
            name = f"fig{number}.png"
            fig.savefig(files_dir / name, bbox_inches="tight")
            alt = _figure_alt(fig, number)
            figures.append(name)
            text_px[name] = _smallest_text_px(fig)
            state["events"].append({"type": "image", "file": name, "alt": alt})
        plt.close("all")

    def show(*args, **kwargs):
        save_open_figures()

    def copy_shown_files(code_index):
        """Copies the files that the prose after cell `code_index` shows."""
        for index in range(code_index + 1, len(cells)):
            if cells[index].kind == "code":
                break
            if cells[index].kind != "markdown":
                continue
            for src in local_image_links(cells[index].source):
                path = Path(src)
                if not path.is_file():
                    raise FileNotFoundError(
                        f"The Markdown cell at line {cells[index].line} shows "
                        f"{src!r}, but the code before it did not write that "
                        "file (paths are relative to the tutorial's working "
                        "directory). Received: no file at "
                        f"{str(path.resolve())!r}. Write the file first, or "
                        "fix the path in the image link."
                    )
                name = f"out{len(outputs) + 1}-{re.sub(r'[^A-Za-z0-9._-]', '_', path.name)}"
                shutil.copyfile(path, files_dir / name)
                outputs.append({"cell": index, "src": src, "file": name})

    plt.show = show
    namespace = {
        "__name__": "__main__",
        "__file__": str(script),
        "__builtins__": builtins,
    }
    sys.argv = [str(script)]
    sys.path.insert(0, str(script.parent))
    results = []
    error = None
    start = time.monotonic()
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = capture
    try:
        try:
            copy_shown_files(-1)  # prose before the first code cell
        except FileNotFoundError as exc:
            line = next((c.line for c in cells if c.kind == "markdown"), 1)
            error = {
                "cell": 0,
                "line": line,
                "traceback": f"FileNotFoundError: {exc}\n",
                "events": [],
            }
        for index, cell in enumerate(cells if error is None else []):
            if cell.kind != "code":
                continue
            state["events"] = []
            cell_start = time.monotonic()
            try:
                code = compile(
                    "\n" * (cell.line - 1) + cell.source, str(script), "exec"
                )
                exec(code, namespace)
                copy_shown_files(index)
            except BaseException as exc:  # noqa: BLE001 - reported, then re-raised by the parent
                if isinstance(exc, SystemExit) and exc.code in (None, 0):
                    save_open_figures()
                    results.append(
                        {"cell": index, "events": state["events"], "seconds": 0.0}
                    )
                    break
                flush_text()
                error = {
                    "cell": index,
                    "line": cell.line,
                    "traceback": _format_error(exc, os.path.abspath(__file__)),
                    "events": state["events"],
                }
                break
            save_open_figures()
            results.append(
                {
                    "cell": index,
                    "events": state["events"],
                    "seconds": time.monotonic() - cell_start,
                }
            )
    finally:
        sys.stdout, sys.stderr = real_stdout, real_stderr
    keras = sys.modules.get("keras")
    report = {
        "ok": error is None,
        "error": error,
        "cells": results,
        "figures": figures,
        "figure_text_px": text_px,
        "outputs": outputs,
        "seconds": time.monotonic() - start,
        "backend": _keras_backend(),
        "keras_version": getattr(keras, "__version__", None) if keras else None,
        "device": _describe_device(),
    }
    Path(result_path).write_text(json.dumps(report), encoding="utf-8")
    return 0 if error is None else 1


# ----------------------------------------------------------------------
# Writing the page
# ----------------------------------------------------------------------
def _fence(text, lang=""):
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def _truncate(text, max_lines=MAX_OUTPUT_LINES):
    lines = text.split("\n")
    if len(lines) <= max_lines:
        return text
    head = max_lines // 2
    tail = max_lines - head
    skipped = len(lines) - head - tail
    return "\n".join(
        lines[:head] + [f"... ({skipped} lines not shown) ..."] + lines[-tail:]
    )


def _duration(seconds):
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _header(script, mode, report, date, source_rel):
    backend = BACKEND_NAMES.get(report["backend"], report["backend"])
    keras = f" (Keras {report['keras_version']})" if report.get("keras_version") else ""
    stem = Path(script).stem
    run = (
        f"`python {source_rel}`"
        if mode == "full"
        else f"`KERASGAN_FAST=1 python {source_rel}`"
    )
    mode_text = (
        "full mode" if mode == "full" else "fast mode (`KERASGAN_FAST=1`, a few seconds of training)"
    )
    return (
        f"*Rendered in {mode_text} with the {backend} backend{keras} "
        f"on {date}, {report['device']}, in {_duration(report['seconds'])}.* "
        f"Run it yourself with {run}, or download "
        f"[the script]({stem}.py) or [the notebook]({stem}.ipynb)."
    )


def _events_markdown(events):
    parts = []
    text = []

    def flush():
        if text:
            cleaned = clean_output("".join(text)).strip("\n")
            if cleaned.strip():
                parts.append(_fence(_truncate(cleaned), "text"))
            text.clear()

    for event in events:
        if event["type"] == "text":
            text.append(event["text"])
        else:
            flush()
            parts.append(f"![{event['alt']}]({event['rel']})")
    flush()
    return parts


def build_markdown(script, cells, report, mode, date, files_rel, source_rel):
    """The Markdown page of a tutorial run."""
    meta = {
        "source": source_rel,
        "sha256": sha256_of(script),
        "mode": mode,
        "backend": report["backend"],
        "date": date,
        "figures": len(report["figures"]),
        "outputs": [o["file"] for o in report.get("outputs", [])],
        "seconds": round(report["seconds"], 1),
        "device": report["device"],
        "figure_text_px": {
            name: px for name, px in report.get("figure_text_px", {}).items() if px
        },
    }
    header = _header(script, mode, report, date, source_rel)
    outputs = {r["cell"]: r["events"] for r in report["cells"]}
    shown = {}  # markdown cell index -> {src: file}
    for o in report.get("outputs", []):
        shown.setdefault(o["cell"], {})[o["src"]] = o["file"]

    def with_files(index, text):
        """Points the cell's links to files the tutorial wrote at their copies."""
        files = shown.get(index)
        if not files:
            return text

        def replace(match):
            src = match.group("src")
            if src not in files:
                return match.group(0)
            title = match.group("title") or ""
            return f"![{match.group('alt')}]({files_rel}/{files[src]}{title})"

        return IMAGE_LINK_RE.sub(replace, text)

    blocks = [f"<!-- kerasgan-tutorial: {json.dumps(meta, sort_keys=True)} -->"]
    header_done = False
    for index, cell in enumerate(cells):
        if cell.kind == "markdown":
            text = with_files(index, cell.source)
            if not header_done:
                lines = text.split("\n")
                if lines and re.match(r"^#\s", lines[0]):
                    rest = "\n".join(lines[1:]).strip("\n")
                    blocks.append(lines[0])
                    blocks.append(header)
                    if rest:
                        blocks.append(rest)
                    header_done = True
                    continue
            if not header_done:
                blocks.append(f"# {page_title(cells, Path(script).stem)}")
                blocks.append(header)
                header_done = True
            blocks.append(text)
        else:
            if not header_done:
                blocks.append(f"# {page_title(cells, Path(script).stem)}")
                blocks.append(header)
                header_done = True
            blocks.append(_fence(cell.source, "python"))
            events = [dict(e) for e in outputs.get(index, [])]
            for event in events:
                if event["type"] == "image":
                    event["rel"] = f"{files_rel}/{event['file']}"
            blocks.extend(_events_markdown(events))
    if not header_done:
        blocks.append(f"# {Path(script).stem}")
        blocks.append(header)
    return "\n\n".join(blocks) + "\n"


def build_notebook(cells):
    """A Jupyter notebook (nbformat 4.4, no outputs) with the same cells."""

    def source(text):
        lines = text.split("\n")
        return [line + "\n" for line in lines[:-1]] + [lines[-1]]

    nb_cells = []
    for cell in cells:
        if cell.kind == "markdown":
            nb_cells.append(
                {"cell_type": "markdown", "metadata": {}, "source": source(cell.source)}
            )
        else:
            nb_cells.append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {},
                    "outputs": [],
                    "source": source(cell.source),
                }
            )
    notebook = {
        "cells": nb_cells,
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------
# The parent: one subprocess per tutorial
# ----------------------------------------------------------------------
def tutorial_env(mode, base=None):
    """The environment a tutorial runs in."""
    env = dict(os.environ if base is None else base)
    if mode == "fast":
        env["KERASGAN_FAST"] = "1"
    else:
        env.pop("KERASGAN_FAST", None)
    env["MPLBACKEND"] = "Agg"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONUNBUFFERED", "1")
    shared_data = REPO_ROOT.parent / "shared" / "data"
    if not env.get("KERASGAN_DATA_DIR") and shared_data.is_dir():
        env["KERASGAN_DATA_DIR"] = str(shared_data)
    # `import kerasgan` from the scratch folder finds this checkout.
    path = [str(REPO_ROOT)]
    if env.get("PYTHONPATH"):
        path.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(path)
    return env


def _relative(path):
    try:
        return Path(path).resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return Path(path).name


def render(script, out_dir=DOCS_DIR, mode="full", timeout=None, echo=True, python=None):
    """Runs one tutorial in a subprocess and writes its page.

    Returns the path of the page. Raises `TutorialError` (with the
    tutorial's traceback) when the script fails, and leaves any existing
    page untouched in that case.
    """
    if mode not in MODES:
        raise ValueError(f"Expected mode to be one of {list(MODES)}. Received: mode={mode!r}")
    script = Path(script).resolve()
    paths = page_paths(script, out_dir)
    source_rel = _relative(script)
    with tempfile.TemporaryDirectory(prefix=f"tutorial-{script.stem}-") as tmp:
        tmp = Path(tmp)
        workdir = tmp / "work"
        workdir.mkdir()
        files_tmp = tmp / "files"
        result_path = tmp / "result.json"
        command = [
            python or sys.executable,
            os.path.abspath(__file__),
            "--worker",
            str(script),
            str(result_path),
            str(files_tmp),
        ]
        if echo:
            command.append("--echo")
        try:
            proc = subprocess.run(
                command,
                cwd=workdir,
                env=tutorial_env(mode),
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                stdout=None if echo else subprocess.PIPE,
                stderr=None if echo else subprocess.STDOUT,
            )
        except subprocess.TimeoutExpired:
            raise TutorialError(
                f"{source_rel} did not finish within {timeout} s in {mode} mode. "
                "Fast mode should take seconds: check that the tutorial reads "
                "KERASGAN_FAST and shrinks its training."
            ) from None
        if not result_path.is_file():
            captured = ""
            if proc.stdout:
                captured = proc.stdout.decode("utf-8", "replace")[-4000:]
            raise TutorialError(
                f"{source_rel} crashed (exit code {proc.returncode}) before "
                f"reporting a result.\n{captured}"
            )
        report = json.loads(result_path.read_text(encoding="utf-8"))
        if not report["ok"]:
            err = report["error"]
            printed = "".join(
                e["text"] for e in err["events"] if e["type"] == "text"
            )
            printed = clean_output(printed).strip()
            tail = ""
            if printed:
                tail = "\nOutput of that cell before the error:\n" + _truncate(printed, 40)
            raise TutorialError(
                f"{source_rel} failed in {mode} mode, in the cell starting at "
                f"line {err['line']}:\n{err['traceback']}{tail}"
            )
        cells = parse_cells(script.read_text(encoding="utf-8"))
        date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
        markdown = build_markdown(
            script,
            cells,
            report,
            mode,
            date,
            files_rel=paths["files"].name,
            source_rel=source_rel,
        )
        # Replace the old page and its figures only after a successful run.
        paths["page"].parent.mkdir(parents=True, exist_ok=True)
        if paths["files"].exists():
            shutil.rmtree(paths["files"])
        if report["figures"] or report.get("outputs"):
            shutil.copytree(files_tmp, paths["files"])
        shutil.copyfile(script, paths["script"])
        paths["notebook"].write_text(build_notebook(cells), encoding="utf-8")
        paths["page"].write_text(markdown, encoding="utf-8")
    return paths["page"]


def restamp(script, out_dir=DOCS_DIR):
    """Brings a page up to date with an edit that cannot change its output.

    For edits such as a comment, a prose fix, or a call that does nothing
    under the renderer (`kerasgan.plotting.save_figures_without_display()`),
    re-running a tutorial for minutes would print the same page. This
    replaces the text of each changed cell in the page, records the new
    script's hash, and refreshes the script copy and the notebook, keeping
    the outputs, figures and rendering date. It refuses (SystemExit) unless
    the page is current for the previous script (its downloadable copy), the
    cells pair up one to one, and each changed cell appears exactly once in
    the page (not the title line, nor prose that shows a file). Whether an
    edit can change the output is the caller's judgement: when in doubt,
    render.
    """
    script = Path(script).resolve()
    paths = page_paths(script, out_dir)
    meta = read_meta(paths["page"])
    name = script.name

    def refuse(why):
        raise SystemExit(
            f"[render_tutorials] cannot restamp {name}: {why}. Render it "
            f"instead: python tools/render_tutorials.py --only {script.stem}"
        )

    if meta is None or not paths["script"].is_file():
        refuse("it has no rendered page with a script copy")
    if sha256_of(paths["script"]) != meta.get("sha256"):
        refuse("the page is not current for its own script copy")
    old_cells = parse_cells(paths["script"].read_text(encoding="utf-8"))
    new_cells = parse_cells(script.read_text(encoding="utf-8"))
    if [c.kind for c in old_cells] != [c.kind for c in new_cells]:
        refuse("cells were added, removed or changed kind")
    page = paths["page"].read_text(encoding="utf-8")
    first_markdown = next((i for i, c in enumerate(old_cells) if c.kind == "markdown"), None)
    for index, (old, new) in enumerate(zip(old_cells, new_cells)):
        if old.source == new.source:
            continue
        if old.kind == "code":
            before, after = _fence(old.source, "python"), _fence(new.source, "python")
        else:
            if local_image_links(old.source + new.source):
                refuse(f"the prose cell at line {new.line} shows a file")
            before, after = old.source, new.source
            if index == first_markdown:
                # The page splits the title cell around its header (the
                # run's line goes under the title): the title itself needs a
                # run, the prose under it can be replaced on its own.
                old_title, _, before = old.source.partition("\n")
                new_title, _, after = new.source.partition("\n")
                if old_title != new_title:
                    refuse(f"the prose cell at line {new.line} is the title")
                before, after = before.strip("\n"), after.strip("\n")
                if not before:
                    refuse(f"the prose cell at line {new.line} is the title")
        if page.count(before) != 1:
            refuse(f"the cell at line {new.line} is not found exactly once in the page")
        page = page.replace(before, after)
    meta["sha256"] = sha256_of(script)
    page = META_RE.sub(
        lambda m: f"<!-- kerasgan-tutorial: {json.dumps(meta, sort_keys=True)} -->",
        page,
        count=1,
    )
    paths["page"].write_text(page, encoding="utf-8")
    shutil.copyfile(script, paths["script"])
    paths["notebook"].write_text(build_notebook(new_cells), encoding="utf-8")
    return paths["page"]


def render_many(scripts, out_dir=DOCS_DIR, mode="full", timeout=None, echo=True,
                stale_only=False, log=print, jobs=1):
    """Renders several tutorials; returns the list of failures' messages.

    With `jobs > 1`, that many tutorials run at once (each is its own
    subprocess writing its own page), their output not echoed.
    """
    todo = []
    for script in scripts:
        if stale_only:
            reason = page_status(script, out_dir)
            if reason is None:
                meta = read_meta(page_paths(script, out_dir)["page"])
                if meta.get("mode") == mode:
                    log(f"[render_tutorials] {script.name}: up to date")
                    continue
        todo.append(script)

    def one(script):
        log(f"[render_tutorials] {script.name}: running in {mode} mode ...")
        start = time.monotonic()
        try:
            page = render(script, out_dir, mode=mode, timeout=timeout,
                          echo=echo and jobs == 1)
        except TutorialError as exc:
            log(f"[render_tutorials] {script.name}: FAILED\n{exc}")
            return str(exc)
        log(
            f"[render_tutorials] {script.name}: wrote {_relative(page)} "
            f"in {_duration(time.monotonic() - start)}"
        )
        return None

    if jobs == 1:
        results = [one(script) for script in todo]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(one, todo))
    return [failure for failure in results if failure is not None]


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:
        # Internal: `--worker SCRIPT RESULT_JSON FILES_DIR [--echo]`.
        _, script, result, files_dir, *rest = argv
        return run_worker(script, result, files_dir, echo="--echo" in rest)

    parser = argparse.ArgumentParser(
        description="Run the tutorials and render them as Markdown pages.",
    )
    parser.add_argument(
        "names", nargs="*", help="tutorials to render (default: all in tutorials/)"
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="NAME",
        help="render only this tutorial (repeatable); same as a positional NAME",
    )
    parser.add_argument(
        "--fast", action="store_true",
        help="fast mode: set KERASGAN_FAST=1 (seconds per tutorial, for CI)",
    )
    parser.add_argument(
        "--out", type=Path, default=DOCS_DIR,
        help="docs directory that receives tutorials/<name>.md (default: docs/)",
    )
    parser.add_argument(
        "--check", action="store_true",
        help="run nothing; exit 1 if a page is missing or older than its script",
    )
    parser.add_argument(
        "--stale", action="store_true",
        help="render only tutorials whose page is missing, outdated or in another mode",
    )
    parser.add_argument(
        "--restamp", action="store_true",
        help="run nothing: update the named pages for script edits that cannot "
        "change their output (comments, prose, calls inactive under the renderer)",
    )
    parser.add_argument(
        "--timeout", type=float, default=None,
        help=f"seconds per tutorial (default: none in full mode, {FAST_TIMEOUT} in fast mode)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N",
        help="run N tutorials at once (their output is then not echoed)",
    )
    parser.add_argument(
        "--quiet", action="store_true",
        help="do not echo the tutorials' output while they run",
    )
    parser.add_argument(
        "--tutorials-dir", type=Path, default=TUTORIALS_DIR, help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    scripts = select(discover(args.tutorials_dir), args.names + args.only)
    mode = "fast" if args.fast else "full"
    if not scripts:
        print(f"[render_tutorials] no tutorials in {_relative(args.tutorials_dir)}")
        return 0
    if args.restamp:
        if not (args.names + args.only):
            raise SystemExit("[render_tutorials] --restamp needs the tutorials' names")
        for script in scripts:
            page = restamp(script, args.out)
            print(f"[render_tutorials] {script.name}: restamped {_relative(page)}")
        return 0
    if args.check:
        problems = check(scripts, args.out, require_mode=mode)
        for script, reason in problems:
            print(f"[render_tutorials] {_relative(script)}: {reason}")
        if problems:
            flag = " --fast" if args.fast else ""
            print(
                "[render_tutorials] to fix: python tools/render_tutorials.py"
                f"{flag} --stale"
            )
            return 1
        print(f"[render_tutorials] {len(scripts)} page(s) up to date ({mode} mode)")
        return 0
    timeout = args.timeout
    if timeout is None and mode == "fast":
        timeout = FAST_TIMEOUT
    failures = render_many(
        scripts, args.out, mode=mode, timeout=timeout, echo=not args.quiet,
        stale_only=args.stale, jobs=max(1, args.jobs),
    )
    if failures:
        print(
            f"[render_tutorials] {len(failures)} of {len(scripts)} tutorial(s) failed",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
