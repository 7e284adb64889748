"""`MinibatchStdDev`: ProGAN's minibatch standard deviation feature."""

import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export


@kerasgan_export
class MinibatchStdDev(keras.layers.Layer):
    """Appends the minibatch standard deviation as one feature map.

    A discriminator that sees one sample at a time cannot tell that the
    generator makes the same sample over and over (mode collapse). This
    layer gives it a statistic of the batch: the batch is split into groups
    of `group_size` samples; within each group, the standard deviation of
    every feature at every position is taken over the group's samples and
    averaged to one number, which is appended to each sample of the group
    as a constant extra channel (channels-last). Usually placed before the
    discriminator's last convolution, as in ProGAN and StyleGAN.

    Sample `i` of a batch of `n` belongs to group `i mod (n / g)`, with
    `g = min(group_size, n)`: the groups are strided, as in the reference
    implementations, so the batch need not be shuffled into groups.

    A batch smaller than `group_size` is one group (`g = n`), as in
    ProGAN and StyleGAN2. A larger batch must be a multiple of `group_size`,
    as there too; any other batch size raises a `ValueError`, including the
    last, smaller batch of an epoch: pick a batch size that divides the
    number of training samples, a `group_size` that divides the batch sizes,
    or drop the last batch (`tf.data`'s `drop_remainder=True`). Where the
    batch size is unknown until run time (a TensorFlow graph traced for
    varying batch sizes), TensorFlow's reshape raises instead.

    Input shape:
        `(batch, ..., channels)`: images `(batch, height, width, channels)`,
        or any rank from `(batch, features)` up.

    Output shape:
        `(batch, ..., channels + 1)`.

    Args:
        group_size: the number of samples over which one standard deviation
            is taken. Defaults to `4` (ProGAN). Smaller groups give a
            noisier statistic that varies more between samples.
        epsilon: added to the variance before the square root, which keeps
            the gradient finite when all samples of a group are equal.
            Defaults to `1e-8`.
        **kwargs: base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        The inputs with the group standard deviation appended as the last
        channel, in the layer's compute dtype (computed in float32).

    Example:

    ```python
    images = keras.random.normal((8, 4, 4, 16))
    features = kerasgan.layers.MinibatchStdDev(group_size=4)(images)
    # features.shape == (8, 4, 4, 17); features[..., -1] is constant per
    # group and position: the mean standard deviation of the group.
    ```

    Reference:
        - [Karras et al., 2018](https://arxiv.org/abs/1710.10196), Progressive
          Growing of GANs, section 3.
    """

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = _arguments.check_int("group_size", group_size)
        self.epsilon = _arguments.check_number("epsilon", epsilon, 0, min_open=True)
        self.supports_masking = False

    def build(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(
                "Expected `MinibatchStdDev` inputs of shape "
                "`(batch, ..., channels)` with a known number of channels, "
                "such as images of shape `(batch, height, width, channels)`. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        super().build(input_shape)

    def call(self, inputs):
        x = ops.cast(inputs, "float32")
        feature_shape = tuple(x.shape[1:])
        batch = ops.shape(x)[0]
        if isinstance(batch, int):
            group = min(self.group_size, batch)
            if batch % group:
                raise ValueError(
                    f"Expected a batch size of at most group_size="
                    f"{self.group_size} or a multiple of it: `MinibatchStdDev` "
                    "splits the batch into groups of that size. Use a batch "
                    "size (including the last batch of an epoch) that is a "
                    "multiple of `group_size`, or a `group_size` that divides "
                    f"the batch size. Received: inputs.shape={tuple(x.shape)}"
                )
        else:  # Unknown until run time (a TensorFlow graph).
            group = ops.minimum(self.group_size, batch)
        # (group, num_groups, ...): sample i is in group i mod num_groups.
        grouped = ops.reshape(x, (group, -1) + feature_shape)
        centered = grouped - ops.mean(grouped, axis=0, keepdims=True)
        std = ops.sqrt(ops.mean(ops.square(centered), axis=0) + self.epsilon)
        # One number per group: the mean over features and positions.
        spatial = tuple(range(1, len(feature_shape) + 1))
        std = ops.mean(std, axis=spatial, keepdims=True)  # (num_groups, 1...)
        # Broadcast to every member and position, then back to the batch.
        stat = ops.ones_like(grouped[..., :1]) * std[None]
        stat = ops.reshape(stat, (-1,) + feature_shape[:-1] + (1,))
        outputs = ops.concatenate([x, stat], axis=-1)
        return ops.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        channels = None if input_shape[-1] is None else input_shape[-1] + 1
        return tuple(input_shape[:-1]) + (channels,)

    def get_config(self):
        config = super().get_config()
        config.update({"group_size": self.group_size, "epsilon": self.epsilon})
        return config
