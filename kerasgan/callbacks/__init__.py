"""Keras callbacks for GAN training.

Each is passed to `fit()`: `LabelSmoothing` and `InstanceNoise` change the
compiled training step (without retracing it), `SampleSaver` writes image
grids and a GIF, `TrainingMonitor` warns about (and can stop) failing runs,
`LearningRateLogger` logs both players' learning rates, `TerminateOnNaN`
(added by `GAN.fit()` automatically) stops on a non-finite loss, and
`ChiefOnly` runs a file-writing callback on one worker of several.
"""

from kerasgan.callbacks.chief_only import ChiefOnly
from kerasgan.callbacks.evaluation_callback import EvaluationCallback
from kerasgan.callbacks.instance_noise import InstanceNoise
from kerasgan.callbacks.label_smoothing import LabelSmoothing
from kerasgan.callbacks.learning_rate_logger import LearningRateLogger
from kerasgan.callbacks.sample_saver import SampleSaver
from kerasgan.plotting import make_grid
from kerasgan.callbacks.terminate_on_nan import TerminateOnNaN
from kerasgan.callbacks.training_monitor import GANTrainingWarning, TrainingMonitor

__all__ = [
    "ChiefOnly",
    "EvaluationCallback",
    "GANTrainingWarning",
    "InstanceNoise",
    "LabelSmoothing",
    "LearningRateLogger",
    "SampleSaver",
    "TerminateOnNaN",
    "TrainingMonitor",
    "make_grid",
]
