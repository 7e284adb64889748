"""Keras callbacks for GAN training."""

from kerasgan.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = ["TerminateOnNaN"]
