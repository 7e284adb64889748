"""Adversarial examples and a GAN-based defence against them.

`fgsm` and `pgd` perturb images, within an L-infinity ball of radius
`epsilon`, in the direction that increases a classifier's loss; `purify`
(Defense-GAN) replaces each image by the nearest image a generator can make,
which strips most of such a perturbation before the classifier sees it. All
three take and return NumPy images, work on batches, and run on every Keras
backend; the model always runs in inference mode and is never changed.
"""

import numpy as np
import keras
from keras import ops

from kerasgan import _arguments
from kerasgan import latent

__all__ = ["fgsm", "pgd", "purify"]

_RANGE_TOLERANCE = 1e-3


def _check_clip(clip):
    if clip is None:
        return None
    ok = (
        isinstance(clip, (tuple, list))
        and len(clip) == 2
        and all(
            isinstance(c, (int, float, np.integer, np.floating))
            and not isinstance(c, bool)
            and np.isfinite(c)
            for c in clip
        )
        and clip[0] < clip[1]
    )
    if not ok:
        raise ValueError(
            "Expected `clip` to be `(low, high)` with low < high, the range "
            "of the model's inputs (e.g. `(-1, 1)` or `(0, 1)`), or `None`. "
            f"Received: clip={clip!r}"
        )
    return float(clip[0]), float(clip[1])


def _check_model(model):
    if not isinstance(model, keras.Model):
        raise ValueError(
            "Expected `model` to be a Keras model (a classifier taking the "
            f"images). Received: model={model!r}"
        )
    if not model.built:
        raise ValueError(
            "Expected a built model (call it once, or build it with an "
            "`Input`). Received: an unbuilt model"
        )


def _last_activation(model):
    layers = getattr(model, "layers", None)
    activation = getattr(layers[-1], "activation", None) if layers else None
    return getattr(activation, "__name__", None)


def _loss_function(model, loss):
    """A function `(labels, outputs) -> per-sample (or summed) loss`."""
    if loss is not None:
        if isinstance(loss, str):
            return keras.losses.get(loss)
        if callable(loss):
            return loss
        raise ValueError(
            "Expected `loss` to be a Keras loss (object or name), a function "
            f"`(labels, outputs) -> loss`, or None. Received: loss={loss!r}"
        )
    from_logits = _last_activation(model) not in ("softmax", "sigmoid")
    if model.outputs and model.outputs[0].shape[-1] == 1:
        return lambda y, out: keras.losses.binary_crossentropy(
            ops.reshape(ops.cast(y, out.dtype), ops.shape(out)),
            out,
            from_logits=from_logits,
        )
    if from_logits:
        return lambda y, out: keras.losses.sparse_categorical_crossentropy(
            y, out, from_logits=True
        )
    return _softmax_cross_entropy


def _softmax_cross_entropy(y, probabilities):
    """`-log p_y` from softmax outputs, with a gradient that never vanishes.

    Keras's cross-entropy on probabilities clips them to `[1e-7, 1 - 1e-7]`,
    so for a confident prediction (`p_y` rounds to 1 in float32) the gradient
    is exactly zero and the attack leaves the image unchanged (only the
    TensorFlow backend recovers the logits behind a softmax). Writing
    `p_y = 1 - s`, with `s` the sum of the other classes' probabilities,
    gives the same loss with the gradient of cross-entropy on the logits,
    `p - onehot(y)`, computed from the small probabilities, which float32
    holds precisely. Where `p_y` itself is small (a wrong prediction), it is
    the precise one, and the loss is `-log p_y`. Only probabilities that
    underflow to 0 (logit gaps above ~100) still give no gradient.
    """
    num_classes = ops.shape(probabilities)[-1]
    y = ops.reshape(ops.cast(y, "int32"), ops.shape(probabilities)[:-1])
    true_class = ops.one_hot(y, num_classes, dtype=probabilities.dtype)
    p_y = ops.sum(probabilities * true_class, axis=-1)
    s = ops.sum(probabilities * (1.0 - true_class), axis=-1)
    return ops.where(
        p_y < 0.5,
        -ops.log(ops.maximum(p_y, 1e-30)),
        -ops.log(ops.maximum(1.0 - s, 1e-30)),
    )


def _check_images(images, clip):
    images = latent._check_images(images, None, "the attack's input")
    if not np.all(np.isfinite(images)):
        raise ValueError("Expected finite images. Received: NaN or inf values")
    if clip is not None:
        lo, hi = float(images.min()), float(images.max())
        if lo < clip[0] - _RANGE_TOLERANCE or hi > clip[1] + _RANGE_TOLERANCE:
            raise ValueError(
                "Expected images inside the model's input range "
                f"`clip={clip}`. Pass the range the model was trained on "
                "(e.g. `clip=(0, 1)`), or `clip=None` not to clip. "
                f"Received: images from {lo:g} to {hi:g}"
            )
    return images


def _check_labels(labels, n):
    if hasattr(labels, "shape") and not isinstance(labels, np.ndarray):
        labels = ops.convert_to_numpy(labels)
    labels = np.asarray(labels)
    if labels.ndim == 0 or labels.shape[0] != n:
        raise ValueError(
            f"Expected one label per image ({n}). Received: labels of shape "
            f"{labels.shape}"
        )
    return labels


def _attack(model, images, labels, epsilon, step_size, steps, random_start,
            seed, loss, clip, batch_size):
    _check_model(model)
    clip = _check_clip(clip)
    images = _check_images(images, clip)
    labels = _check_labels(labels, images.shape[0])
    epsilon = _arguments.check_number("epsilon", epsilon, minimum=0.0)
    step_size = _arguments.check_number("step_size", step_size, minimum=0.0, min_open=True)
    steps = _arguments.check_int("steps", steps, 1)
    batch_size = _arguments.check_int("batch_size", batch_size, 1)
    loss_fn = _loss_function(model, loss)

    from kerasgan import _input_gradients

    gradient = _input_gradients.input_gradient(
        model, lambda call, x, y: loss_fn(y, call(x))
    )
    rng = np.random.default_rng(seed)
    n = images.shape[0]
    size = min(batch_size, n)
    out = []
    for i in range(0, n, size):
        x0 = latent._pad(images[i : i + size], size)
        y = ops.convert_to_tensor(latent._pad(labels[i : i + size], size))
        low, high = x0 - epsilon, x0 + epsilon
        if clip is not None:
            low, high = np.maximum(low, clip[0]), np.minimum(high, clip[1])
        x = x0
        if random_start:
            x = np.clip(
                x0 + rng.uniform(-epsilon, epsilon, x0.shape).astype("float32"),
                low,
                high,
            )
        x, low, high = (ops.convert_to_tensor(a) for a in (x, low, high))
        for _ in range(steps):
            _, grad = gradient(x, y)
            x = ops.minimum(ops.maximum(x + step_size * ops.sign(grad), low), high)
        out.append(ops.convert_to_numpy(x)[: min(size, n - i)])
    return np.concatenate(out).astype("float32")


def fgsm(model, images, labels, epsilon, loss=None, clip=(-1.0, 1.0), batch_size=256):
    """The fast gradient sign method: one step up the loss's gradient sign.

    Returns `clip(x + epsilon * sign(grad_x loss(model(x), y)))`: every pixel
    moves by `epsilon` in the direction that increases the classifier's
    loss on the true label, the worst case to first order within an
    L-infinity ball of radius `epsilon` (Goodfellow et al., 2015). A change
    too small to see can change the predicted class ("panda" to "gibbon").

    Args:
        model: a built Keras classifier; it runs in inference mode and is
            not changed.
        images: a float array of images in the model's input range.
        labels: the true labels, as the loss expects them (class ids for
            the default loss).
        epsilon: the size of the perturbation, in the units of the model's
            input (images in [-1, 1] span 2, so `epsilon=0.1` there is
            `0.05` on a [0, 1] scale). A number >= 0.
        loss: a Keras loss (object or name) or a function
            `(labels, outputs) -> loss`. Defaults to `None`: sparse
            categorical cross-entropy (binary for one output), from logits
            unless the model's last layer applies softmax or sigmoid.
        clip: `(low, high)`, the model's input range, which the images must
            lie in and the result is clipped to; or `None`. Defaults to
            `(-1, 1)`, the range of kerasgan's data and generators.
        batch_size: images per gradient computation. Defaults to `256`.

    Returns:
        The adversarial images, a float32 NumPy array of the images' shape.

    Example:

    ```python
    classifier = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    adversarial = kerasgan.adversarial.fgsm(classifier, images, labels, epsilon=0.1)
    assert np.abs(adversarial - images).max() <= 0.1 + 1e-6
    ```

    Reference:
        - [Goodfellow et al., 2015, Explaining and Harnessing Adversarial
          Examples](https://arxiv.org/abs/1412.6572)
    """
    epsilon = _arguments.check_number("epsilon", epsilon, minimum=0.0)
    return _attack(model, images, labels, epsilon, max(epsilon, 1e-12), 1,
                   False, None, loss, clip, batch_size)


def pgd(model, images, labels, epsilon, step_size=None, steps=10,
        random_start=True, seed=None, loss=None, clip=(-1.0, 1.0),
        batch_size=256):
    """Projected gradient descent: iterated FGSM, kept inside the epsilon ball.

    From a random point of the L-infinity ball of radius `epsilon` around
    each image (with `random_start`), it takes `steps` steps of
    `step_size * sign(gradient)` up the classifier's loss, projecting back
    onto the ball and the input range after each (Madry et al., 2018). The
    strongest first-order attack in common use: a model robust to PGD is
    robust to FGSM, not the other way round.

    Args:
        model: a built Keras classifier; it runs in inference mode and is
            not changed.
        images: a float array of images in the model's input range.
        labels: the true labels, as the loss expects them.
        epsilon: the radius of the ball, in the units of the model's input.
            A number >= 0.
        step_size: the size of each step. Defaults to `None`:
            `2.5 * epsilon / steps`, Madry et al.'s rule, enough to cross
            the ball from a random start.
        steps: the number of steps, an integer >= 1. Defaults to `10`.
        random_start: start from a uniformly random point of the ball.
            Defaults to `True`.
        seed: an int seeding the random start. Defaults to `None`.
        loss: as in `fgsm`. Defaults to `None`.
        clip: as in `fgsm`. Defaults to `(-1, 1)`.
        batch_size: images attacked together. Defaults to `256`.

    Returns:
        The adversarial images, a float32 NumPy array of the images' shape,
        each within `epsilon` of its original and inside `clip`.

    Example:

    ```python
    classifier = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    adversarial = kerasgan.adversarial.pgd(
        classifier, images, labels, epsilon=0.1, steps=5, seed=0
    )
    ```

    Reference:
        - [Madry et al., 2018, Towards Deep Learning Models Resistant to
          Adversarial Attacks](https://arxiv.org/abs/1706.06083)
    """
    epsilon = _arguments.check_number("epsilon", epsilon, minimum=0.0)
    steps = _arguments.check_int("steps", steps, 1)
    if step_size is None:
        step_size = max(2.5 * epsilon / steps, 1e-12)
    return _attack(model, images, labels, epsilon, step_size, steps,
                   bool(random_start), seed, loss, clip, batch_size)


def purify(gan, images, steps=200, restarts=10, learning_rate=0.05, loss="l2",
           labels=None, seed=None, batch_size=64):
    """Defense-GAN: replaces each image by the closest one the generator makes.

    Each image is projected into the generator's range (`latent.project`)
    from `restarts` random starts, and the generated image of the best
    latent (lowest reconstruction loss) is returned. A generator trained on
    clean data cannot draw an adversarial perturbation, so a classifier run
    on the purified images recovers much of its clean accuracy, without
    retraining it and whatever the attack (Samangouei et al., 2018). The
    price is `restarts * steps` generator forward and backward passes per
    image, and some clean accuracy where the generator draws a digit
    imperfectly.

    Args:
        gan: a trained kerasgan model with a `generator`, trained on clean
            data of the classifier's kind.
        images: a float array of images, in the generator's range.
        steps: optimizer steps per restart. Defaults to `200` (the
            paper's L).
        restarts: random starts per image, the best kept. Defaults to `10`
            (the paper's R).
        learning_rate: the projection's Adam learning rate. Defaults to
            `0.05`.
        loss: the reconstruction loss, as in `latent.project`. Defaults to
            `"l2"`.
        labels: for a conditional model, the classes to draw. Defaults to
            `None`.
        seed: an int seeding the random starts. Defaults to `None`.
        batch_size: latents optimised together. Defaults to `64`.

    Returns:
        The reconstructions, a float32 NumPy array of the images' shape.

    Example:

    ```python
    signs = np.sign(np.random.randn(4, 28, 28, 1))
    noisy = np.clip(gan.generate(4, seed=1) + 0.1 * signs, -1, 1)
    clean = kerasgan.adversarial.purify(gan, noisy, steps=20, restarts=2, seed=0)
    ```

    Reference:
        - [Samangouei et al., 2018, Defense-GAN](https://arxiv.org/abs/1805.06605)
    """
    restarts = _arguments.check_int("restarts", restarts, 1)
    latent._check_gan(gan)
    images = latent._check_images(
        images, latent._generator_output_shape(gan.generator), "purify()"
    )
    n = images.shape[0]
    if labels is not None and np.ndim(labels) > 0:
        labels = np.tile(np.asarray(labels).reshape(-1), restarts)
    z, losses, _ = latent._project(
        gan, np.tile(images, (restarts,) + (1,) * (images.ndim - 1)), steps,
        learning_rate, loss, None, "random", None, labels, None, seed,
        batch_size, False,
    )
    best = np.argmin(losses.reshape(restarts, n), axis=0)
    z = z.reshape(restarts, n, -1)[best, np.arange(n)]
    if labels is not None:
        labels = latent._check_labels(
            labels[:n] if np.ndim(labels) else labels,
            getattr(gan, "num_classes", None), n,
        )
    return latent._generate(gan, z, labels, batch_size)
