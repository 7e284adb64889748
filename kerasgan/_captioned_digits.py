"""Captioned digits: coloured MNIST digits with sentences that describe them.

`kerasgan.datasets.captioned_digits` makes the data; `read_digit_attributes`
measures the same attributes back from pixels, to check what a
text-to-image GAN drew.
"""

import numpy as np

from kerasgan import _arguments

DIGIT_WORDS = (
    "zero", "one", "two", "three", "four",
    "five", "six", "seven", "eight", "nine",
)
COLOURS = ("red", "green", "blue", "yellow", "cyan", "magenta")
PALETTE = np.array(
    [
        [1.0, 0.15, 0.15],
        [0.15, 1.0, 0.15],
        [0.25, 0.35, 1.0],
        [1.0, 1.0, 0.15],
        [0.15, 1.0, 1.0],
        [1.0, 0.15, 1.0],
    ],
    dtype="float32",
)
SIZES = ("small", "large")
POSITIONS = ("top left", "top right", "bottom left", "bottom right", "center")
STROKES = ("thin", "bold")
ATTRIBUTES = ("digit", "colour", "size", "position", "stroke")
# The side of the digit's square box, as a fraction of the canvas.
_BOX = (0.45, 0.7)
# Bold: a stroke thicker than this, in pixels of the 28x28 MNIST digit (the
# median over MNIST's test digits).
STROKE_THRESHOLD = 2.0

_TEMPLATES = (
    "a {size} {stroke} {colour} {word} in the {position}",
    "{stroke} {colour} {numeral} at the {position}, {size}",
    "in the {position} a {size} {colour} {word} written {stroke}",
    "the digit {numeral} in {colour}, {size} and {stroke}, {position}",
    "{size} {word} drawn in {stroke} {colour} strokes at the {position}",
)
_EXTRA_WORDS = ("[UNK]",)


def vocabulary():
    """The caption vocabulary in `keras.layers.TextVectorization`'s layout:
    `""` (padding, id 0), `"[UNK]"` (id 1), then every word, sorted."""
    words = set()
    for template in _TEMPLATES:
        words.update(_standardize(template.format(
            size="", stroke="", colour="", word="", numeral="", position=""
        )).split())
    words.update(DIGIT_WORDS)
    words.update(str(d) for d in range(10))
    words.update(COLOURS)
    words.update(SIZES)
    words.update(STROKES)
    for position in POSITIONS:
        words.update(position.split())
    return ["", "[UNK]"] + sorted(words)


def _standardize(text):
    """TextVectorization's default: lower case, punctuation stripped."""
    import re
    import string

    return re.sub(f"[{re.escape(string.punctuation)}]", "", text.lower())


def caption(digit, colour, size, position, stroke, template):
    """One sentence for one image's attributes (ints, as in the table)."""
    return _TEMPLATES[template].format(
        word=DIGIT_WORDS[digit],
        numeral=str(digit),
        colour=COLOURS[colour],
        size=SIZES[size],
        position=POSITIONS[position],
        stroke=STROKES[stroke],
    )


def stroke_thickness(ink):
    """Mean stroke width of binary digit masks `(n, h, w)`, in pixels.

    Twice the ink area over the length of the ink's outline (counted as
    ink/background transitions along rows and columns): a stroke of width
    `w` and length `L` has area `w * L` and outline about `2 * L`.
    """
    ink = np.asarray(ink, bool)
    padded = np.pad(ink, ((0, 0), (1, 1), (1, 1)))
    edges = (padded[:, 1:, :] != padded[:, :-1, :]).sum((1, 2)) + (
        padded[:, :, 1:] != padded[:, :, :-1]
    ).sum((1, 2))
    return 2.0 * ink.sum((1, 2)) / np.maximum(edges, 1)


def make(digits, labels, image_size, rng, captions_per_image):
    """Paints `digits` (n, 28, 28) in [0, 1]; returns images, captions and
    attributes."""
    from PIL import Image

    n = len(digits)
    size_ids = rng.integers(0, len(SIZES), n)
    colour_ids = rng.integers(0, len(COLOURS), n)
    position_ids = rng.integers(0, len(POSITIONS), n)
    templates = np.stack(
        [rng.permutation(len(_TEMPLATES))[:captions_per_image] for _ in range(n)]
    )
    # Drawn last and as floats, so every image size sees the same attributes
    # and captions for one seed.
    jitter = max(1, image_size // 32)
    shifts = np.round(rng.uniform(-1.0, 1.0, (n, 2)) * jitter).astype(int)
    strokes = (stroke_thickness(digits > 0.5) > STROKE_THRESHOLD).astype("int32")
    images = np.zeros((n, image_size, image_size, 3), "float32")
    for i in range(n):
        box = int(round(_BOX[size_ids[i]] * image_size))
        top, left = _box_corner(position_ids[i], box, image_size)
        top = int(np.clip(top + shifts[i, 0], 0, image_size - box))
        left = int(np.clip(left + shifts[i, 1], 0, image_size - box))
        pixels = Image.fromarray((digits[i] * 255).astype("uint8"))
        ink = np.asarray(pixels.resize((box, box), Image.BILINEAR), "float32") / 255
        images[i, top : top + box, left : left + box] = (
            ink[..., None] * PALETTE[colour_ids[i]]
        )
    images = images * 2.0 - 1.0
    attributes = {
        "digit": np.asarray(labels, "int32"),
        "colour": colour_ids.astype("int32"),
        "size": size_ids.astype("int32"),
        "position": position_ids.astype("int32"),
        "stroke": strokes,
    }
    captions = np.array(
        [
            [
                caption(*(int(attributes[a][i]) for a in ATTRIBUTES), int(t))
                for t in templates[i]
            ]
            for i in range(n)
        ],
        dtype=object,
    )
    return images, captions, attributes


def _box_corner(position, box, image_size):
    far = image_size - box
    return {
        0: (0, 0),
        1: (0, far),
        2: (far, 0),
        3: (far, far),
        4: (far // 2, far // 2),
    }[int(position)]


def _box_centres(image_size):
    """`(size, position, (row, col))` centres of the digit's box."""
    out = np.zeros((len(SIZES), len(POSITIONS), 2), "float32")
    for s, fraction in enumerate(_BOX):
        box = int(round(fraction * image_size))
        for p in range(len(POSITIONS)):
            top, left = _box_corner(p, box, image_size)
            out[s, p] = (top + box / 2 - 0.5, left + box / 2 - 0.5)
    return out


def _check_images(images):
    images = np.asarray(images, "float32")
    if images.ndim != 4 or images.shape[-1] != 3 or images.shape[1] != images.shape[2]:
        raise ValueError(
            "Expected square RGB images of shape (n, size, size, 3) in [-1, 1], "
            "as `kerasgan.datasets.captioned_digits` makes. Received: images of "
            f"shape {images.shape}"
        )
    return images


def _measure(images):
    """The ink's brightness, weights, centroid and extent, and the 28x28
    MNIST-style crop of each image (in [0, 1])."""
    n, image_size = images.shape[0], images.shape[1]
    rgb = np.clip((images + 1.0) / 2.0, 0.0, 1.0)
    brightness = rgb.max(axis=-1)
    ink = brightness > 0.35
    weight = brightness * ink
    total = np.maximum(weight.sum((1, 2)), 1e-6)
    rows = np.arange(image_size, dtype="float32")
    centre = np.stack(
        [
            (weight.sum(2) * rows).sum(1) / total,
            (weight.sum(1) * rows).sum(1) / total,
        ],
        axis=1,
    )
    extent = np.zeros(n, "float32")
    mnist = np.zeros((n, 28, 28), "float32")
    faint = brightness > 0.1
    for i in range(n):
        r = np.flatnonzero(ink[i].any(1))
        c = np.flatnonzero(ink[i].any(0))
        if not len(r):
            continue
        extent[i] = max(r[-1] - r[0] + 1, c[-1] - c[0] + 1)
        r = np.flatnonzero(faint[i].any(1) & (np.abs(rows - centre[i, 0]) < extent[i]))
        c = np.flatnonzero(faint[i].any(0) & (np.abs(rows - centre[i, 1]) < extent[i]))
        mnist[i] = _mnist_box(brightness[i, r[0] : r[-1] + 1, c[0] : c[-1] + 1])
    mnist = mnist / np.maximum(mnist.max((1, 2), keepdims=True), 1e-6)
    return rgb, weight, total, centre, extent, mnist


def _reader_input(mnist):
    """(n, 28, 28) crops in [0, 1] -> (n, 28, 28, 1) in [-1, 1]."""
    return mnist[..., None] * 2.0 - 1.0


def crops(images):
    """The 28x28x1 MNIST-style crops, in [-1, 1], that `read` classifies."""
    return _reader_input(_measure(_check_images(images))[-1])


def read(images, digit_classifier=None, batch_size=256):
    """Measures the five attributes of captioned-digit images from pixels."""
    images = _check_images(images)
    image_size = images.shape[1]
    rgb, weight, total, centre, extent, mnist = _measure(images)
    colour = (rgb * weight[..., None]).sum((1, 2)) / total[:, None]
    colour = colour / np.maximum(colour.max(axis=1, keepdims=True), 1e-6)
    palette = PALETTE / PALETTE.max(axis=1, keepdims=True)
    colour_ids = np.argmin(
        ((colour[:, None, :] - palette[None]) ** 2).sum(-1), axis=1
    )
    # Content fills about 20/28 of the box.
    boxes = np.array(_BOX) * image_size * 20.0 / 28.0
    size_ids = (extent > boxes.mean()).astype("int32")
    centres = _box_centres(image_size)[size_ids]  # (n, positions, 2)
    position_ids = np.argmin(((centres - centre[:, None]) ** 2).sum(-1), axis=1)
    strokes = (stroke_thickness(mnist > 0.5) > STROKE_THRESHOLD).astype("int32")
    out = {
        "colour": colour_ids.astype("int32"),
        "size": size_ids,
        "position": position_ids.astype("int32"),
        "stroke": strokes,
    }
    if digit_classifier is not None:
        probabilities = digit_classifier.predict(
            _reader_input(mnist), batch_size=batch_size, verbose=0
        )
        out["digit"] = np.argmax(np.asarray(probabilities), axis=1).astype("int32")
    return {a: out[a] for a in ATTRIBUTES if a in out}


def _mnist_box(crop):
    """A digit's crop scaled into a 20-pixel box and centred by its centre
    of mass on a 28x28 canvas, as MNIST's digits are."""
    from PIL import Image

    h, w = crop.shape
    scale = 20.0 / max(h, w)
    hh, ww = max(1, int(round(h * scale))), max(1, int(round(w * scale)))
    small = np.asarray(
        Image.fromarray((crop * 255).astype("uint8")).resize((ww, hh), Image.LANCZOS),
        "float32",
    ) / 255.0
    total = max(small.sum(), 1e-6)
    cy = (small.sum(1) * np.arange(hh)).sum() / total
    cx = (small.sum(0) * np.arange(ww)).sum() / total
    top = int(np.clip(round(13.5 - cy), 0, 28 - hh))
    left = int(np.clip(round(13.5 - cx), 0, 28 - ww))
    out = np.zeros((28, 28), "float32")
    out[top : top + hh, left : left + ww] = small
    return np.clip(out, 0.0, 1.0)


def build(digits, labels, num_samples, image_size, seed, captions_per_image):
    num_samples = _arguments.check_int("num_samples", num_samples, optional=True)
    image_size = _arguments.check_int("image_size", image_size, minimum=16)
    captions_per_image = _arguments.check_int(
        "captions_per_image", captions_per_image
    )
    if captions_per_image > len(_TEMPLATES):
        raise ValueError(
            f"There are {len(_TEMPLATES)} caption templates, so each image can "
            f"have at most {len(_TEMPLATES)} different captions. Expected "
            f"`captions_per_image` from 1 to {len(_TEMPLATES)}. Received: "
            f"captions_per_image={captions_per_image}"
        )
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(digits))
    if num_samples is not None:
        if num_samples > len(digits):
            raise ValueError(
                f"The MNIST files found hold {len(digits)} digits. Expected "
                f"`num_samples` of at most {len(digits)}. Received: "
                f"num_samples={num_samples}"
            )
        order = order[:num_samples]
    ink = (np.asarray(digits)[order, ..., 0] + 1.0) / 2.0
    return make(ink, np.asarray(labels)[order], image_size, rng, captions_per_image)
