"""`TanhResidual`: refines an image by a residual added before tanh."""

import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export


@kerasgan_export
class TanhResidual(keras.layers.Layer):
    """Adds a residual to images in [-1, 1], inside tanh: `tanh(atanh(x) + r)`.

    For generators that refine an image they are given, as a StackGAN Stage
    II refines the upsampled Stage-I image
    (`kerasgan.architectures.stack_gan_generator(image_skip=True)`): the
    network predicts only the correction `r`, the output stays in (-1, 1)
    like a tanh layer's, and with `r = 0` (a zero-initialised last
    convolution) the output is the given image, so training starts from it
    instead of from noise. The image is clipped to `[-1 + epsilon,
    1 - epsilon]` first, where `atanh` is finite.

    Args:
        epsilon: how far inside (-1, 1) the image is clipped, a float in
            (0, 0.5). Defaults to `1e-3`.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Returns:
        Called on `[images, residuals]` of one shape, `tanh(atanh(clip(images))
        + residuals)`, that shape.

    Example:

    ```python
    layer = kerasgan.layers.TanhResidual()
    images = keras.ops.zeros((2, 8, 8, 3))
    layer([images, keras.ops.ones((2, 8, 8, 3))])  # tanh(1) = 0.7616 everywhere
    ```

    Reference:
        - [Kim et al., 2016 (VDSR)](https://arxiv.org/abs/1511.04587):
          learning only the residual over the upsampled input image.
    """

    def __init__(self, epsilon=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = _arguments.check_number(
            "epsilon", epsilon, 0, 0.5, min_open=True, max_open=True
        )

    def build(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) != 2
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                "TanhResidual takes two tensors. Expected inputs "
                f"`[images, residuals]`. Received: input_shape={input_shape}"
            )
        a, b = (tuple(s[1:]) for s in input_shape)
        if a != b:
            raise ValueError(
                "Expected images and residuals of one shape. Received: "
                f"images shape={tuple(input_shape[0])}, residuals "
                f"shape={tuple(input_shape[1])}"
            )

    def call(self, inputs):
        images, residuals = inputs
        x = ops.clip(ops.cast(images, residuals.dtype), -1.0 + self.epsilon, 1.0 - self.epsilon)
        return ops.tanh(ops.arctanh(x) + residuals)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[1])

    def get_config(self):
        config = super().get_config()
        config["epsilon"] = self.epsilon
        return config
