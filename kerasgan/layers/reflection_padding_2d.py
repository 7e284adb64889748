"""`ReflectionPadding2D`: pads images by mirroring their borders."""

import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export


@kerasgan_export
class ReflectionPadding2D(keras.layers.Layer):
    """Pads the height and width of NHWC images by reflecting them.

    The border pixel is the mirror's axis and is not repeated: a row
    `[1, 2, 3]` padded by 1 becomes `[2, 1, 2, 3, 2]` (NumPy's
    `mode="reflect"`). CycleGAN's ResNet generator pads this way before
    each convolution, so that image borders show no dark frame
    (`kerasgan.architectures.resnet_translator` uses it).

    Args:
        padding: pixels added on each side, an int (all sides) or
            `(height_padding, width_padding)`. Each must be smaller than the
            image side it pads. Defaults to `1`.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Returns:
        Called on images `(batch, height, width, channels)`, the padded
        images `(batch, height + 2 * ph, width + 2 * pw, channels)`.

    Example:

    ```python
    layer = kerasgan.layers.ReflectionPadding2D(padding=3)
    layer(keras.ops.zeros((2, 32, 32, 3))).shape  # (2, 38, 38, 3)
    ```

    Reference:
        - [Zhu et al., 2017 (CycleGAN)](https://arxiv.org/abs/1703.10593)
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, (list, tuple)):
            if len(padding) != 2:
                raise ValueError(
                    "Expected `padding` to be an int or a pair "
                    f"(height_padding, width_padding). Received: padding={padding!r}"
                )
            padding = tuple(
                _arguments.check_int("padding", p, minimum=0) for p in padding
            )
        else:
            p = _arguments.check_int("padding", padding, minimum=0)
            padding = (p, p)
        self.padding = padding

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                "ReflectionPadding2D pads images. Expected inputs of shape "
                f"(batch, height, width, channels). Received: input_shape={input_shape}"
            )
        for side, pad, name in ((input_shape[1], self.padding[0], "height"), (input_shape[2], self.padding[1], "width")):
            if side is not None and pad >= side:
                raise ValueError(
                    f"A reflection cannot be wider than the image: expected a "
                    f"padding below the {name} ({side}). Received: "
                    f"padding={self.padding}, input_shape={input_shape}"
                )

    def call(self, inputs):
        ph, pw = self.padding
        return ops.pad(inputs, ((0, 0), (ph, ph), (pw, pw), (0, 0)), mode="reflect")

    def compute_output_shape(self, input_shape):
        ph, pw = self.padding
        h, w = input_shape[1], input_shape[2]
        return (
            input_shape[0],
            None if h is None else h + 2 * ph,
            None if w is None else w + 2 * pw,
            input_shape[3],
        )

    def get_config(self):
        config = super().get_config()
        config["padding"] = list(self.padding)
        return config
