"""Training speed: kerasgan `fit()` vs a hand-written loop, on the TF DCGAN tutorial.

What is compared
----------------
The networks and hyper-parameters of the TensorFlow DCGAN tutorial
(https://www.tensorflow.org/tutorials/generative/dcgan): MNIST 28x28x1 in
[-1, 1], noise of size 100, batch 256, `Adam(1e-4)` for both players, binary
cross-entropy on logits (kerasgan's `"non_saturating"` loss is the same maths).
Each configuration is trained two ways in one process:

- **kerasgan**: `kerasgan.GAN(...).compile(..., update=mode)` then `fit()`
  (`verbose=0`; the `TerminateOnNaN` that `fit()` adds is kept; instance
  noise, label schedule and the `d_real`/`d_fake` logs are on, as in any
  user's run).
- **hand-written**: the tutorial's loop, a `tf.function` + `tf.GradientTape`
  `train_step` over the same Keras models (fresh copies with the same initial
  weights) and `keras.optimizers.Adam` (`apply_gradients`). It computes the
  update and nothing else: no metrics, no callbacks.

Two update rules (`--modes`):

- `simultaneous`: the tutorial's step. One forward pass `G(z)`, `D(real)`,
  `D(fake)`; the gradient of each loss for its own player; two updates.
- `alternating`: kerasgan's default. A discriminator step on `(real,
  stop_gradient(G(z1)))`, then a generator step with fresh noise `z2` against
  the updated discriminator: two tapes, two forward passes, one `tf.function`.

Both sides read batches from the same kind of `tf.data` pipeline, the
tutorial's own: `from_tensor_slices(images).shuffle(N).batch(256)` (with
`drop_remainder=True`, `repeat()`, `take(steps)` and `prefetch`). kerasgan gets
the dataset object through `fit(dataset)`; the hand-written loop iterates it
in Python, as the tutorial does. `--numpy` adds a third row per mode:
kerasgan `fit(images, batch_size=256)` on the NumPy array (Keras' own array
pipeline).

How it is timed
---------------
Every implementation first runs one untimed 3-step warm-up (tracing,
allocation). Then `--trials` rounds are interleaved, alternating the order
(kerasgan first, then hand-written first, ...) so that drifting machine load
hits both alike. A trial runs `--steps` training steps; the clocks are read
at the end of every step (a `Callback.on_train_batch_end` for `fit()`; after
the `tf.function` call returns for the hand-written loop, TF runs functions
called from Python synchronously on CPU). Over the steps after the first of
each trial (leaving out iterator start-up and `fit()`'s per-call set-up, and
keeping everything between steps: input pipeline, `fit()`'s loop, callbacks):

- steps/s = `(steps - 1) / (wall time)`;
- CPU s/step = the process's CPU time (all threads) per step. On a shared
  machine this is the stable figure: wall-clock time depends on how much of
  the CPU the other processes leave, CPU time on the work done.

The table gives medians over trials and, against the hand-written loop of
the same update rule and `jit_compile`: `ratio` (of median steps/s),
`paired ratio` (median of the per-trial ratios; both runs of a trial are
adjacent in time) and `CPU ratio` (hand-written CPU s/step over this one's;
above 1 means cheaper than hand-written).

Usage
-----
    python benchmarks/dcgan_tf_tutorial.py --steps 30 --trials 5 \
        --modes simultaneous alternating [--xla [--no-default-jit]] [--numpy]

The script sets `KERAS_BACKEND` from `--backend` (default `tensorflow`).
`--memory` measures peak memory instead of speed: each implementation
trains `3 + --steps` steps in a fresh process, which reports its resident
set size before training and its peak (Linux). `--xla` adds rows with
`jit_compile=True` on both sides (`--no-default-jit`
leaves out the `jit_compile=False` rows). `--numpy` adds kerasgan
`fit(images, batch_size=256)`. `--backend jax` compares kerasgan `fit()` on
the JAX backend (always XLA there) with a hand-written `jax.jit` loop
(`stateless_call`, `jax.vjp`/`jax.value_and_grad`, `stateless_apply`) fed
the same `tf.data` pipeline as NumPy batches. `--data` (or `$MNIST_T10K`)
points at `t10k-images-idx3-ubyte.gz`; default `../shared/data/` next to the
repository.

The models are the tutorial's `Sequential` stacks written with a leading
`keras.Input(...)` instead of `input_shape=` (the Keras 3 idiom; same
layers, same weights).

Results and the exact command that produced them:
`benchmarks/results/dcgan_tf_tutorial.md`.
"""

import argparse
import gzip
import os
import statistics
import struct
import time

import numpy as np

DEFAULT_DATA = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "shared",
    "data",
    "t10k-images-idx3-ubyte.gz",
)

BATCH_SIZE = 256
NOISE_DIM = 100
LEARNING_RATE = 1e-4


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--steps", type=int, default=30, help="timed steps per trial")
    p.add_argument("--trials", type=int, default=5, help="interleaved trials")
    p.add_argument(
        "--modes",
        nargs="+",
        default=["simultaneous", "alternating"],
        choices=["simultaneous", "alternating"],
    )
    p.add_argument("--xla", action="store_true", help="also jit_compile=True")
    p.add_argument(
        "--no-default-jit",
        action="store_true",
        help="skip the jit_compile off rows (use with --xla)",
    )
    p.add_argument(
        "--numpy", action="store_true", help="also kerasgan fit(numpy array)"
    )
    p.add_argument(
        "--backend",
        default="tensorflow",
        choices=["tensorflow", "jax"],
        help="Keras backend for both sides (sets KERAS_BACKEND)",
    )
    p.add_argument(
        "--data",
        default=os.environ.get("MNIST_T10K", DEFAULT_DATA),
        help="path of t10k-images-idx3-ubyte.gz",
    )
    p.add_argument("--seed", type=int, default=0, help="weights, data order")
    p.add_argument(
        "--memory",
        action="store_true",
        help="measure peak memory instead of speed: each implementation "
        "trains in its own process",
    )
    # Internal: one implementation in this process (used by --memory).
    p.add_argument("--child", nargs=2, metavar=("IMPL", "MODE"), help=argparse.SUPPRESS)
    return p.parse_args(argv)


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None:
    os.environ["KERAS_BACKEND"] = ARGS.backend

import keras
import kerasgan


# ----------------------------------------------------------------------
# Data: the MNIST test split (IDX format, gzip), scaled to [-1, 1].
# ----------------------------------------------------------------------
def load_mnist_images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 2051:
        raise ValueError(f"{path} is not an IDX image file (magic {magic})")
    images = np.frombuffer(raw, dtype=np.uint8, offset=16)
    images = images.reshape(n, rows, cols, 1).astype("float32")
    return (images - 127.5) / 127.5


# ----------------------------------------------------------------------
# The tutorial's networks, layer for layer.
# ----------------------------------------------------------------------
def make_generator_model():
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(NOISE_DIM,)),
            layers.Dense(7 * 7 * 256, use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Reshape((7, 7, 256)),
            layers.Conv2DTranspose(
                128, (5, 5), strides=(1, 1), padding="same", use_bias=False
            ),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Conv2DTranspose(
                64, (5, 5), strides=(2, 2), padding="same", use_bias=False
            ),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Conv2DTranspose(
                1,
                (5, 5),
                strides=(2, 2),
                padding="same",
                use_bias=False,
                activation="tanh",
            ),
        ],
        name="generator",
    )


def make_discriminator_model():
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(64, (5, 5), strides=(2, 2), padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            layers.Conv2D(128, (5, 5), strides=(2, 2), padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            layers.Flatten(),
            layers.Dense(1),
        ],
        name="discriminator",
    )


def copy_of(model):
    """A fresh model with the same architecture and the same weights."""
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    return clone


def adam():
    return keras.optimizers.Adam(LEARNING_RATE)


# ----------------------------------------------------------------------
# kerasgan: compile + fit.
# ----------------------------------------------------------------------
class StepTimer(keras.callbacks.Callback):
    """Records the clocks at the end of every training batch."""

    def __init__(self):
        super().__init__()
        self.times = []

    def on_train_batch_end(self, batch, logs=None):
        self.times.append(clocks())


class KerasganRunner:
    def __init__(self, generator, discriminator, mode, jit, seed, numpy=False):
        self.name = "kerasgan fit(numpy)" if numpy else "kerasgan fit()"
        self.numpy = numpy
        self.gan = kerasgan.GAN(
            generator=copy_of(generator),
            discriminator=copy_of(discriminator),
            latent_dim=NOISE_DIM,
            seed=seed,
        )
        self.gan.compile(
            d_optimizer=adam(),
            g_optimizer=adam(),
            loss="non_saturating",
            update=mode,
            jit_compile=True if jit else "auto",
        )

    def run(self, data):
        timer = StepTimer()
        if self.numpy:
            self.gan.fit(
                data, batch_size=BATCH_SIZE, epochs=1, verbose=0, callbacks=[timer]
            )
        else:
            # The dataset is shuffled already (as in the tutorial).
            self.gan.fit(data, epochs=1, verbose=0, shuffle=False, callbacks=[timer])
        return timer.times


# ----------------------------------------------------------------------
# Hand-written (TensorFlow): the tutorial's tf.function + GradientTape loop.
# ----------------------------------------------------------------------
class TFLoopRunner:
    name = "hand-written tf.function"

    def __init__(self, generator, discriminator, mode, jit, seed):
        import tensorflow as tf

        tf.random.set_seed(seed)
        generator = copy_of(generator)
        discriminator = copy_of(discriminator)
        g_opt, d_opt = adam(), adam()
        cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)

        def discriminator_loss(real_output, fake_output):
            real_loss = cross_entropy(tf.ones_like(real_output), real_output)
            fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
            return real_loss + fake_loss

        def generator_loss(fake_output):
            return cross_entropy(tf.ones_like(fake_output), fake_output)

        def simultaneous_step(images):
            # The tutorial's train_step, verbatim apart from the batch size.
            noise = tf.random.normal([tf.shape(images)[0], NOISE_DIM])
            with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
                generated_images = generator(noise, training=True)
                real_output = discriminator(images, training=True)
                fake_output = discriminator(generated_images, training=True)
                gen_loss = generator_loss(fake_output)
                disc_loss = discriminator_loss(real_output, fake_output)
            g_vars = generator.trainable_variables
            d_vars = discriminator.trainable_variables
            gradients_of_generator = gen_tape.gradient(gen_loss, g_vars)
            gradients_of_discriminator = disc_tape.gradient(disc_loss, d_vars)
            g_opt.apply_gradients(zip(gradients_of_generator, g_vars))
            d_opt.apply_gradients(zip(gradients_of_discriminator, d_vars))

        def alternating_step(images):
            batch_size = tf.shape(images)[0]
            # Discriminator step on real and detached fakes.
            noise = tf.random.normal([batch_size, NOISE_DIM])
            generated_images = generator(noise, training=True)
            generated_images = tf.stop_gradient(generated_images)
            d_vars = discriminator.trainable_variables
            with tf.GradientTape() as disc_tape:
                real_output = discriminator(images, training=True)
                fake_output = discriminator(generated_images, training=True)
                disc_loss = discriminator_loss(real_output, fake_output)
            d_opt.apply_gradients(zip(disc_tape.gradient(disc_loss, d_vars), d_vars))
            # Generator step: fresh noise, against the updated discriminator.
            noise = tf.random.normal([batch_size, NOISE_DIM])
            g_vars = generator.trainable_variables
            with tf.GradientTape() as gen_tape:
                generated_images = generator(noise, training=True)
                fake_output = discriminator(generated_images, training=True)
                gen_loss = generator_loss(fake_output)
            g_opt.apply_gradients(zip(gen_tape.gradient(gen_loss, g_vars), g_vars))

        step = simultaneous_step if mode == "simultaneous" else alternating_step
        self.train_step = tf.function(step, jit_compile=bool(jit))

    def run(self, dataset):
        times = []
        for image_batch in dataset:
            self.train_step(image_batch)
            times.append(clocks())
        return times


# ----------------------------------------------------------------------
# Hand-written (JAX): jax.jit over stateless_call / stateless_apply.
# ----------------------------------------------------------------------
class JaxLoopRunner:
    name = "hand-written jax.jit"

    def __init__(self, generator, discriminator, mode, jit, seed):
        import jax
        import jax.numpy as jnp

        G, D = copy_of(generator), copy_of(discriminator)
        g_opt, d_opt = adam(), adam()
        g_opt.build(G.trainable_variables)
        d_opt.build(D.trainable_variables)

        def bce(logits, target):  # mean binary cross-entropy on logits
            return jnp.mean(jax.nn.softplus(logits) - target * logits)

        def d_loss_of(real_out, fake_out):
            return bce(real_out, 1.0) + bce(fake_out, 0.0)

        def g_loss_of(fake_out):
            return bce(fake_out, 1.0)

        def simultaneous(state, images, key):
            g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov = state
            noise = jax.random.normal(key, (images.shape[0], NOISE_DIM))

            def forward(g_tv, d_tv):
                fake, g_ntv2 = G.stateless_call(g_tv, g_ntv, noise, training=True)
                real_out, d_ntv2 = D.stateless_call(d_tv, d_ntv, images, training=True)
                fake_out, d_ntv2 = D.stateless_call(d_tv, d_ntv2, fake, training=True)
                losses = (d_loss_of(real_out, fake_out), g_loss_of(fake_out))
                return losses, (g_ntv2, d_ntv2)

            _, vjp, (g_ntv, d_ntv) = jax.vjp(forward, g_tv, d_tv, has_aux=True)
            one, zero = jnp.ones(()), jnp.zeros(())
            _, d_grads = vjp((one, zero))
            g_grads, _ = vjp((zero, one))
            d_tv, d_ov = d_opt.stateless_apply(d_ov, d_grads, d_tv)
            g_tv, g_ov = g_opt.stateless_apply(g_ov, g_grads, g_tv)
            return (g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov)

        def alternating(state, images, key):
            g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov = state
            k1, k2 = jax.random.split(key)
            n = images.shape[0]
            fake, g_ntv = G.stateless_call(
                g_tv, g_ntv, jax.random.normal(k1, (n, NOISE_DIM)), training=True
            )
            fake = jax.lax.stop_gradient(fake)

            def d_loss_fn(d_tv, d_ntv):
                real_out, d_ntv = D.stateless_call(d_tv, d_ntv, images, training=True)
                fake_out, d_ntv = D.stateless_call(d_tv, d_ntv, fake, training=True)
                return d_loss_of(real_out, fake_out), d_ntv

            (_, d_ntv), d_grads = jax.value_and_grad(d_loss_fn, has_aux=True)(
                d_tv, d_ntv
            )
            d_tv, d_ov = d_opt.stateless_apply(d_ov, d_grads, d_tv)
            noise = jax.random.normal(k2, (n, NOISE_DIM))

            def g_loss_fn(g_tv, g_ntv, d_ntv):
                fake, g_ntv = G.stateless_call(g_tv, g_ntv, noise, training=True)
                fake_out, d_ntv = D.stateless_call(d_tv, d_ntv, fake, training=True)
                return g_loss_of(fake_out), (g_ntv, d_ntv)

            (_, (g_ntv, d_ntv)), g_grads = jax.value_and_grad(g_loss_fn, has_aux=True)(
                g_tv, g_ntv, d_ntv
            )
            g_tv, g_ov = g_opt.stateless_apply(g_ov, g_grads, g_tv)
            return (g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov)

        step = simultaneous if mode == "simultaneous" else alternating
        self.train_step = jax.jit(step, donate_argnums=0)

        def values(variables):
            return [v.value for v in variables]

        self.state = (
            values(G.trainable_variables),
            values(G.non_trainable_variables),
            values(D.trainable_variables),
            values(D.non_trainable_variables),
            values(g_opt.variables),
            values(d_opt.variables),
        )
        self.key = jax.random.PRNGKey(seed)
        self._jax = jax

    def run(self, dataset):
        jax = self._jax
        times = []
        for image_batch in dataset:
            self.key, sub = jax.random.split(self.key)
            self.state = self.train_step(self.state, image_batch, sub)
            jax.block_until_ready(self.state)
            times.append(clocks())
        return times


# ----------------------------------------------------------------------
# Input pipelines
# ----------------------------------------------------------------------
def tutorial_dataset(images, steps, seed):
    """The tutorial's pipeline, cut to `steps` full batches."""
    import tensorflow as tf

    return (
        tf.data.Dataset.from_tensor_slices(images)
        .shuffle(len(images), seed=seed)
        .batch(BATCH_SIZE, drop_remainder=True)
        .repeat()
        .take(steps)
        .prefetch(tf.data.AUTOTUNE)
    )


def numpy_slice(images, steps, rng):
    """`steps` full batches of the images, reshuffled, as one NumPy array."""
    n = steps * BATCH_SIZE
    reps = -(-n // len(images))
    idx = np.concatenate([rng.permutation(len(images)) for _ in range(reps)])
    return images[idx[:n]]


def jit_label(jit):
    if keras.backend.backend() == "jax":
        # kerasgan's jit_compile="auto" is XLA on JAX; the loop is jax.jit.
        return "XLA"
    return "True" if jit else "False"


def clocks():
    """(wall-clock seconds, CPU seconds of this process, all threads)."""
    return time.perf_counter(), time.process_time()


def trial_figures(times):
    """Steps/s and CPU seconds per step over the steps after the first."""
    if len(times) < 2:
        return float("nan"), float("nan")
    (wall0, cpu0), (wall1, cpu1) = times[0], times[-1]
    n = len(times) - 1
    return n / (wall1 - wall0), (cpu1 - cpu0) / n


# ----------------------------------------------------------------------
# Memory: one implementation per process, peak resident set size
# ----------------------------------------------------------------------
def current_rss_mib():
    """This process's resident set size now, in MiB (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib():
    """This process's peak resident set size so far, in MiB (Linux)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(args):
    """Trains one implementation for 3 + `--steps` steps; prints its memory."""
    impl, mode = args.child
    images = load_mnist_images(args.data)
    keras.utils.set_random_seed(args.seed)
    generator = make_generator_model()
    discriminator = make_discriminator_model()
    if impl == "kerasgan":
        runner = KerasganRunner(generator, discriminator, mode, False, args.seed)
    else:
        Loop = JaxLoopRunner if keras.backend.backend() == "jax" else TFLoopRunner
        runner = Loop(generator, discriminator, mode, False, args.seed)
    before = current_rss_mib()
    data = tutorial_dataset(images, 3 + args.steps, args.seed)
    if isinstance(runner, JaxLoopRunner):
        data = data.as_numpy_iterator()
    runner.run(data)
    print(f"MEMORY {before:.1f} {peak_rss_mib():.1f}", flush=True)


def memory_main(args):
    """Peak RSS of each implementation, each in a fresh process."""
    import subprocess
    import sys

    print(
        f"peak memory, backend {args.backend}, batch {BATCH_SIZE}, "
        f"3 + {args.steps} steps per process",
        flush=True,
    )
    rows = []
    for mode in args.modes:
        for impl in ("kerasgan", "hand-written"):
            command = [
                sys.executable, os.path.abspath(__file__), "--child", impl, mode,
                "--steps", str(args.steps), "--backend", args.backend,
                "--data", args.data, "--seed", str(args.seed),
            ]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            line = next(l for l in out.splitlines() if l.startswith("MEMORY "))
            before, peak = (float(x) for x in line.split()[1:])
            rows.append((mode, impl, before, peak))
            print(f"{mode:12s} {impl:12s} before training {before:7.1f} MiB, "
                  f"peak {peak:7.1f} MiB", flush=True)
    print()
    print("| update | implementation | RSS before training (MiB) | peak RSS (MiB) "
          "| training's own (peak - before, MiB) | ratio of training's own |")
    print("|---|---|---|---|---|---|")
    for mode in args.modes:
        hand = next(r for r in rows if r[0] == mode and r[1] == "hand-written")
        for _, impl, before, peak in (r for r in rows if r[0] == mode):
            own = peak - before
            print(f"| {mode} | {impl} | {before:.0f} | {peak:.0f} | {own:.0f} | "
                  f"{own / (hand[3] - hand[2]):.2f} |")
    print(flush=True)


# ----------------------------------------------------------------------
# main
# ----------------------------------------------------------------------
def main(args):
    backend = keras.backend.backend()
    images = load_mnist_images(args.data)
    keras.utils.set_random_seed(args.seed)
    generator = make_generator_model()
    discriminator = make_discriminator_model()
    rng = np.random.default_rng(args.seed)

    jit_settings = ([] if args.no_default_jit else [False]) + (
        [True] if args.xla else []
    )
    Loop = JaxLoopRunner if backend == "jax" else TFLoopRunner

    configs = []  # (mode, jit, [runners])
    for jit in jit_settings:
        for mode in args.modes:
            runners = [
                KerasganRunner(generator, discriminator, mode, jit, args.seed),
                Loop(generator, discriminator, mode, jit, args.seed),
            ]
            if args.numpy:
                runners.append(
                    KerasganRunner(
                        generator, discriminator, mode, jit, args.seed, numpy=True
                    )
                )
            configs.append((mode, jit, runners))

    def data_for(runner, steps):
        if getattr(runner, "numpy", False):
            return numpy_slice(images, steps, rng)
        ds = tutorial_dataset(images, steps, int(rng.integers(1 << 30)))
        if isinstance(runner, JaxLoopRunner):
            return ds.as_numpy_iterator()  # fit() converts tf.data the same way
        return ds

    print(
        f"keras {keras.__version__}, backend {backend}, kerasgan "
        f"{kerasgan.__version__}, batch {BATCH_SIZE}, {args.steps} steps x "
        f"{args.trials} trials",
        flush=True,
    )
    if backend == "tensorflow":
        import tensorflow as tf

        print(f"tensorflow {tf.__version__}", flush=True)
    else:
        import jax

        print(f"jax {jax.__version__}", flush=True)

    # Warm-up: trace and run a few steps, untimed.
    for mode, jit, runners in configs:
        for r in runners:
            t0 = time.perf_counter()
            r.run(data_for(r, 3))
            print(
                f"warm-up {mode:12s} jit={jit_label(jit):5s} {r.name:26s} "
                f"{time.perf_counter() - t0:6.1f} s",
                flush=True,
            )

    # figures[(mode, jit, name)] = [(steps/s, CPU s/step) per trial]
    figures = {}
    for trial in range(args.trials):
        for mode, jit, runners in configs:
            order = runners if trial % 2 == 0 else runners[::-1]
            for r in order:
                rate, cpu = trial_figures(r.run(data_for(r, args.steps)))
                figures.setdefault((mode, jit, r.name), []).append((rate, cpu))
                print(
                    f"trial {trial}  {mode:12s} jit={jit_label(jit):5s} {r.name:26s} "
                    f"{rate:6.3f} steps/s  {cpu:6.3f} CPU s/step",
                    flush=True,
                )
    print_table(configs, figures)
    return figures


def print_table(configs, figures):
    """Markdown table: medians over trials, and the ratios to hand-written.

    `ratio` is the ratio of the median steps/s; `paired` the median over
    trials of the per-trial ratio (the two runs of one trial are adjacent in
    time, so they saw similar machine load); `CPU ratio` is hand-written CPU
    seconds per step over this implementation's (above 1: cheaper).
    """
    print()
    print(
        "| update | jit_compile | implementation | steps/s (median) | min-max "
        "| ratio | paired ratio | CPU s/step | CPU ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    med = statistics.median
    for mode, jit, runners in configs:
        hand = figures[(mode, jit, runners[1].name)]
        for r in runners:
            xs = figures[(mode, jit, r.name)]
            rates = [x[0] for x in xs]
            paired = [x[0] / h[0] for x, h in zip(xs, hand)]
            cpu = med(x[1] for x in xs)
            print(
                f"| {mode} | {jit_label(jit)} | {r.name} | {med(rates):.3f} | "
                f"{min(rates):.3f}-{max(rates):.3f} | "
                f"{med(rates) / med(h[0] for h in hand):.3f} | "
                f"{med(paired):.3f} | {cpu:.3f} | "
                f"{med(h[1] for h in hand) / cpu:.3f} |"
            )
    print(flush=True)


if __name__ == "__main__":
    if ARGS.child:
        memory_child(ARGS)
    elif ARGS.memory:
        memory_main(ARGS)
    else:
        main(ARGS)
