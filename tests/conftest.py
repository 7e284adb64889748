"""Shared fixtures: tiny models so every test runs in seconds on any backend."""

from pathlib import Path

import sys

import pytest
import keras

sys.path.insert(0, str(Path(__file__).resolve().parent))
BACKEND = keras.backend.backend()
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def pytest_report_header(config):
    return f"keras {keras.__version__}, backend: {BACKEND}"


@pytest.fixture(autouse=True)
def _reset_keras_state():
    keras.mixed_precision.set_global_policy("float32")
    keras.utils.set_random_seed(1234)
    yield
    keras.mixed_precision.set_global_policy("float32")
