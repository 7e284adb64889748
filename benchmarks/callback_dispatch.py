"""Speed: does the NaN stop that `fit()` adds cost Keras' asynchronous callbacks?

What is compared
----------------
On JAX and PyTorch, Keras runs batch-end callbacks on a worker thread when
every callback is marked `async_safe` (or does nothing at batch end); one
callback that is not forces the training loop to wait for each batch's logs
(a host sync per step). `GAN.fit()` always adds
`kerasgan.callbacks.TerminateOnNaN`. Three runs of the same GAN, in one
process, at `verbose=0`:

- **async NaN check**: kerasgan's `TerminateOnNaN` (async-safe, the default).
- **sync NaN check**: the same callback marked `async_safe = False`, which is
  how kerasgan 0.1 ran (every batch synchronous).
- **no NaN check**: a `TerminateOnNaN` whose batch-end hook is Keras' no-op,
  so nothing watches the losses (the reference).

The model is small on purpose (the MLP pair of `kerasgan.architectures` on
the 2-D ring, batch 256), so that per-step overheads such as a host sync
show; for large convolutional models they are a smaller share.

How it is timed
---------------
One untimed warm-up `fit()` per variant (compilation), then `--trials`
interleaved rounds in rotating order, each a `fit()` of `--steps` steps,
timed by wall clock and by process CPU time. Reported: median steps/s per
variant and the median of the per-round ratios to the reference. The load
average before and after is printed so contended runs can be told apart.

    KERAS_BACKEND=jax python benchmarks/callback_dispatch.py
    KERAS_BACKEND=torch python benchmarks/callback_dispatch.py
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import kerasgan  # noqa: E402
from kerasgan.callbacks import TerminateOnNaN  # noqa: E402


class SyncTerminateOnNaN(TerminateOnNaN):
    async_safe = False


class NoNaNCheck(TerminateOnNaN):
    on_train_batch_end = keras.callbacks.Callback.on_train_batch_end


VARIANTS = {
    "async NaN check (default)": None,
    "sync NaN check (0.1)": SyncTerminateOnNaN,
    "no NaN check (reference)": NoNaNCheck,
}


def build():
    gen = kerasgan.architectures.mlp_generator(latent_dim=8, output_shape=(2,))
    disc = kerasgan.architectures.mlp_discriminator(input_shape=(2,))
    gan = kerasgan.GAN(gen, disc, latent_dim=8, seed=0)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-4),
        g_optimizer=keras.optimizers.Adam(1e-4),
    )
    return gan


def run(gan, data, callback_cls, batch_size):
    callbacks = [] if callback_cls is None else [callback_cls()]
    wall, cpu = time.perf_counter(), time.process_time()
    gan.fit(data, batch_size=batch_size, epochs=1, verbose=0, shuffle=False, callbacks=callbacks)
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--trials", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    angles = rng.integers(0, 8, args.steps * args.batch_size) * (2 * np.pi / 8)
    data = np.stack([np.cos(angles), np.sin(angles)], axis=1) * 0.8
    data = (data + rng.normal(0, 0.02, data.shape)).astype("float32")

    load_before = os.getloadavg()
    gans = {name: build() for name in VARIANTS}
    for name, cls in VARIANTS.items():
        run(gans[name], data[: 5 * args.batch_size], cls, args.batch_size)

    names = list(VARIANTS)
    times = {name: [] for name in names}
    cpu = {name: [] for name in names}
    for trial in range(args.trials):
        order = names[trial % len(names):] + names[: trial % len(names)]
        for name in order:
            w, c = run(gans[name], data, VARIANTS[name], args.batch_size)
            times[name].append(w)
            cpu[name].append(c)
    load_after = os.getloadavg()

    ref = names[-1]
    print(f"backend={keras.backend.backend()} keras={keras.__version__} "
          f"steps={args.steps} trials={args.trials} batch={args.batch_size}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print("| variant | steps/s (median) | CPU ms/step (median) | steps/s vs reference (median of paired ratios) |")
    print("|---|---:|---:|---:|")
    for name in names:
        rate = statistics.median(args.steps / t for t in times[name])
        cpu_ms = statistics.median(1000 * c / args.steps for c in cpu[name])
        ratio = statistics.median(r / t for t, r in zip(times[name], times[ref]))
        print(f"| {name} | {rate:.1f} | {cpu_ms:.2f} | {ratio:.3f} |")


if __name__ == "__main__":
    main()
