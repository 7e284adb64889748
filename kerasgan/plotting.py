"""Figures from scripts run without a display.

Needs matplotlib: `pip install "kerasgan[plots]"`.
"""

import sys
from pathlib import Path

__all__ = ["save_figures_without_display"]

# Backends that draw into files only: `plt.show()` shows nothing with them.
_FILE_BACKENDS = ("agg", "cairo", "pdf", "pgf", "ps", "svg", "template")


def save_figures_without_display(folder=None):
    """Makes `plt.show()` save the figures when there is no display.

    A script run on a machine without a display (a server, a container, CI)
    gets matplotlib's non-interactive Agg backend, with which `plt.show()`
    shows nothing and the figures are lost. After this call, `plt.show()`
    there saves every open figure as a PNG file into `folder`, prints the
    file's path and closes the figure. With a display, in a notebook, or
    when something else already replaced `plt.show` (the renderer of the
    docs' tutorial pages does), this does nothing. The tutorials call it
    first thing, so that a script user gets every picture the page shows.

    Args:
        folder: where to save the figures. Defaults to `None`: a folder
            named after the running script, next to it
            (`tutorials/01_first_gan.py` saves into
            `tutorials/01_first_gan_figures/`), or `figures/` in the working
            directory when there is no script.

    Returns:
        The folder as a `pathlib.Path` if `plt.show()` now saves figures,
        otherwise `None`.

    Example:

    ```python
    import matplotlib.pyplot as plt
    import kerasgan.plotting

    kerasgan.plotting.save_figures_without_display()
    plt.plot([0, 1], [1, 0])
    plt.show()  # without a display: "Saved figure 1 to .../fig1.png"
    ```
    """
    try:
        import matplotlib
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "`kerasgan.plotting` needs matplotlib. Install it with "
            "`pip install \"kerasgan[plots]\"` (or `pip install matplotlib`)."
        ) from None
    backend = str(matplotlib.get_backend()).lower()
    if backend not in _FILE_BACKENDS:
        return None
    if getattr(plt.show, "__module__", None) == __name__:
        return plt.show.folder  # called before
    if getattr(plt.show, "__module__", None) != "matplotlib.pyplot":
        return None  # replaced by someone else, e.g. the docs renderer
    if folder is None:
        script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
        if script is not None and script.suffix == ".py" and script.is_file():
            folder = script.resolve().parent / f"{script.stem}_figures"
        else:
            folder = Path("figures")
    folder = Path(folder)
    original = plt.show
    count = [0]

    def show(*args, **kwargs):
        folder.mkdir(parents=True, exist_ok=True)
        for number in plt.get_fignums():
            count[0] += 1
            path = folder / f"fig{count[0]}.png"
            plt.figure(number).savefig(path, bbox_inches="tight")
            print(f"Saved figure {count[0]} to {path}")
        plt.close("all")

    show.__doc__ = original.__doc__
    show.__wrapped__ = original
    show.folder = folder
    plt.show = show
    return folder
