"""Generator and discriminator builders: plain functional Keras models.

The builders return ordinary `keras.Model`s made of built-in layers, so they
save to `.keras` files and load without `custom_objects`. Generators take
noise of shape `(batch, latent_dim)`; discriminators return one logit per
sample (no sigmoid). Given `num_classes=`, both become the conditional models
that `kerasgan.ConditionalGAN` expects: `[noise, labels]` and
`[samples, labels]`, with integer class ids of shape `(batch,)` or
`(batch, 1)`. Discriminators take `spectral_norm=` to wrap their
convolutions and dense layers in `kerasgan.layers.SpectralNormalization`.
The image-to-image builders (`unet_generator`, `patch_discriminator`,
`resnet_translator`) map images to images and images to patch logits, for
`kerasgan.Pix2Pix` and `kerasgan.CycleGAN`.
`semi_supervised_discriminator`, `acgan_discriminator` and
`infogan_discriminator` build the discriminators with class and code heads
of `SemiSupervisedGAN`, `ACGAN` and `InfoGAN`.
"""

from kerasgan.architectures.dcgan import dcgan_discriminator, dcgan_generator
from kerasgan.architectures.heads import (
    acgan_discriminator,
    infogan_discriminator,
    semi_supervised_discriminator,
)
from kerasgan.architectures.mlp import mlp_discriminator, mlp_generator
from kerasgan.architectures.resnet import resnet_discriminator, resnet_generator
from kerasgan.architectures.text_to_image import (
    image_encoder,
    stack_gan_generator,
    text_encoder,
    text_to_image_discriminator,
    text_to_image_generator,
)
from kerasgan.architectures.translation import (
    patch_discriminator,
    resnet_translator,
    unet_generator,
)

__all__ = [
    "acgan_discriminator",
    "infogan_discriminator",
    "semi_supervised_discriminator",
    "dcgan_discriminator",
    "dcgan_generator",
    "mlp_discriminator",
    "mlp_generator",
    "resnet_discriminator",
    "resnet_generator",
    "unet_generator",
    "patch_discriminator",
    "resnet_translator",
    "text_encoder",
    "image_encoder",
    "text_to_image_generator",
    "text_to_image_discriminator",
    "stack_gan_generator",
]
