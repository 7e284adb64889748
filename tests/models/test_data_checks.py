"""`fit()`'s checks of the data: silent mistakes get a clear message before
the first training step, and the checks read only the first samples."""

import tracemalloc
import warnings

import keras
import numpy as np
import pytest

from gan_testing import BACKEND, compiled_gan, tiny_data
from kerasgan.models import validation


class CountSteps(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.steps = 0

    def on_train_batch_begin(self, batch, logs=None):
        self.steps += 1


LABELS_MESSAGE = r"(?s)`GAN` is unconditional.*ConditionalGAN.*Received: labels"


def _fit_pairs(gan, how, counter):
    x, y = tiny_data(32), np.arange(32) % 4
    if how == "x_and_y":
        return gan.fit(x, y, batch_size=8, verbose=0, callbacks=[counter])
    if how == "tuple":
        return gan.fit((x, y), batch_size=8, verbose=0, callbacks=[counter])
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    return gan.fit(dataset, verbose=0, callbacks=[counter])


@pytest.mark.parametrize("how", ["x_and_y", "tuple", "tf_data_pairs"])
def test_labels_for_an_unconditional_gan_fail_before_training(how):
    gan, counter = compiled_gan(), CountSteps()
    with pytest.raises(ValueError, match=LABELS_MESSAGE):
        _fit_pairs(gan, how, counter)
    assert counter.steps == 0


def test_zero_one_data_for_a_tanh_generator_warns_before_training():
    gan, counter = compiled_gan(), CountSteps()
    x = np.random.default_rng(0).uniform(0, 1, (32, 3)).astype("float32")

    class Seen(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            counter.warned_before = bool(record)

    with pytest.warns(UserWarning, match=r"(?s)no negative value.*x \* 2 - 1.*min=0") as record:
        gan.fit(x, batch_size=8, epochs=1, verbose=0, callbacks=[counter, Seen()])
    assert counter.warned_before and counter.steps == 4
    assert record[0].filename == __file__  # points at the user's fit() call


def test_data_in_minus_one_one_does_not_warn():
    gan = compiled_gan()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        validation.check_sample_batch(gan, tiny_data(64), None, "array")
    assert not [w for w in record if "negative" in str(w.message)]


def _huge(row, rows=10**12):
    """A read-only array of `rows` copies of `row`: no memory, but a full
    scan or copy of it needs terabytes."""
    row = np.asarray(row, dtype="float32")
    return np.lib.stride_tricks.as_strided(
        row, shape=(rows, row.size), strides=(0, row.itemsize), writeable=False
    )


def test_fit_reads_only_the_first_batch_of_an_array():
    # A whole-array check (as before) raises MemoryError or runs for hours;
    # reading the first batch finds the out-of-range values at once.
    gan, counter = compiled_gan(), CountSteps()
    with pytest.raises(ValueError, match=r"Received: data with min=0, max=255"):
        gan.fit(_huge([0.0, 128.0, 255.0]), batch_size=64, verbose=0, callbacks=[counter])
    assert counter.steps == 0


def test_shape_errors_report_the_whole_data_shape():
    gan = compiled_gan()
    with pytest.raises(ValueError, match=r"Received: data of shape \(1000000000000, 5\)"):
        validation.check_sample_batch(gan, _huge([0.1] * 5), None, "array")


def test_check_of_a_large_array_allocates_little():
    gan = compiled_gan()
    x = np.random.default_rng(0).uniform(-1, 1, (200_000, 3)).astype("float32")
    tracemalloc.start()
    try:
        validation.check_sample_batch(gan, x, None, "array")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < x.nbytes / 20, peak  # 2.4 MB of data; a scan needs 3 MB more
