"""Check the built site in a real browser: headless Chromium, driven by Selenium.

    python tools/check_site.py site/
    python tools/check_site.py site/ --screenshots _scratch/screenshots

Serves the built site from a local HTTP server on 127.0.0.1, loads every HTML
page in headless Chromium and fails (exit code 1) when a page:

- logs a console error (level SEVERE: JavaScript errors, failed requests),
- has an image that does not load or decode (`naturalWidth == 0`),
- requests anything from outside 127.0.0.1 (fonts, scripts, CDNs),
- links to a page of the site that does not exist, or to an anchor that is
  not on the target page,
- is a tutorial page that does not show all the figures and files its renderer saved,
- has a code or output block whose lines run past the right edge of the
  content column at 1280 px (tutorial code is formatted to 82 characters;
  printed logs wrap),
- is the home page, the tutorial gallery or a tutorial page without a result
  within its first screen: the top of its first picture (a tutorial's
  result) must be close enough to the page's top for at least 200 px of it
  to show in a 1280x800 window,
- shows a figure whose smallest text, at the size the page shows it, is
  below MIN_TEXT_PX. The tutorial renderer records each figure's smallest
  text in the page's metadata, tools/docs_figures.py in a
  `figure_text_px.json` next to its PNGs (copied into the site; null: no
  text). A figure without either record may be shrunk by at most
  MAX_SHRINK; a picture without text marked `{ .kg-pixels }` in the
  Markdown (a grid of samples) is not checked,
- is an API page with a signature wider than its code block (a line cut off
  or scrolled sideways: mkdocstrings formats long signatures over several
  lines with `separate_signature`, `line_length` and ruff from the docs
  extra), or with a `Returns:` section rendered as more than one item
  (kerasgan's docstrings describe one returned value per section, Keras
  style, in wrapped lines: a section that splits into one item per line
  means `returns_multiple_items: false` is gone from mkdocs.yml or a
  docstring's continuation lines became `name: description` items).

Then it opens every page again from disk (`file://`, as a reader who opens
`site/index.html` does) and fails when a page's images do not load there or
one of its links leads to a folder (a folder listing from disk) or to no
file. Search needs a server and is not checked from disk.

Uses Debian's `chromium` and `chromium-driver` packages (/usr/bin/chromium,
/usr/bin/chromedriver) and `pip install selenium`; Selenium is given the
driver's path, so it downloads nothing.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)
META_RE = re.compile(r"<!--\s*kerasgan-tutorial:\s*(\{.*?\})\s*-->")

# What the page reports about itself, collected in one script call.
PAGE_STATE_JS = """
const images = Array.from(document.images).map((img) => ({
  src: img.currentSrc || img.src,
  complete: img.complete,
  width: img.naturalWidth,
  shown: img.clientWidth,
  // Pictures without text, and the gallery's thumbnails (small on purpose:
  // each links to its page, where the figure is shown at full size).
  pixels: img.classList.contains("kg-pixels") || img.classList.contains("kg-thumb"),
}));
// Code and output blocks whose lines run past the right edge of the column
// (API signatures are checked separately, in API_STATE_JS).
const overflowing = Array.from(document.querySelectorAll(".md-content pre > code"))
  .filter((code) => !code.closest(".doc-signature"))
  .filter((code) => code.scrollWidth > code.clientWidth + 1)
  .map((code) => {
    const lines = (code.innerText || "").split("\\n");
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), "");
    return {overflow: code.scrollWidth - code.clientWidth, line: longest.slice(0, 60)};
  });
const links = Array.from(document.querySelectorAll("a[href]")).map((a) => a.href);
const ids = Array.from(document.querySelectorAll("[id]")).map((e) => e.id)
  .concat(Array.from(document.querySelectorAll("a[name]")).map((e) => e.name));
const resources = performance.getEntriesByType("resource").map((r) => r.name);
// Where the page's first picture starts (in CSS px from the top of the
// page) and how tall it is shown: on a tutorial page, its result, which
// tools/mkdocs_hooks.py puts under the title.
const first = document.querySelector(".md-content img");
const rect = first ? first.getBoundingClientRect() : null;
const firstImage = first ? {
  src: first.currentSrc || first.src,
  top: Math.round(rect.top + window.scrollY),
  height: Math.round(rect.height),
} : null;
return {images, links, ids, resources, overflowing, firstImage, title: document.title};
"""


# API pages (mkdocstrings): signature blocks wider than their box, and
# `Returns:` sections with more than one item. Each is reported with the id
# of the object it documents.
API_STATE_JS = """
const owner = (el) => {
  const object = el.closest(".doc-object");
  const heading = object && object.querySelector(":scope > .doc-heading");
  return (heading && heading.id) || "?";
};
const signatures = [];
for (const block of document.querySelectorAll(".doc-signature")) {
  for (const el of [block, ...block.querySelectorAll("pre, code")]) {
    if (el.scrollWidth > el.clientWidth + 1) {
      const lines = (block.innerText || "").split("\\n");
      signatures.push({
        object: owner(block),
        overflow: el.scrollWidth - el.clientWidth,
        longest: Math.max(...lines.map((l) => l.length)),
      });
      break;
    }
  }
}
const returns = [];
for (const title of document.querySelectorAll(".doc-section-title")) {
  if (!/^Returns/.test(title.textContent.trim())) continue;
  const list = title.closest("p") ? title.closest("p").nextElementSibling : null;
  const items = list ? list.querySelectorAll(".doc-section-item").length : 0;
  returns.push({object: owner(title), items});
}
return {signatures, returns};
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site_dir):
    """Starts an HTTP server for `site_dir` on 127.0.0.1; returns (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def page_urls(site_dir, base):
    """(URL path, file) of every HTML page of the site."""
    pages = []
    for path in sorted(Path(site_dir).rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel.endswith("index.html"):
            rel = rel[: -len("index.html")]
        pages.append((rel, path))
    return pages


def make_driver(chromium, chromedriver, user_data_dir):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise SystemExit(
            "check_site.py needs Selenium: pip install 'selenium>=4.11' "
            "(and apt-get install chromium chromium-driver)"
        ) from None
    for exe in (chromium, chromedriver):
        if not Path(exe).exists():
            raise SystemExit(
                f"{exe} not found. Install Debian's browser and driver: "
                "apt-get install -y chromium chromium-driver"
            )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


def _target_path(site_dir, url_path):
    """The file a site URL path resolves to, or None."""
    rel = unquote(url_path).lstrip("/")
    candidate = Path(site_dir) / rel
    if rel == "" or rel.endswith("/"):
        candidate = candidate / "index.html"
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def wait_for_page(driver, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = driver.execute_script(
            "return [document.readyState, Array.from(document.images).every((i) => i.complete)];"
        )
        if state[0] == "complete" and state[1]:
            return True
        time.sleep(0.05)
    return False


def full_page_screenshot(driver, path):
    height = driver.execute_script(
        "return Math.min(document.documentElement.scrollHeight, 12000);"
    )
    driver.set_window_size(1280, max(height, 600))
    # From the top: the check scrolled to the bottom, and a page taller than
    # 12,000 px would otherwise be shot from where that left it.
    driver.execute_script("window.scrollTo(0, 0);")
    time.sleep(0.6)  # the header's title fades between page and section titles
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)


def check_site(site_dir, chromium="/usr/bin/chromium", chromedriver="/usr/bin/chromedriver",
               screenshots=None, timeout=20.0, log=print):
    """Loads every page of the built site; returns a list of problems."""
    site_dir = Path(site_dir).resolve()
    if not (site_dir / "index.html").is_file():
        raise SystemExit(
            f"{site_dir} has no index.html: build the site first (mkdocs build)."
        )
    server, base = serve(site_dir)
    origin = base.rstrip("/")
    problems = []
    ids_by_file = {}
    links = []  # (page, url)
    user_data_dir = tempfile.mkdtemp(prefix="check-site-chromium-")
    driver = make_driver(chromium, chromedriver, user_data_dir)
    try:
        pages = page_urls(site_dir, base)
        for rel, path in pages:
            url = base + rel
            page_problems = []
            driver.get(url)
            if not wait_for_page(driver, timeout):
                page_problems.append(f"did not finish loading within {timeout} s")
            # Scroll through the page so that anything lazy loads too.
            driver.execute_script("window.scrollTo(0, document.body.scrollHeight);")
            wait_for_page(driver, timeout)
            state = driver.execute_script(PAGE_STATE_JS)
            for entry in driver.get_log("browser"):
                if entry.get("level") == "SEVERE":
                    page_problems.append(f"console error: {entry.get('message')}")
            for image in state["images"]:
                if not image["complete"] or image["width"] == 0:
                    page_problems.append(f"image does not load or decode: {image['src']}")
            for resource in state["resources"]:
                if not resource.startswith(origin) and not resource.startswith(("data:", "blob:")):
                    page_problems.append(f"loads a resource from outside the site: {resource}")
            match = META_RE.search(path.read_text(encoding="utf-8"))
            meta = json.loads(match.group(1)) if match else {}
            page_problems.extend(readability_problems(state, meta, site_dir))
            page_problems.extend(first_screen_problems(rel, state, bool(match)))
            if match:
                expected = {f"fig{i}.png" for i in range(1, meta.get("figures", 0) + 1)}
                expected |= set(meta.get("outputs", []))
                shown = {
                    image["src"].rsplit("/", 1)[-1]
                    for image in state["images"]
                    if "_files/" in image["src"] and image["complete"] and image["width"] > 0
                }
                missing = sorted(expected - shown)
                if missing:
                    page_problems.append(
                        f"tutorial page does not show {len(missing)} of its "
                        f"{len(expected)} figures and files: {', '.join(missing)}"
                    )
            page_problems.extend(api_problems(driver.execute_script(API_STATE_JS)))
            ids_by_file[path] = set(state["ids"])
            links.extend((rel or "/", href) for href in state["links"])
            if screenshots is not None:
                Path(screenshots).mkdir(parents=True, exist_ok=True)
                name = (rel.strip("/").replace("/", "_") or "index") + ".png"
                full_page_screenshot(driver, Path(screenshots) / name)
            status = "ok" if not page_problems else f"{len(page_problems)} problem(s)"
            log(f"[check_site] /{rel}: {status}")
            problems.extend(f"/{rel}: {p}" for p in page_problems)
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(user_data_dir, ignore_errors=True)

    problems.extend(check_from_disk(site_dir, pages, chromium, chromedriver, timeout, log))

    # Internal links: the target page exists and has the anchor.
    checked = set()
    for page, href in links:
        if not href.startswith(origin) or (page, href) in checked:
            continue
        checked.add((page, href))
        without_fragment, fragment = urldefrag(href)
        target = _target_path(site_dir, urlsplit(without_fragment).path)
        if target is None:
            problems.append(f"/{page.lstrip('/')}: broken link to {href[len(origin):]}")
            continue
        if fragment and target.suffix == ".html":
            ids = ids_by_file.get(target)
            if ids is not None and unquote(fragment) not in ids:
                problems.append(
                    f"/{page.lstrip('/')}: link to a missing anchor: {href[len(origin):]}"
                )
    log(f"[check_site] {len(pages)} page(s), {len(checked)} internal link(s) checked")
    return problems


# At 1x, text smaller than this many pixels is hard to read.
MIN_TEXT_PX = 9.5
# A figure without a record of its text size (an older tutorial page, an
# image not drawn by tools/docs_figures.py) may be shrunk this much before
# it counts as drawn too wide: matplotlib's 10 pt tick labels at 100 dpi
# stay above ~9.5 px.
MAX_SHRINK = 1.45
# Written by tools/docs_figures.py next to its PNGs: file name -> px or null.
TEXT_PX_FILE = "figure_text_px.json"


@functools.cache
def _folder_text_px(folder):
    path = folder / TEXT_PX_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _recorded_text_px(site_dir, src):
    """The `figure_text_px.json` entries of the image's folder in the site, or {}."""
    target = _target_path(site_dir, urlsplit(src).path) if site_dir else None
    return _folder_text_px(target.parent) if target else {}


# A reader at 1280x800 sees the top FIRST_SCREEN_PX pixels of a page before
# scrolling. The home page, the tutorial gallery and every tutorial page
# must show a result there: at least MIN_RESULT_SHOWN_PX of their first
# picture (all of it if it is smaller).
FIRST_SCREEN_PX = 800
MIN_RESULT_SHOWN_PX = 200
# URL paths (relative to the site root) of the pages that must open with a
# result, besides the tutorial pages.
RESULT_FIRST_PAGES = ("", "tutorials/")


def first_screen_problems(rel, state, is_tutorial):
    """A page that must open with a result but shows none on its first screen.

    `rel` is the page's URL path relative to the site root, `state` what
    PAGE_STATE_JS reports (measured in a 1280 px wide window: the layout
    does not depend on the window's height), `is_tutorial` whether the page
    is a rendered tutorial. On a tutorial page, the first picture must be
    one of its own figures or files (its result, from `gallery.toml`).
    """
    if not is_tutorial and rel not in RESULT_FIRST_PAGES:
        return []
    first = state.get("firstImage")
    if first is None:
        return ["shows no picture, so no result within its first screen"]
    if is_tutorial and "_files/" not in first["src"]:
        why = "tutorials/gallery.toml names the result it opens with"
        return [f"its first picture is not one of its own figures ({why}): {first['src']}"]
    shown = first["top"] + min(first["height"], MIN_RESULT_SHOWN_PX)
    if shown > FIRST_SCREEN_PX:
        name = first["src"].rsplit("/", 1)[-1]
        problem = (
            f"its first picture ({name}) starts {first['top']} px from the top of "
            f"the page, so less than {MIN_RESULT_SHOWN_PX} px of it is within "
            f"the first screen ({FIRST_SCREEN_PX} px at 1280x800): show the "
            "result higher up"
        )
        return [problem]
    return []


def readability_problems(state, meta, site_dir=None):
    """Code and logs cut off at the right edge; figure text too small to read.

    `state` is what PAGE_STATE_JS reports, `meta` a tutorial page's metadata
    (empty for other pages), `site_dir` the built site. A figure's smallest
    text, in pixels, is recorded in the tutorial's metadata or in a
    TEXT_PX_FILE in the image's folder; shown at `shown / width` of its
    size, that text must stay readable (null: no text, nothing to check).
    For a figure without a record, a PNG shown at less than 1/MAX_SHRINK of
    its width counts as drawn for a wider page than the content column.
    Images with the class `kg-pixels` (pictures without text) or `kg-thumb`
    (the tutorial gallery's thumbnails) are skipped.
    """
    problems = []
    for block in state.get("overflowing", []):
        problems.append(
            f"a code block is cut off by {block['overflow']} px at the right edge "
            f"(longest line starts {block['line']!r}): keep code to 82 characters "
            "(ruff format --line-length 82)"
        )
    tutorial_px = meta.get("figure_text_px", {})
    for image in state["images"]:
        if not image["complete"] or not image["width"] or not image["shown"]:
            continue
        if image.get("pixels"):  # a picture without text, marked { .kg-pixels }
            continue
        name = image["src"].rsplit("/", 1)[-1]
        scale = image["shown"] / image["width"]
        if "_files/" in image["src"] and name in tutorial_px:
            text_px = tutorial_px
        else:
            text_px = _recorded_text_px(site_dir, image["src"])
        if name in text_px:
            if text_px[name] is None:
                continue
            shown_px = text_px[name] * min(scale, 1.0)
            if shown_px < MIN_TEXT_PX:
                problems.append(
                    f"{name}: its smallest text is {shown_px:.1f} px tall as shown "
                    f"({image['width']} px wide, shown at {image['shown']} px): draw it "
                    "narrower (figsize width <= 7 in) or with larger fonts"
                )
        elif image["width"] > MAX_SHRINK * image["shown"] and not name.endswith(".gif"):
            problems.append(
                f"{name}: drawn {image['width']} px wide and shown at {image['shown']} px, "
                "so its text is shrunk below a readable size: draw it for the "
                "content column (figsize width <= 7 in)"
            )
    return problems


def api_problems(api):
    """Problems with an API page's signatures and `Returns:` sections."""
    problems = []
    for sig in api["signatures"]:
        problems.append(
            f"signature of {sig['object']} overflows its block by {sig['overflow']} px "
            f"(longest line {sig['longest']} characters): format signatures over "
            "several lines (mkdocs.yml: separate_signature, line_length; ruff installed)"
        )
    for ret in api["returns"]:
        if ret["items"] > 1:
            problems.append(
                f"Returns section of {ret['object']} renders as {ret['items']} items, "
                "one per docstring line (mkdocs.yml: returns_multiple_items: false)"
            )
    return problems


def check_from_disk(site_dir, pages, chromium, chromedriver, timeout, log=print):
    """Opens every page by its file:// URL; returns a list of problems."""
    from urllib.parse import urlsplit as split
    from urllib.request import url2pathname

    problems = []
    user_data_dir = tempfile.mkdtemp(prefix="check-site-chromium-")
    driver = make_driver(chromium, chromedriver, user_data_dir)
    try:
        for rel, path in pages:
            name = path.relative_to(site_dir).as_posix()
            if name == "404.html":
                continue  # a server's error page, with absolute links
            driver.get(path.resolve().as_uri())
            wait_for_page(driver, timeout)
            state = driver.execute_script(PAGE_STATE_JS)
            page_problems = []
            for image in state["images"]:
                if not image["complete"] or image["width"] == 0:
                    page_problems.append(f"an image does not load: {image['src']}")
            for href in sorted(set(state["links"])):
                parts = split(href)
                if parts.scheme != "file":
                    continue
                target = Path(url2pathname(parts.path))
                if target.is_dir():
                    page_problems.append(
                        f"a link opens a folder listing: {href} "
                        "(set use_directory_urls: false in mkdocs.yml)"
                    )
                elif not target.is_file():
                    page_problems.append(f"a link leads to no file: {href}")
            status = "ok" if not page_problems else f"{len(page_problems)} problem(s)"
            log(f"[check_site] from disk, {name}: {status}")
            problems.extend(f"{name} (from disk): {p}" for p in page_problems)
    finally:
        driver.quit()
        shutil.rmtree(user_data_dir, ignore_errors=True)
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"),
                        help="the built site (default: site/)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--screenshots", type=Path, default=None,
                        help="save a full-page PNG of every page into this folder")
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="seconds a page may take to load (default: 20)")
    args = parser.parse_args(argv)
    problems = check_site(
        args.site, args.chromium, args.chromedriver, args.screenshots, args.timeout
    )
    if problems:
        print(f"[check_site] {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("[check_site] all pages load cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
