"""`SpectralNormalization`: Keras' wrapper, safe in a GAN training step."""

import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export


@kerasgan_export
class SpectralNormalization(keras.layers.SpectralNormalization):
    """Keras' `SpectralNormalization`, usable twice per step, on every backend.

    Divides the kernel of the wrapped layer (`Dense`, `Conv2D`, ... or the
    embeddings of `Embedding`) by its largest singular value `sigma`,
    estimated by power iteration, which bounds the layer's Lipschitz
    constant (Miyato et al., 2018). It is `keras.layers.SpectralNormalization`
    (same arguments, weights and power iteration) with one change: the
    normalised kernel `W / sigma` is passed to the wrapped layer as a value
    instead of being written into its kernel variable. Keras' version
    writes it, which breaks a GAN's training step: on PyTorch a
    discriminator called on real and then on generated samples in one step
    fails with "one of the variables needed for gradient computation has
    been modified by an inplace operation", and on every backend the
    gradient skips `sigma`. Here the kernel variable holds the unnormalised
    `W`, the gradient flows through `W / sigma` as in the paper and in
    PyTorch's `spectral_norm`, and only the power-iteration vector `u` is
    updated, in training (`training=True`). In inference, `sigma` is
    computed from the stored `u` without updating it.

    The discriminator builders of `kerasgan.architectures` use it with
    `spectral_norm=True`.

    Args:
        layer: the layer to wrap, with a `kernel` or `embeddings` weight.
        power_iterations: the number of power iterations per training call.
            Defaults to `1`.
        **kwargs: base wrapper keyword arguments, such as `name`.

    Returns:
        The wrapped layer's outputs, computed with the kernel `W / sigma`.

    Example:

    ```python
    dense = kerasgan.layers.SpectralNormalization(keras.layers.Dense(4))
    x = keras.random.normal((8, 6))
    for _ in range(20):  # power iteration converges over training calls
        y = dense(x, training=True)
    w = ops.convert_to_numpy(dense.layer.kernel) / ops.convert_to_numpy(
        dense.sigma()
    )
    # np.linalg.svd(w, compute_uv=False)[0] is close to 1.0
    ```

    Reference:
        - [Miyato et al., 2018](https://arxiv.org/abs/1802.05957), Spectral
          Normalization for Generative Adversarial Networks.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        if not isinstance(layer, keras.layers.Layer):
            raise ValueError(
                "Expected `layer` to be a Keras layer with a kernel, such as "
                f"`keras.layers.Dense(64)`. Received: layer={layer!r}"
            )
        power_iterations = _arguments.check_int("power_iterations", power_iterations)
        super().__init__(layer, power_iterations=power_iterations, **kwargs)

    def sigma(self, training=False):
        """The estimate of the kernel's largest singular value.

        Args:
            training: whether to run the power iterations (and return the
                new `u` too), as in a training call.

        Returns:
            `sigma`, a tensor of shape `(1, 1)`; in training, the tuple
            `(sigma, new_u)`.
        """
        w = ops.reshape(self.kernel, (-1, self.kernel_shape[-1]))
        u = ops.cast(self.vector_u, w.dtype)
        v = ops.normalize(ops.matmul(u, ops.transpose(w)), axis=-1)
        for i in range(self.power_iterations if training else 0):
            if i:
                v = ops.normalize(ops.matmul(u, ops.transpose(w)), axis=-1)
            u = ops.normalize(ops.matmul(v, w), axis=-1)
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        sigma = ops.matmul(ops.matmul(v, w), ops.transpose(u))
        return (sigma, u) if training else sigma

    def call(self, inputs, training=False):
        if training:
            sigma, u = self.sigma(training=True)
            self.vector_u.assign(ops.cast(u, self.vector_u.dtype))
        else:
            sigma = self.sigma()
        # A zero kernel (sigma = 0) stays zero.
        kernel = ops.cast(self.kernel / ops.maximum(sigma, 1e-12), self.kernel.dtype)
        # Run the wrapped layer with `W / sigma` in place of its kernel,
        # every other variable at its current value.
        mapping = [(v, v) for v in self.layer.variables if v is not self.kernel]
        with keras.StatelessScope(state_mapping=mapping + [(self.kernel, kernel)]):
            outputs = self.layer(inputs)
        return ops.cast(outputs, self.compute_dtype)
