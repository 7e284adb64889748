"""`VirtualBatchNormalization`: normalisation by a fixed reference batch."""

import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export


@kerasgan_export
class VirtualBatchNormalization(keras.layers.Layer):
    """Normalises each example with a fixed reference batch and itself.

    Batch normalisation makes a sample depend on the other samples of its
    batch; in a generator this shows as batches of similar-looking images.
    Virtual batch normalisation (VBN) normalises each example `x` with the
    statistics of a reference batch of `N` examples, chosen once, combined
    with `x` itself, so the output of an example does not depend on the
    rest of its batch. Per channel, with `mu_ref` and `ms_ref` the mean and
    mean square of the reference batch (over its examples and positions),
    `mu_x` and `ms_x` those of the example (over its positions; for
    `(batch, features)` inputs, the value and its square), and
    `w = 1 / (N + 1)`:

    `mu = w * mu_x + (1 - w) * mu_ref`,
    `var = w * ms_x + (1 - w) * ms_ref - mu**2`,
    `y = gamma * (x - mu) / sqrt(var + epsilon) + beta`,

    with `gamma` and `beta` learned, one per channel (channels-last).

    **Setting the reference batch.** Either way, the reference statistics
    and `N` are stored in non-trainable weights: they are saved with the
    model and restored by `keras.models.load_model`.

    - Automatically: if no reference is set, the first batch the layer
      sees in training (`training=True`, e.g. the first step of `fit()`)
      becomes the reference, and the statistics stay fixed from then on.
    - By hand: `layer.set_reference(batch)` with a batch of this layer's
      inputs; or, to choose the reference batch of a whole model whose VBN
      layers have no reference yet, call the model once on it in training
      mode, e.g. `generator(reference_noise, training=True)`, which sets
      every VBN layer in order (it also runs other layers in training mode,
      e.g. updates the moving statistics of batch normalisation).

    Using the layer in inference before a reference is set raises a
    `ValueError`; inside a compiled function (`predict()` on TensorFlow or
    JAX), where the check cannot raise, its outputs are NaN instead.

    Unlike the paper, which runs the reference batch through the network at
    every step, the reference statistics are computed once and then frozen:
    the layer costs one batch, not two. If the layer's inputs drift far
    during training, refresh them with `set_reference`.

    Args:
        epsilon: added to the variance for numerical stability. Defaults to
            `1e-5`, as in the authors' code.
        **kwargs: base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        The normalised inputs, of the same shape, in the layer's compute
        dtype (computed in float32).

    Example:

    ```python
    layer = kerasgan.layers.VirtualBatchNormalization()
    layer.set_reference(np.random.normal(size=(64, 16)))
    batch = np.random.normal(size=(8, 16))
    alone = layer(batch[:1])
    together = layer(batch)
    # together[0] equals alone[0]: the rest of the batch does not matter.
    ```

    Reference:
        - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498), Improved
          Techniques for Training GANs, section 3.4.
    """

    def __init__(self, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = _arguments.check_number("epsilon", epsilon, 0, min_open=True)
        self._has_reference = False

    def build(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(
                "Expected `VirtualBatchNormalization` inputs of shape "
                "`(batch, ..., channels)` with a known number of channels. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        self._input_rank, self._channels = len(input_shape), input_shape[-1]
        channels = (input_shape[-1],)
        self.gamma = self.add_weight(shape=channels, initializer="ones", name="gamma")
        self.beta = self.add_weight(shape=channels, initializer="zeros", name="beta")
        # The reference batch: its mean, mean square and size N (0: not set).
        for name, shape in (
            ("reference_mean", channels),
            ("reference_mean_square", channels),
            ("reference_size", ()),
        ):
            weight = self.add_weight(
                shape=shape,
                initializer="zeros",
                trainable=False,
                autocast=False,
                name=name,
            )
            setattr(self, name, weight)
        super().build(input_shape)

    def set_reference(self, batch):
        """Sets the reference batch from a batch of this layer's inputs.

        Call it outside a training step (eagerly). The statistics replace
        any reference set before.

        Args:
            batch: the reference examples, of shape `(N, ..., channels)`
                like the layer's inputs, with `N >= 1`.
        """
        batch = ops.convert_to_tensor(batch, dtype="float32")
        if not self.built:
            self.build(tuple(batch.shape))
        shape = tuple(batch.shape)
        if len(shape) != self._input_rank or shape[-1] != self._channels or not shape[0]:
            raise ValueError(
                "Expected a reference batch of at least one example shaped "
                f"like the layer's inputs: rank {self._input_rank}, "
                f"{self._channels} channels. Received: batch.shape={shape}"
            )
        mean, mean_square = self._batch_statistics(batch)
        self.reference_mean.assign(mean)
        self.reference_mean_square.assign(mean_square)
        self.reference_size.assign(float(batch.shape[0]))
        self._has_reference = True

    def _batch_statistics(self, x):
        axes = tuple(range(len(x.shape) - 1))
        return ops.mean(x, axis=axes), ops.mean(ops.square(x), axis=axes)

    def _check_reference(self, x):
        """Raises if no reference is set; returns whether that is known:
        not in a traced function (compiled, or shape inference), where the
        values are not known."""
        if self._has_reference:
            return True
        try:  # Weights set with `set_weights`, say; read eagerly. Adding
            # nothing from the inputs fails if the inputs are traced.
            size = self.reference_size.value + ops.sum(x[:0])
            size = float(ops.convert_to_numpy(size))
        except Exception:  # A traced function: the value is not known.
            return False
        if size > 0:
            self._has_reference = True
            return True
        raise ValueError(
            f"Expected layer {self.name!r} to have a reference batch before "
            "it is used in inference: `VirtualBatchNormalization` normalises "
            "with the statistics of a fixed reference batch. Call "
            "`layer.set_reference(batch)`, train the model (the first "
            "training batch becomes the reference), or call the model once "
            "on a reference batch with `training=True`. "
            "Received: no reference batch (reference_size=0)"
        )

    def call(self, inputs, training=None):
        x = ops.cast(inputs, "float32")
        ref_mean = self.reference_mean.value
        ref_mean_square = self.reference_mean_square.value
        size = self.reference_size.value
        known = True
        if training:
            # The first training batch becomes the reference, if none is set.
            is_set = size > 0
            mean, mean_square = self._batch_statistics(x)
            ref_mean = ops.where(is_set, ref_mean, mean)
            ref_mean_square = ops.where(is_set, ref_mean_square, mean_square)
            size = ops.where(is_set, size, ops.cast(ops.shape(x)[0], "float32"))
            self.reference_mean.assign(ref_mean)
            self.reference_mean_square.assign(ref_mean_square)
            self.reference_size.assign(size)
            self._has_reference = True
        else:
            known = self._check_reference(x)
        # The example's own statistics, per channel, over its positions.
        example_axes = tuple(range(1, len(x.shape) - 1))
        if example_axes:
            example_mean = ops.mean(x, axis=example_axes, keepdims=True)
            example_mean_square = ops.mean(ops.square(x), axis=example_axes, keepdims=True)
        else:
            example_mean, example_mean_square = x, ops.square(x)
        w = 1.0 / (size + 1.0)
        mean = w * example_mean + (1.0 - w) * ref_mean
        mean_square = w * example_mean_square + (1.0 - w) * ref_mean_square
        variance = ops.maximum(mean_square - ops.square(mean), 0.0)
        gamma = ops.cast(self.gamma, "float32")
        beta = ops.cast(self.beta, "float32")
        outputs = (x - mean) * ops.rsqrt(variance + self.epsilon) * gamma + beta
        if not known:  # No error possible here: NaN if no reference is set.
            outputs = ops.where(size > 0, outputs, float("nan"))
        return ops.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def load_own_variables(self, store):
        super().load_own_variables(store)
        self._has_reference = float(ops.convert_to_numpy(self.reference_size)) > 0

    def get_config(self):
        config = super().get_config()
        config.update({"epsilon": self.epsilon})
        return config
