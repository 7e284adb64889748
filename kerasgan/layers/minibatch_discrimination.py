"""`MinibatchDiscrimination`: Salimans et al.'s minibatch features."""

import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export


@kerasgan_export
class MinibatchDiscrimination(keras.layers.Layer):
    """Appends features that measure how close each sample is to the others.

    Lets the discriminator look at the batch as a whole, so that a
    generator that collapses to a few outputs is easy to spot. For input
    features `f(x_i)` of size `A`, a learned tensor `T` of shape
    `(A, num_kernels, kernel_dim)` maps each sample to a matrix
    `M_i = f(x_i) T` of shape `(num_kernels, kernel_dim)`; with `M_{i,b}`
    its row `b`,

    `c_b(x_i, x_j) = exp(-||M_{i,b} - M_{j,b}||_1)`,
    `o(x_i)_b = sum_j c_b(x_i, x_j)`,

    the sum running over the whole batch, `j = i` included (which adds the
    constant 1, as in the paper's formula; the authors' code leaves it
    out). The output is `[f(x_i), o(x_i)]`: the inputs with `num_kernels`
    features appended. Use it near the end of the discriminator, on
    flattened features, followed by the layer that gives the logits.

    The output of a sample depends on the rest of its batch (that is the
    point), so the discriminator should see real and generated samples in
    separate batches, as `kerasgan.GAN` does.

    Input shape:
        `(batch, features)`; flatten convolutional features first.

    Output shape:
        `(batch, features + num_kernels)`.

    Args:
        num_kernels: `B`, the number of minibatch features appended.
            Defaults to `100`.
        kernel_dim: `C`, the size of each row `M_{i,b}` compared between
            samples. Defaults to `5`.
        kernel_initializer: the initializer of `T`. Defaults to
            `"random_normal"` (mean 0, standard deviation 0.05, as in the
            authors' code).
        **kwargs: base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        The inputs with the `num_kernels` minibatch features appended.

    Example:

    ```python
    features = keras.random.normal((16, 32))
    layer = kerasgan.layers.MinibatchDiscrimination(num_kernels=8, kernel_dim=3)
    outputs = layer(features)  # shape (16, 32 + 8)
    ```

    Reference:
        - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498), Improved
          Techniques for Training GANs, section 3.2.
    """

    def __init__(
        self,
        num_kernels=100,
        kernel_dim=5,
        kernel_initializer="random_normal",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.num_kernels = _arguments.check_int("num_kernels", num_kernels)
        self.kernel_dim = _arguments.check_int("kernel_dim", kernel_dim)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                "Expected `MinibatchDiscrimination` inputs of shape "
                "`(batch, features)` with a known number of features. "
                "Flatten convolutional features first, e.g. with "
                "`keras.layers.Flatten()`. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.num_kernels, self.kernel_dim),
            initializer=self.kernel_initializer,
            name="kernel",
        )
        super().build(input_shape)

    def call(self, inputs):
        m = ops.tensordot(inputs, self.kernel, axes=1)  # (n, B, C)
        # L1 distances between every pair of samples, per kernel: (n, n, B).
        distances = ops.sum(ops.abs(m[:, None] - m[None, :]), axis=-1)
        features = ops.sum(ops.exp(-distances), axis=1)  # (n, B)
        return ops.concatenate([inputs, features], axis=-1)

    def compute_output_shape(self, input_shape):
        features = None if input_shape[-1] is None else input_shape[-1] + self.num_kernels
        return (input_shape[0], features)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_kernels": self.num_kernels,
                "kernel_dim": self.kernel_dim,
                "kernel_initializer": keras.initializers.serialize(
                    self.kernel_initializer
                ),
            }
        )
        return config
