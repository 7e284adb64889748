"""Evaluation of generative models: FID, KID, IS, precision/recall and more.

Functions take NumPy feature arrays (or backend tensors) and return Python
floats, computing in float64. Feature extractors turn images into features;
`FID` and `KID` are streaming `keras.metrics.Metric`s.
"""

from kerasgan.metrics.feature_extractors import ClassifierFeatures
from kerasgan.metrics.feature_extractors import FeatureExtractor
from kerasgan.metrics.feature_extractors import InceptionFeatures
from kerasgan.metrics.feature_extractors import train_mnist_classifier
from kerasgan.metrics.fid import FID
from kerasgan.metrics.fid import feature_statistics
from kerasgan.metrics.fid import frechet_distance
from kerasgan.metrics.fid import frechet_distance_from_statistics
from kerasgan.metrics.inception_score import inception_score
from kerasgan.metrics.kid import KID
from kerasgan.metrics.kid import kernel_distance
from kerasgan.metrics.matched_accuracy import matched_accuracy
from kerasgan.metrics.mode_coverage import classifier_mode_coverage
from kerasgan.metrics.mode_coverage import mode_coverage
from kerasgan.metrics.ms_ssim import ms_ssim
from kerasgan.metrics.ms_ssim import ms_ssim_diversity
from kerasgan.metrics.precision_recall import precision_recall

__all__ = [
    "ClassifierFeatures",
    "FID",
    "FeatureExtractor",
    "InceptionFeatures",
    "KID",
    "classifier_mode_coverage",
    "feature_statistics",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "inception_score",
    "kernel_distance",
    "matched_accuracy",
    "mode_coverage",
    "ms_ssim",
    "ms_ssim_diversity",
    "precision_recall",
    "train_mnist_classifier",
]
