"""Pictures of samples: image grids, and figures from scripts run without a display.

`make_grid` needs only NumPy; `save_figures_without_display` needs
matplotlib: `pip install "kerasgan[plots]"`.
"""

import math
import sys
from pathlib import Path

import keras
import numpy as np

from kerasgan import _arguments

__all__ = ["make_grid", "save_figures_without_display"]

# Backends that draw into files only: `plt.show()` shows nothing with them.
_FILE_BACKENDS = ("agg", "cairo", "pdf", "pgf", "ps", "svg", "template")


def make_grid(images, rows=None, padding=1, pad_value=0):
    """Tiles a batch of images into one `uint8` image.

    Args:
        images: an array `(n, height, width)`, `(n, height, width, 1)` or
            `(n, height, width, 3)` with values in `[-1, 1]` (a generator's
            tanh output). Values outside are clipped. Under the
            `"channels_first"` image data format, `(n, channels, height,
            width)` is accepted too.
        rows: the number of rows. Defaults to `None`: `floor(sqrt(n))`, so
            the grid is as square as possible; columns are
            `ceil(n / rows)`, and empty cells are filled with `pad_value`.
        padding: pixels between neighbouring images. Defaults to `1`.
        pad_value: the padding's grey level, 0 to 255. Defaults to `0`.

    Returns:
        A `uint8` array of shape `(rows * (height + padding) - padding,
        cols * (width + padding) - padding)` for grey images, with a
        trailing axis of 3 for RGB. Pixel value `v` maps to
        `round((v + 1) * 127.5)`.

    Example:

    ```python
    grid = kerasgan.plotting.make_grid(gan.generate(64, seed=0), rows=8)
    PIL.Image.fromarray(grid).save("samples.png")
    ```
    """
    images = np.asarray(images, dtype="float32")
    if (
        images.ndim == 4
        and keras.config.image_data_format() == "channels_first"
        and images.shape[1] in (1, 3)
    ):
        images = np.transpose(images, (0, 2, 3, 1))
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or len(images) == 0:
        raise ValueError(
            "Expected a non-empty batch of grey or RGB images, of shape "
            "(n, height, width), (n, height, width, 1) or (n, height, width, "
            f"3). Received: images of shape {images.shape}"
        )
    n, h, w, c = images.shape
    if rows is None:
        rows = max(1, math.isqrt(n))
    rows = _arguments.check_int("rows", rows)
    padding = _arguments.check_int("padding", padding, minimum=0)
    cols = math.ceil(n / rows)
    pixels = np.round((np.clip(np.nan_to_num(images), -1.0, 1.0) + 1.0) * 127.5)
    pixels = pixels.astype("uint8")
    grid = np.full(
        (rows * (h + padding) - padding, cols * (w + padding) - padding, c),
        pad_value,
        dtype="uint8",
    )
    for i in range(n):
        r, q = divmod(i, cols)
        y, x = r * (h + padding), q * (w + padding)
        grid[y : y + h, x : x + w] = pixels[i]
    return grid[..., 0] if c == 1 else grid


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
