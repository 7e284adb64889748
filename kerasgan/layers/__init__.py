"""Layers for GAN discriminators and generators, in `keras.ops`.

Each layer is a `keras.layers.Layer` registered for serialization under the
`kerasgan` package, so models that contain it save to `.keras` files and
load with `keras.models.load_model` and no `custom_objects`.
`SpectralNormalization` is Keras' own wrapper with the normalised kernel
passed as a value, so a discriminator can be called twice in a training
step; the discriminator builders of `kerasgan.architectures` apply it with
`spectral_norm=True`.
"""

from kerasgan.layers.minibatch_discrimination import MinibatchDiscrimination
from kerasgan.layers.minibatch_std_dev import MinibatchStdDev
from kerasgan.layers.reflection_padding_2d import ReflectionPadding2D
from kerasgan.layers.spectral_normalization import SpectralNormalization
from kerasgan.layers.tanh_residual import TanhResidual
from kerasgan.layers.virtual_batch_normalization import VirtualBatchNormalization

__all__ = [
    "MinibatchDiscrimination",
    "MinibatchStdDev",
    "ReflectionPadding2D",
    "SpectralNormalization",
    "TanhResidual",
    "VirtualBatchNormalization",
]
