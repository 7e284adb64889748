"""Shared fixtures: tiny models so every test runs in seconds on any backend."""

import os
from pathlib import Path

import sys

import pytest
import keras

sys.path.insert(0, str(Path(__file__).resolve().parent))
BACKEND = keras.backend.backend()
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


if BACKEND == "jax":
    # Most tests compile the same tiny training step: let XLA reuse it.
    import tempfile

    import jax

    jax.config.update(
        "jax_compilation_cache_dir",
        os.environ.get("KERASGAN_JAX_CACHE", os.path.join(tempfile.gettempdir(), "kerasgan-jax-cache")),
    )
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)


def pytest_report_header(config):
    return f"keras {keras.__version__}, backend: {BACKEND}"


@pytest.fixture(autouse=True)
def _reset_keras_state():
    keras.mixed_precision.set_global_policy("float32")
    keras.utils.set_random_seed(1234)
    yield
    keras.mixed_precision.set_global_policy("float32")
