"""`ScheduledValue`: the in-graph schedules behind label smoothing and instance noise."""

import numpy as np
import pytest
import keras
from keras.src import testing

from kerasgan.models import ScheduledValue


class ScheduledValueLayerTest(testing.TestCase):
    def test_layer_basics(self):
        # Config round trip, symbolic and eager shapes, weights, serialization
        # and mixed-precision dtypes, as Keras checks its own layers.
        self.run_layer_test(
            ScheduledValue,
            init_kwargs={"initial": 0.5},
            input_shape=(3,),
            expected_output_shape=(3,),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=6,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
            run_training_check=False,
            run_mixed_precision_check=True,
        )


def reference(kind, initial, final, decay_steps, decay_rate, begin, step):
    """The schedules written out in NumPy, one step at a time."""
    s = max(step - begin, 0) / decay_steps
    if kind == "constant":
        return initial
    if kind == "linear":
        return initial + (final - initial) * min(s, 1.0)
    value = initial * decay_rate**s
    return max(value, final) if final <= initial else min(value, final)


@pytest.mark.parametrize(
    "kind, initial, final, decay_steps, decay_rate, begin",
    [
        ("constant", 0.9, None, 1, 0.5, 0),
        ("linear", 0.1, 0.0, 100, 0.5, 0),
        ("linear", 0.7, 1.0, 40, 0.5, 25),  # rising, starting late
        ("exponential", 0.2, 0.01, 50, 0.5, 0),  # decays to a floor
        ("exponential", 0.1, 0.3, 10, 2.0, 5),  # grows to a ceiling
    ],
)
def test_schedules_match_numpy(kind, initial, final, decay_steps, decay_rate, begin):
    value = ScheduledValue(0.0)
    value.set_schedule(kind, initial, final, decay_steps, decay_rate, begin)
    final = initial if final is None else final
    steps = np.array([0, 1, 5, 24, 25, 26, 50, 64, 99, 100, 101, 1000])
    got = keras.ops.convert_to_numpy(value(steps))
    want = [reference(kind, initial, final, decay_steps, decay_rate, begin, s) for s in steps]
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert got.dtype == np.float32


def test_assign_reset_and_errors():
    value = ScheduledValue(1.0)
    value.assign(0.9)
    assert float(value.value_at(10)) == pytest.approx(0.9)
    value.reset()
    assert float(value.value_at(10)) == 1.0
    with pytest.raises(ValueError, match="Received: kind='cosine'"):
        value.set_schedule("cosine", 1.0)
    with pytest.raises(ValueError, match="Received: decay_steps=0"):
        value.set_schedule("linear", 1.0, 0.0, decay_steps=0)


def test_stays_float32_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_float16")
    value = ScheduledValue(0.1)
    assert value.dtype_policy.name == "float32"
    value.set_schedule("linear", 0.1, 0.0, decay_steps=3000)
    # 0.1 * (1 - 1/3000) is not representable in float16; float32 keeps it.
    got = float(value.value_at(1))
    assert got == pytest.approx(0.1 * (1 - 1 / 3000), rel=1e-6)


@pytest.mark.parametrize(
    "callback, kind, initial, final, decay_rate",
    [
        ("label_smoothing", "linear", 0.8, 1.0, 1.0),
        ("instance_noise", "linear", 0.3, 0.05, 0.5),
        ("instance_noise", "exponential", 0.3, 0.05, 0.7),
    ],
)
def test_callbacks_evaluate_the_same_formula(callback, kind, initial, final, decay_rate):
    # The callbacks log the value the compiled step uses, from one formula.
    from kerasgan import callbacks

    if callback == "label_smoothing":
        cb = callbacks.LabelSmoothing(initial, kind, final_label=final, decay_steps=40)
    else:
        cb = callbacks.InstanceNoise(
            initial, kind, decay_steps=40, min_stddev=final, decay_rate=decay_rate
        )
    layer = ScheduledValue(0.0)
    layer.set_schedule(kind, initial, final, 40, decay_rate)
    steps = [0, 1, 13, 39, 40, 41, 200]
    want = [reference(kind, initial, final, 40, decay_rate, 0, s) for s in steps]
    np.testing.assert_allclose([cb.value_at(s) for s in steps], want, rtol=1e-12)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(layer(np.array(steps))), want, rtol=1e-6
    )
