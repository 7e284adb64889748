"""GAN models: the tasks that train a generator and a discriminator."""

from kerasgan.models.acgan import ACGAN
from kerasgan.models.conditional_gan import ConditionalGAN
from kerasgan.models.cycle_gan import CycleGAN
from kerasgan.models.gan import GAN
from kerasgan.models.gan_optimizer import GANOptimizer
from kerasgan.models.pix2pix import Pix2Pix
from kerasgan.models.infogan import InfoGAN
from kerasgan.models.scheduled_value import ScheduledValue
from kerasgan.models.semi_supervised_gan import SemiSupervisedGAN
from kerasgan.models.stack_gan import StackGAN
from kerasgan.models.text_image_matcher import TextImageMatcher
from kerasgan.models.text_to_image_gan import TextToImageGAN
from kerasgan.models.wgan import WGAN
from kerasgan.models.wgan_gp import WGANGP

__all__ = [
    "GAN",
    "ConditionalGAN",
    "WGAN",
    "WGANGP",
    "SemiSupervisedGAN",
    "ACGAN",
    "InfoGAN",
    "Pix2Pix",
    "CycleGAN",
    "TextToImageGAN",
    "StackGAN",
    "TextImageMatcher",
    "GANOptimizer",
    "ScheduledValue",
]
