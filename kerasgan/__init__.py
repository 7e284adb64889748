"""kerasgan: generative adversarial networks for Keras 3, trained by `fit()`."""

__version__ = "0.1.0"

from kerasgan import _startup

if _startup.launched_as_main():  # `python -m kerasgan`: no TensorFlow log noise
    with _startup.quiet_native_stderr():
        import keras  # noqa: F401

from kerasgan import backend  # noqa: F401  (selects the backend plumbing)
from kerasgan import augment
from kerasgan import callbacks
from kerasgan import latent
from kerasgan import losses
from kerasgan import models
from kerasgan import penalties
from kerasgan.models import GAN
from kerasgan.models import WGAN
from kerasgan.models import WGANGP
from kerasgan.models import ConditionalGAN
from kerasgan.models import Pix2Pix
from kerasgan.models import CycleGAN
from kerasgan.models import SemiSupervisedGAN
from kerasgan.models import ACGAN
from kerasgan.models import InfoGAN
from kerasgan.models import TextToImageGAN
from kerasgan.models import StackGAN

__all__ = [
    "GAN",
    "ConditionalGAN",
    "WGAN",
    "WGANGP",
    "Pix2Pix",
    "CycleGAN",
    "SemiSupervisedGAN",
    "ACGAN",
    "InfoGAN",
    "TextToImageGAN",
    "StackGAN",
    "adversarial",
    "architectures",
    "augment",
    "callbacks",
    "datasets",
    "latent",
    "layers",
    "losses",
    "metrics",
    "penalties",
    "plotting",
    "models",
    "__version__",
]


def __getattr__(name):
    # Heavier submodules load on first use.
    import importlib

    if name in ("adversarial", "architectures", "datasets", "layers", "metrics", "plotting"):
        module = importlib.import_module(f"kerasgan.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'kerasgan' has no attribute {name!r}")
