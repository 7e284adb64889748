"""MkDocs hooks of the kerasgan site (registered in mkdocs.yml `hooks:`).

What they do:

- Check that every `tutorials/*.py` has a current rendered page in
  `docs/tutorials/` (same SHA-256 as the script, figures present, rendered
  in full mode). A missing or stale page is a warning, so
  `mkdocs build --strict` fails and says which command re-renders it. The
  tutorials are not run on a normal build: it would take too long.
- `KERASGAN_RENDER=full` renders the missing or stale tutorials in full mode
  into `docs/` before building; `KERASGAN_RENDER=fast` renders them in fast
  mode into `_scratch/docs-fast/` and builds the site with those pages,
  leaving the committed pages alone. `KERASGAN_TUTORIALS_FROM=DIR` builds
  with pages already rendered into DIR (by `render_tutorials.py --out DIR`).
- Add each tutorial page to the "Tutorials" section of the nav unless
  mkdocs.yml lists it already, and fill the gallery of tutorials in
  `docs/tutorials/index.md` (the `<!-- tutorials:list -->` marker): a card
  per tutorial with its result as thumbnail, its summary, level, course
  lesson, run time and hardware, from `tutorials/gallery.toml`.
- Open each tutorial page with its result (the figure `gallery.toml` names),
  right under the line that says how the page was rendered, so a reader sees
  what the tutorial achieves before its code.
- Check that every name in the `__all__` of kerasgan's public modules has an
  `::: name` entry in the API reference.
- Turn the LaTeX of `pymdownx.arithmatex` (generic mode) into MathML at
  build time, so formulas need no JavaScript and nothing from the internet.
"""

from __future__ import annotations

import html
import importlib.util
import logging
import os
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.plugins.kerasgan")

_HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "kerasgan_render_tutorials", _HERE / "render_tutorials.py"
)
rt = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = rt
_spec.loader.exec_module(rt)

REPO_ROOT = rt.REPO_ROOT
FAST_PAGES_DIR = REPO_ROOT / "_scratch" / "docs-fast"
LIST_MARKER = "<!-- tutorials:list -->"
API_MODULES = (
    "kerasgan",
    "kerasgan.losses",
    "kerasgan.penalties",
    "kerasgan.augment",
    "kerasgan.architectures",
    "kerasgan.datasets",
    "kerasgan.callbacks",
    "kerasgan.metrics",
    "kerasgan.plotting",
    "kerasgan.layers",
    "kerasgan.latent",
    "kerasgan.adversarial",
)

GALLERY_FILE = REPO_ROOT / "tutorials" / "gallery.toml"
LEVELS = ("beginner", "intermediate", "advanced")
HEADER_RE = re.compile(
    r"^\*Rendered in (?P<mode>full|fast) mode.*? with the (?P<backend>\S+) backend"
    r".*? on \d{4}-\d\d-\d\d, (?P<device>.*?), in (?P<time>[^.*]+)\.\*",
    re.M,
)

_state = {"pages_root": None, "scripts": [], "titles": {}, "gallery": {}}


# ----------------------------------------------------------------------
# Tutorials
# ----------------------------------------------------------------------
def _render_mode():
    value = os.environ.get("KERASGAN_RENDER", "").strip().lower()
    if value in ("", "0", "no", "off", "false"):
        return None
    if value not in rt.MODES:
        raise PluginError(
            "Expected KERASGAN_RENDER to be 'fast', 'full' or unset. "
            f"Received: KERASGAN_RENDER={value!r}"
        )
    return value


def _render(scripts, pages_root, mode):
    failures = rt.render_many(
        scripts,
        pages_root,
        mode=mode,
        timeout=rt.FAST_TIMEOUT if mode == "fast" else None,
        echo=False,
        stale_only=True,
        log=log.info,
    )
    if failures:
        raise PluginError(
            f"{len(failures)} tutorial(s) failed in {mode} mode:\n\n"
            + "\n\n".join(failures)
        )


def _titles(scripts, pages_root):
    titles = {}
    for script in scripts:
        page = rt.page_paths(script, pages_root)["page"]
        title = None
        if page.is_file():
            for line in page.read_text(encoding="utf-8").splitlines():
                m = re.match(r"^#\s+(.*\S)\s*$", line)
                if m:
                    title = m.group(1)
                    break
        if title is None:
            cells = rt.parse_cells(script.read_text(encoding="utf-8"))
            title = rt.page_title(cells, script.stem)
        titles[script.stem] = title
    return titles


def _load_gallery(scripts):
    """`tutorials/gallery.toml`: level, lesson and result of each tutorial."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    if not GALLERY_FILE.is_file():
        raise PluginError(f"{GALLERY_FILE} is missing: it lists the tutorials' gallery entries.")
    gallery = tomllib.loads(GALLERY_FILE.read_text(encoding="utf-8"))
    for script in scripts:
        entry = gallery.get(script.stem)
        if entry is None:
            log.warning(
                f"kerasgan: tutorials/gallery.toml has no entry for {script.name}. "
                f'Add [{script.stem}] with level, lesson and result (e.g. "fig1.png").'
            )
            continue
        missing = {"level", "lesson", "result"} - set(entry)
        if missing or entry.get("level") not in LEVELS:
            log.warning(
                f"kerasgan: tutorials/gallery.toml [{script.stem}] needs level (one of "
                f"{', '.join(LEVELS)}), lesson and result. Received: {entry}"
            )
    return gallery


def _page_files(page_path):
    """Figures and files a rendered page shows, from its metadata."""
    meta = rt.read_meta(page_path) or {}
    names = {f"fig{i}.png" for i in range(1, meta.get("figures", 0) + 1)}
    return names | set(meta.get("outputs", []))


def _check_results(scripts, pages_root, gallery):
    for script in scripts:
        page = rt.page_paths(script, pages_root)["page"]
        result = gallery.get(script.stem, {}).get("result")
        if result and page.is_file() and result not in _page_files(page):
            log.warning(
                f"kerasgan: tutorials/gallery.toml names {result} as the result of "
                f"{script.name}, but its page shows no such figure or file. Expected "
                f"one of: {', '.join(sorted(_page_files(page))) or 'none'}."
            )


def _result_markdown(stem, markdown, gallery):
    """The page's result figure, as a Markdown image, or None."""
    result = gallery.get(stem, {}).get("result")
    if not result:
        return None
    m = re.search(
        r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*/" + re.escape(result) + r")\)", markdown
    )
    if not m:
        return None
    # `caption` in gallery.toml replaces a figure's own alt text, e.g. for a
    # figure without a title.
    return gallery[stem].get("caption", m.group("alt")), m.group("src")


def _gallery_markdown(scripts, pages_root, gallery, titles):
    cards = []
    for script in scripts:
        page = rt.page_paths(script, pages_root)["page"]
        if not page.is_file():
            continue  # already reported as missing
        text = page.read_text(encoding="utf-8")
        cells = rt.parse_cells(script.read_text(encoding="utf-8"))
        summary = rt.page_summary(cells)
        entry = gallery.get(script.stem, {})
        link = f"{script.stem}.md"  # relative to tutorials/index.md
        lines = []
        result = _result_markdown(script.stem, text, gallery)
        if result:
            lines.append(f"[![{result[0]}]({result[1]}){{ .kg-thumb }}]({link})")
            lines.append("")
        lines.append(f"**[{titles[script.stem]}]({link})**")
        if summary:
            lines += ["", summary]
        facts = []
        if entry.get("level"):
            facts.append(entry["level"].capitalize())
        if entry.get("lesson"):
            facts.append(f"Lesson: {entry['lesson']}")
        header = HEADER_RE.search(text)
        if header:
            backend = header.group("backend")
            facts.append(f"{header.group('time')} on {header.group('device')} ({backend})")
        if facts:
            lines += ["", "*" + " · ".join(facts) + "*"]
        body = "\n".join(("    " + line) if line else "" for line in lines)
        cards.append("-   " + body.lstrip())
    if not cards:
        return "*No rendered tutorials yet.*"
    return '<div class="grid cards" markdown>\n\n' + "\n\n".join(cards) + "\n\n</div>"


def _nav_paths(items):
    for item in items or []:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from _nav_paths(value)


def _add_tutorials_to_nav(config, scripts, titles, pages_root):
    nav = config.get("nav")
    if not nav:
        return
    listed = set(_nav_paths(nav))
    for item in nav:
        if isinstance(item, dict) and isinstance(item.get("Tutorials"), list):
            section = item["Tutorials"]
            for script in scripts:
                uri = f"{rt.PAGES_SUBDIR}/{script.stem}.md"
                if not rt.page_paths(script, pages_root)["page"].is_file():
                    continue  # already reported as missing
                if uri not in listed:
                    section.append({titles[script.stem]: uri})
            return
    log.warning(
        "mkdocs.yml has no 'Tutorials' section in its nav: the tutorial pages "
        "are not listed. Add `- Tutorials: [tutorials/index.md]` to the nav."
    )


def _orphans(docs_dir, scripts):
    """Rendered pages in docs/tutorials/ whose script no longer exists."""
    stems = {s.stem for s in scripts}
    pages_dir = Path(docs_dir) / rt.PAGES_SUBDIR
    found = []
    for page in sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []:
        if page.stem not in stems and rt.read_meta(page) is not None:
            found.append(page)
    return found


def on_config(config):
    docs_dir = Path(config["docs_dir"])
    scripts = rt.discover()
    mode = _render_mode()
    source = os.environ.get("KERASGAN_TUTORIALS_FROM", "").strip()
    if mode == "full":
        if source:
            raise PluginError(
                "KERASGAN_RENDER=full writes the published pages into docs/; "
                "it cannot be combined with KERASGAN_TUTORIALS_FROM. "
                f"Received: KERASGAN_TUTORIALS_FROM={source!r}"
            )
        _render(scripts, docs_dir, "full")
    elif mode == "fast":
        source = source or str(FAST_PAGES_DIR)
        _render(scripts, Path(source), "fast")
    pages_root = Path(source).resolve() if source else docs_dir
    if source:
        log.info(f"kerasgan: tutorial pages taken from {pages_root}")
    # The published pages must be current and show full-mode results.
    for script, reason in rt.check(
        scripts, pages_root, require_mode=None if source else "full"
    ):
        where = f" --out {source}" if source else ""
        fast = " --fast" if source else ""
        log.warning(
            f"kerasgan: the page of {rt._relative(script)} is not up to date: "
            f"{reason}. Render it with `python tools/render_tutorials.py"
            f"{fast}{where} --only {script.stem}` and commit the result"
            + ("" if source else " (or build with KERASGAN_RENDER=full)")
            + "."
        )
    for page in _orphans(docs_dir, scripts):
        log.warning(
            f"kerasgan: {page.relative_to(docs_dir).as_posix()} was rendered "
            f"from a tutorial that no longer exists (tutorials/{page.stem}.py). "
            f"Delete the page, {page.stem}_files/, {page.stem}.py and "
            f"{page.stem}.ipynb from {page.parent.relative_to(docs_dir.parent).as_posix()}/."
        )
    titles = _titles(scripts, pages_root)
    _add_tutorials_to_nav(config, scripts, titles, pages_root)
    gallery = _load_gallery(scripts)
    if not source:  # fast-mode pages may draw fewer figures
        _check_results(scripts, pages_root, gallery)
    _state.update(
        pages_root=pages_root if source else None,
        scripts=scripts,
        titles=titles,
        docs_dir=docs_dir,
        gallery=gallery,
    )
    _check_api_reference(docs_dir)
    return config


def on_files(files, config):
    """Swaps in the tutorial pages of KERASGAN_TUTORIALS_FROM, if set."""
    pages_root = _state.get("pages_root")
    if pages_root is None:
        return files
    stems = {s.stem for s in _state["scripts"]}
    prefix = rt.PAGES_SUBDIR + "/"

    def belongs(uri):
        if not uri.startswith(prefix):
            return False
        rest = uri[len(prefix):]
        head = rest.split("/", 1)[0]
        stem = re.sub(r"(_files|\.md|\.py|\.ipynb)$", "", head)
        return stem in stems

    for file in list(files):
        if belongs(file.src_uri):
            files.remove(file)
    pages_dir = pages_root / rt.PAGES_SUBDIR
    for path in sorted(pages_dir.rglob("*")) if pages_dir.is_dir() else []:
        if not path.is_file():
            continue
        uri = path.relative_to(pages_root).as_posix()
        if belongs(uri):
            files.append(
                File(
                    uri,
                    src_dir=str(pages_root),
                    dest_dir=config["site_dir"],
                    use_directory_urls=config["use_directory_urls"],
                )
            )
    return files


def on_page_markdown(markdown, page, config, files):
    stem = Path(page.file.src_uri).stem
    if page.file.src_uri == f"{rt.PAGES_SUBDIR}/{stem}.md" and stem in _state["titles"]:
        return _open_with_result(markdown, stem)
    if LIST_MARKER not in markdown:
        return markdown
    pages_root = _state["pages_root"] or _state["docs_dir"]
    listing = _gallery_markdown(
        _state["scripts"], pages_root, _state["gallery"], _state["titles"]
    )
    return markdown.replace(LIST_MARKER, listing)


def _open_with_result(markdown, stem):
    """Puts the tutorial's result right under the line about its rendering."""
    result = _result_markdown(stem, markdown, _state["gallery"])
    header = HEADER_RE.search(markdown)
    if not result or not header:
        return markdown
    alt, src = result
    # "Samples after..." reads "samples after..." mid-sentence; "MNIST" stays.
    lowered = alt[:1].lower() + alt[1:] if alt[1:2].islower() else alt
    figure = (
        f"\n\n![{alt}]({src})\n\n"
        f"*The result of this tutorial: {lowered}. "
        "The code below makes it, step by step.*"
    )
    end = markdown.find("\n", header.end())
    end = len(markdown) if end < 0 else end
    return markdown[:end] + figure + markdown[end:]


# ----------------------------------------------------------------------
# API reference completeness
# ----------------------------------------------------------------------
def _check_api_reference(docs_dir):
    try:
        import griffe
    except ImportError:  # mkdocstrings-python brings griffe
        return
    api_dir = Path(docs_dir) / "api"
    documented = set()
    for page in api_dir.glob("*.md") if api_dir.is_dir() else []:
        for m in re.finditer(r"^:::\s*([\w.]+)", page.read_text(encoding="utf-8"), re.M):
            documented.add(m.group(1))
    try:
        package = griffe.load(
            "kerasgan", search_paths=[str(REPO_ROOT)], resolve_aliases=False
        )
    except Exception as exc:  # noqa: BLE001 - the build reports it anyway
        log.info(f"kerasgan: API completeness check skipped ({exc})")
        return
    for module_path in API_MODULES:
        try:
            module = package if module_path == "kerasgan" else package[module_path[len("kerasgan."):]]
        except Exception:  # noqa: BLE001 - module not written yet
            log.warning(
                f"kerasgan: the API reference documents {module_path}, "
                "which does not exist."
            )
            continue
        exports = getattr(module, "exports", None)
        if not exports:
            continue
        for name in exports:
            name = name if isinstance(name, str) else getattr(name, "name", str(name))
            if name.startswith("_"):
                continue
            member = module.members.get(name)
            if member is None:
                package_dir = REPO_ROOT.joinpath(*module_path.split("."))
                if (package_dir / name).is_dir() or (package_dir / f"{name}.py").is_file():
                    continue  # a lazily imported submodule, with its own page
            elif getattr(member, "is_module", False):
                inner = member.members.get(name)
                if inner is None or getattr(inner, "is_module", False):
                    continue  # a submodule, with its own page
                # A function that shadows its own module (`from .f import f`):
                # griffe sees the module, so the entry names `module.f`.
                if f"{module_path}.{name}.{name}" in documented:
                    continue
            elif getattr(member, "is_alias", False):
                try:
                    if member.final_target.is_module:
                        continue
                except Exception:  # noqa: BLE001 - unresolvable: treat as a name
                    pass
            full = f"{module_path}.{name}"
            if full not in documented:
                log.warning(
                    f"kerasgan: {full} is public (in {module_path}.__all__) but "
                    f"the API reference has no `::: {full}` entry. Add one to "
                    "the right page of docs/api/."
                )


# ----------------------------------------------------------------------
# Math: LaTeX to MathML at build time
# ----------------------------------------------------------------------
_MATH_RE = re.compile(
    r'<(span|div) class="arithmatex">\s*(\\\(|\\\[)(.*?)(\\\)|\\\])\s*</\1>',
    re.S,
)


def _to_mathml(match):
    from latex2mathml.converter import convert

    tag, latex = match.group(1), html.unescape(match.group(3)).strip()
    display = "block" if tag == "div" else "inline"
    try:
        mathml = convert(latex, display=display)
    except Exception as exc:  # noqa: BLE001 - reported as a build warning
        log.warning(f"kerasgan: cannot convert the formula {latex!r} to MathML: {exc}")
        return match.group(0)
    if tag == "div":
        return f'<div class="kg-math">{mathml}</div>'
    return mathml


def on_page_content(html_text, page, config, files):
    if 'class="arithmatex"' not in html_text:
        return html_text
    try:
        import latex2mathml  # noqa: F401
    except ImportError:
        log.warning(
            "kerasgan: formulas need the latex2mathml package: "
            "pip install 'latex2mathml>=3.77'"
        )
        return html_text
    return _MATH_RE.sub(_to_mathml, html_text)
