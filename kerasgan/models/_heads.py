"""The classifier maths shared by the models whose discriminator has class or
code heads (`SemiSupervisedGAN`, `ACGAN`, `InfoGAN`), in `keras.ops`."""

import numpy as np
from keras import ops


def class_ids(labels):
    """Integer class ids of shape `(batch,)` from `(batch,)` or `(batch, 1)`."""
    return ops.reshape(ops.cast(labels, "int32"), (-1,))


def cross_entropy(logits, labels):
    """Per-sample softmax cross-entropy of `logits` against class ids.

    A label outside `[0, num_classes)` (`-1`, unlabeled) gives a finite
    value to be masked out by the caller.
    """
    logits = ops.cast(logits, "float32")
    num_classes = ops.shape(logits)[-1]
    ids = ops.clip(class_ids(labels), 0, num_classes - 1)
    return ops.sparse_categorical_crossentropy(ids, logits, from_logits=True)


def correct(logits, labels):
    """1.0 where the largest logit is the label's, else 0.0 (per sample)."""
    predicted = ops.cast(ops.argmax(logits, axis=-1), "int32")
    return ops.cast(ops.equal(predicted, class_ids(labels)), "float32")


def predict(gan, images, batch_size):
    """The discriminator's outputs on `images` in inference mode, as NumPy
    arrays (a list for several outputs), batch by batch."""
    images = np.asarray(images)
    if images.ndim < 2 or len(images) == 0:
        raise ValueError(
            "Expected a non-empty batch of images of shape (n, ...). "
            f"Received: an array of shape {images.shape}"
        )
    parts = []
    for i in range(0, len(images), batch_size):
        out = gan.discriminator(images[i : i + batch_size], training=False)
        out = out if isinstance(out, (list, tuple)) else [out]
        parts.append([np.asarray(ops.convert_to_numpy(o), "float32") for o in out])
    outputs = [np.concatenate(group) for group in zip(*parts)]
    return outputs


def softmax(logits):
    """A NumPy softmax over the last axis."""
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
