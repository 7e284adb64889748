"""Step cost per backend: kerasgan `fit()`, a plain Keras `train_step`, and a native loop.

What is compared
----------------
The default MNIST DCGAN pair of `kerasgan.architectures` (generator
`Dense -> 7x7x128 -> 14x14x64 -> 28x28x1`, discriminator
`28x28x1 -> 14x14x64 -> 7x7x128 -> 1`, kernel 4, batch normalization),
batch 64, `Adam(2e-4, beta_1=0.5)` for each player, the non-saturating loss
(binary cross-entropy on logits), alternating updates: a discriminator
update on real and detached generated images, then a generator update with
fresh noise against the updated discriminator. Three implementations:

- **kerasgan**: `kerasgan.GAN(...).compile(...)` then `fit()`, as a user
  runs it (with the `TerminateOnNaN` that `fit()` adds, the `d_real` /
  `d_fake` logs and the label / instance-noise schedules).
- **keras_train_step**: the same two updates written as a ~40-line plain
  `keras.Model` subclass whose `train_step` follows Keras' "customizing
  what happens in fit()" guides: `loss.backward()` and `optimizer.apply` on
  torch, `stateless_call` / `jax.value_and_grad` / `stateless_apply`
  returning the state on JAX, `tf.GradientTape` on TensorFlow. It logs
  `d_loss` and `g_loss` with two `keras.metrics.Mean`, as those guides do.
  Also trained by `fit()`. The difference between these two rows is
  kerasgan's own share of a step.
- **native**: the framework without Keras. On torch, `torch.nn` modules of
  the same shapes (NCHW, `BatchNorm2d` with Keras' momentum and epsilon,
  `ConvTranspose2d(k=4, s=2, p=1)`), `torch.optim.Adam` and a Python loop;
  on JAX, one `jax.jit` step over the Keras models' `stateless_call` (after
  XLA compiles it, the layers' Python no longer runs). No native row on
  TensorFlow (`benchmarks/dcgan_tf_tutorial.py` is that comparison).

How it is timed
---------------
One warm process per implementation (`--impls`, each
`NAME[:threads][:passive]`), so that thread settings and allocators do not
leak between them. The parent starts them all, lets each build and run an
untimed warm-up, then runs `--rounds` interleaved rounds: in each, every
process trains `--steps` steps in turn, the order rotating from round to
round so that drifting machine load hits all alike. A process reads its
clocks at the end of every step (a batch-end callback for `fit()`); over the
steps after the first:

- steps/s, wall clock;
- CPU s/step: the process's CPU time (all its threads) per step. On a
  shared machine this is the steadier figure: wall time depends on what the
  other processes leave, CPU time on the work done (except that spinning
  OpenMP threads burn CPU while waiting for a core; run 1 thread for the
  cleanest CPU figure);
- the 1-minute load average before and after each trial, so contended
  rounds can be told apart.

The table gives medians over rounds and paired ratios (median over rounds
of the per-round ratio) to the reference implementation (`--reference`,
default `keras_train_step`): `steps/s ratio` above 1 is faster, `CPU ratio`
(reference CPU s/step over this one's) above 1 is cheaper.

`--profile NAME` instead runs one implementation in this process under
`torch.profiler` (torch) or `cProfile` (every backend) and prints the top
costs, operations and Python calls per step; `--parts` (torch) times each
piece of bookkeeping that kerasgan's step adds, alone; `--layers` times
single layers forward and backward (on torch against `torch.nn`, on JAX
and TensorFlow compiled); `--json PATH` writes every trial's figures.

Usage
-----
    python benchmarks/backend_overhead.py --backend torch \
        --impls kerasgan:1 keras_train_step:1 native:1 --rounds 5 --steps 30
    python benchmarks/backend_overhead.py --backend torch \
        --impls kerasgan:2 kerasgan:2:passive native:2 native:2:passive
    python benchmarks/backend_overhead.py --backend jax \
        --impls kerasgan keras_train_step native --rounds 5 --steps 15
    python benchmarks/backend_overhead.py --backend torch --profile kerasgan:1
    python benchmarks/backend_overhead.py --backend torch --parts
    python benchmarks/backend_overhead.py --backend jax --layers

The data are the MNIST test digits (`$KERASGAN_DATA_DIR`, default
`../shared/data` next to the repository). Results:
`benchmarks/results/backend_overhead.md`.
"""

import argparse
import gzip
import inspect
import json
import os
import statistics
import struct
import subprocess
import sys
import time

import numpy as np

BATCH = 64
LATENT = 100
LR, BETA_1 = 2e-4, 0.5
DEFAULT_DATA = os.environ.get(
    "KERASGAN_DATA_DIR",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data"),
)
IMPLS = ("kerasgan", "keras_train_step", "native")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--backend", default="torch", choices=["torch", "jax", "tensorflow"])
    p.add_argument("--impls", nargs="+", default=list(IMPLS))
    p.add_argument("--reference", default="keras_train_step")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--json", default=None, help="write every trial here")
    p.add_argument("--profile", default=None, metavar="IMPL")
    p.add_argument("--layers", action="store_true", help="time Keras layers vs torch.nn (torch)")
    p.add_argument("--parts", action="store_true", help="time kerasgan's bookkeeping (torch)")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def load_images(folder):
    with gzip.open(os.path.join(folder, "t10k-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    _, n, rows, cols = struct.unpack(">IIII", raw[:16])
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows, cols, 1)
    return (x.astype("float32") - 127.5) / 127.5


def batches_of(images, steps, rng):
    """`steps * BATCH` images in a fresh random order, as one array."""
    n = steps * BATCH
    idx = np.concatenate([rng.permutation(len(images)) for _ in range(-(-n // len(images)))])
    return images[idx[:n]]


def clocks():
    return time.perf_counter(), time.process_time()


def parse_impl(spec):
    """`NAME[:threads][:passive]` -> (name, threads or None, passive)."""
    parts = spec.split(":")
    name, threads, passive = parts[0], None, False
    for part in parts[1:]:
        if part == "passive":
            passive = True
        else:
            threads = int(part)
    if name not in IMPLS:
        raise SystemExit(f"unknown implementation {name!r}; expected one of {IMPLS}")
    return name, threads, passive


# ----------------------------------------------------------------------
# Keras implementations (imported in the child, after KERAS_BACKEND is set)
# ----------------------------------------------------------------------
def keras_models():
    import keras

    import kerasgan

    keras.utils.set_random_seed(0)
    g = kerasgan.architectures.dcgan_generator(latent_dim=LATENT)
    d = kerasgan.architectures.dcgan_discriminator()
    return g, d


def adam():
    import keras

    return keras.optimizers.Adam(LR, beta_1=BETA_1)


class FitRunner:
    """Trains by `fit()` on a NumPy array; clocks read at every batch end."""

    def __init__(self, model):
        import keras

        self.model = model
        times = self.times = []

        class StepTimer(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                times.append(clocks())

        self.timer = StepTimer()

    def run(self, x):
        del self.times[:]
        self.model.fit(x, batch_size=BATCH, epochs=1, verbose=0, shuffle=False, callbacks=[self.timer])
        return list(self.times)


def make_kerasgan():
    import kerasgan

    g, d = keras_models()
    gan = kerasgan.GAN(g, d, latent_dim=LATENT, seed=0)
    gan.compile(d_optimizer=adam(), g_optimizer=adam(), loss="non_saturating")
    return FitRunner(gan)


def make_plain_model():
    """The plain Keras model: both updates in its own `train_step`."""
    import keras
    from keras import ops

    backend = keras.backend.backend()
    bce = keras.losses.BinaryCrossentropy(from_logits=True)

    def d_loss_of(real_logits, fake_logits):
        return bce(ops.ones_like(real_logits), real_logits) + bce(
            ops.zeros_like(fake_logits), fake_logits
        )

    def g_loss_of(fake_logits):
        return bce(ops.ones_like(fake_logits), fake_logits)

    class PlainGAN(keras.Model):
        def __init__(self, generator, discriminator):
            super().__init__()
            self.generator = generator
            self.discriminator = discriminator
            self.seed_generator = keras.random.SeedGenerator(0)
            self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
            self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
            self.built = True  # both networks are built; fit() need not

        @property
        def metrics(self):
            return [self.d_loss_tracker, self.g_loss_tracker]

        def compile(self, d_optimizer, g_optimizer):
            # One optimizer object holding both, so the JAX trainer threads
            # both players' optimizer state (keras.optimizers.MultiOptimizer).
            d_ids = {id(v) for v in self.discriminator.trainable_variables}
            multi = keras.optimizers.MultiOptimizer(
                lambda v: d_optimizer if id(v) in d_ids else g_optimizer
            )
            super().compile(optimizer=multi)
            multi.build(self.trainable_variables)
            self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

        def noise(self, n, seed=None):
            seed = self.seed_generator if seed is None else seed
            return keras.random.normal((n, LATENT), seed=seed)

        if backend == "torch":

            def train_step(self, real):
                import torch

                G, D = self.generator, self.discriminator
                n = real.shape[0]
                with torch.no_grad():
                    fake = G(self.noise(n), training=True)
                self.zero_grad()
                d_loss = d_loss_of(D(real, training=True), D(fake, training=True))
                d_loss.backward()
                d_vars = D.trainable_weights
                with torch.no_grad():
                    self.d_optimizer.apply([v.value.grad for v in d_vars], d_vars)
                self.zero_grad()
                g_loss = g_loss_of(D(G(self.noise(n), training=True), training=True))
                g_loss.backward()
                g_vars = G.trainable_weights
                with torch.no_grad():
                    self.g_optimizer.apply([v.value.grad for v in g_vars], g_vars)
                self.d_loss_tracker.update_state(d_loss)
                self.g_loss_tracker.update_state(g_loss)
                return {m.name: m.result() for m in self.metrics}

        elif backend == "tensorflow":

            def train_step(self, real):
                import tensorflow as tf

                G, D = self.generator, self.discriminator
                n = tf.shape(real)[0]
                fake = tf.stop_gradient(G(self.noise(n), training=True))
                with tf.GradientTape() as tape:
                    d_loss = d_loss_of(D(real, training=True), D(fake, training=True))
                d_vars = D.trainable_weights
                self.d_optimizer.apply(tape.gradient(d_loss, d_vars), d_vars)
                with tf.GradientTape() as tape:
                    g_loss = g_loss_of(D(G(self.noise(n), training=True), training=True))
                g_vars = G.trainable_weights
                self.g_optimizer.apply(tape.gradient(g_loss, g_vars), g_vars)
                self.d_loss_tracker.update_state(d_loss)
                self.g_loss_tracker.update_state(g_loss)
                return {m.name: m.result() for m in self.metrics}

        else:

            def train_step(self, state, real):
                import jax

                tv, ntv, ov, mv = state
                G, D = self.generator, self.discriminator
                # Where each player's variables sit in the model's state.
                pos = lambda vs: {id(v): i for i, v in enumerate(vs)}
                t, nt = pos(self.trainable_variables), pos(self.non_trainable_variables)
                g_tv = [tv[t[id(v)]] for v in G.trainable_variables]
                d_tv = [tv[t[id(v)]] for v in D.trainable_variables]
                g_ntv = [ntv[nt[id(v)]] for v in G.non_trainable_variables]
                d_ntv = [ntv[nt[id(v)]] for v in D.non_trainable_variables]
                seed = ntv[nt[id(self.seed_generator.state)]]
                # The optimizer state: MultiOptimizer's own variables, then
                # each player's optimizer's, in the order it built them.
                multi = self.optimizer
                slices, start = {}, len(ov) - sum(len(o.variables) for o in multi.optimizers)
                for o in multi.optimizers:
                    slices[id(o)] = (start, start + len(o.variables))
                    start += len(o.variables)
                new_ov = list(ov)
                d_ov = ov[slice(*slices[id(self.d_optimizer)])]
                g_ov = ov[slice(*slices[id(self.g_optimizer)])]
                n = real.shape[0]
                z1 = self.noise(n, seed)
                z2 = self.noise(n, seed + ops.array([0, 1], dtype=seed.dtype))
                seed = seed + ops.array([0, 2], dtype=seed.dtype)
                fake, g_ntv = G.stateless_call(g_tv, g_ntv, z1, training=True)
                fake = jax.lax.stop_gradient(fake)

                def d_loss_fn(d_tv, d_ntv):
                    real_logits, d_ntv = D.stateless_call(d_tv, d_ntv, real, training=True)
                    fake_logits, d_ntv = D.stateless_call(d_tv, d_ntv, fake, training=True)
                    return d_loss_of(real_logits, fake_logits), d_ntv

                (d_loss, d_ntv), grads = jax.value_and_grad(d_loss_fn, has_aux=True)(d_tv, d_ntv)
                d_tv, d_ov = self.d_optimizer.stateless_apply(d_ov, grads, d_tv)
                new_ov[slice(*slices[id(self.d_optimizer)])] = d_ov

                def g_loss_fn(g_tv, g_ntv, d_ntv):
                    fake, g_ntv = G.stateless_call(g_tv, g_ntv, z2, training=True)
                    fake_logits, d_ntv = D.stateless_call(d_tv, d_ntv, fake, training=True)
                    return g_loss_of(fake_logits), (g_ntv, d_ntv)

                (g_loss, (g_ntv, d_ntv)), grads = jax.value_and_grad(g_loss_fn, has_aux=True)(
                    g_tv, g_ntv, d_ntv
                )
                g_tv, g_ov = self.g_optimizer.stateless_apply(g_ov, grads, g_tv)
                new_ov[slice(*slices[id(self.g_optimizer)])] = g_ov
                logs, new_mv = {}, []
                trackers = ((self.d_loss_tracker, d_loss), (self.g_loss_tracker, g_loss))
                start = 0
                for tracker, value in trackers:
                    count = len(tracker.variables)
                    values = mv[start : start + count]
                    values = tracker.stateless_update_state(values, value)
                    logs[tracker.name] = tracker.stateless_result(values)
                    new_mv += list(values)
                    start += count
                new_tv, new_ntv = list(tv), list(ntv)
                for vs, values in ((G.trainable_variables, g_tv), (D.trainable_variables, d_tv)):
                    for v, value in zip(vs, values):
                        new_tv[t[id(v)]] = value
                for vs, values in (
                    (G.non_trainable_variables, g_ntv),
                    (D.non_trainable_variables, d_ntv),
                    ([self.seed_generator.state], [seed]),
                ):
                    for v, value in zip(vs, values):
                        new_ntv[nt[id(v)]] = value
                state = (new_tv, new_ntv, new_ov, new_mv)
                return logs, state

    return PlainGAN


def make_keras_train_step():
    g, d = keras_models()
    model = make_plain_model()(g, d)
    model.compile(d_optimizer=adam(), g_optimizer=adam())
    return FitRunner(model)


# ----------------------------------------------------------------------
# Native loops
# ----------------------------------------------------------------------
class TorchNative:
    """The same networks and updates in plain PyTorch (NCHW)."""

    def __init__(self):
        import torch
        from torch import nn

        torch.manual_seed(0)
        self.torch = torch

        def bn(c):  # Keras' defaults: momentum 0.99, epsilon 1e-3
            return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)

        class Generator(nn.Module):
            def __init__(self):
                super().__init__()
                self.project = nn.Linear(LATENT, 7 * 7 * 128, bias=False)
                self.body = nn.Sequential(
                    bn(128), nn.ReLU(),
                    nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), bn(64), nn.ReLU(),
                    nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh(),
                )

            def forward(self, z):
                return self.body(self.project(z).view(-1, 128, 7, 7))

        self.G = Generator()
        self.D = nn.Sequential(
            nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, 2, 1, bias=False), bn(128), nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(7 * 7 * 128, 1),
        )
        self.g_opt = torch.optim.Adam(self.G.parameters(), LR, betas=(BETA_1, 0.999), eps=1e-7)
        self.d_opt = torch.optim.Adam(self.D.parameters(), LR, betas=(BETA_1, 0.999), eps=1e-7)
        self.bce = nn.BCEWithLogitsLoss()

    def step(self, real):
        torch = self.torch
        G, D, bce = self.G, self.D, self.bce
        n = real.shape[0]
        with torch.no_grad():
            fake = G(torch.randn(n, LATENT))
        self.d_opt.zero_grad()
        real_logits, fake_logits = D(real), D(fake)
        d_loss = bce(real_logits, torch.ones_like(real_logits)) + bce(
            fake_logits, torch.zeros_like(fake_logits)
        )
        d_loss.backward()
        self.d_opt.step()
        self.g_opt.zero_grad()
        fake_logits = D(G(torch.randn(n, LATENT)))
        g_loss = bce(fake_logits, torch.ones_like(fake_logits))
        g_loss.backward()
        self.g_opt.step()
        return d_loss.detach(), g_loss.detach()

    def run(self, x):
        torch = self.torch
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))  # NCHW
        times = []
        for i in range(0, len(x), BATCH):
            self.step(torch.from_numpy(x[i : i + BATCH]))
            times.append(clocks())
        return times


class JaxNative:
    """One `jax.jit` step over the Keras models' `stateless_call`."""

    def __init__(self):
        import jax
        import jax.numpy as jnp

        G, D = keras_models()
        g_opt, d_opt = adam(), adam()
        g_opt.build(G.trainable_variables)
        d_opt.build(D.trainable_variables)

        def bce(logits, target):
            return jnp.mean(jax.nn.softplus(logits) - target * logits)

        def step(state, real, key):
            g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov = state
            k1, k2 = jax.random.split(key)
            n = real.shape[0]
            fake, g_ntv = G.stateless_call(
                g_tv, g_ntv, jax.random.normal(k1, (n, LATENT)), training=True
            )
            fake = jax.lax.stop_gradient(fake)

            def d_loss_fn(d_tv, d_ntv):
                real_logits, d_ntv = D.stateless_call(d_tv, d_ntv, real, training=True)
                fake_logits, d_ntv = D.stateless_call(d_tv, d_ntv, fake, training=True)
                return bce(real_logits, 1.0) + bce(fake_logits, 0.0), d_ntv

            (d_loss, d_ntv), grads = jax.value_and_grad(d_loss_fn, has_aux=True)(d_tv, d_ntv)
            d_tv, d_ov = d_opt.stateless_apply(d_ov, grads, d_tv)

            def g_loss_fn(g_tv, g_ntv, d_ntv):
                fake, g_ntv = G.stateless_call(
                    g_tv, g_ntv, jax.random.normal(k2, (n, LATENT)), training=True
                )
                fake_logits, d_ntv = D.stateless_call(d_tv, d_ntv, fake, training=True)
                return bce(fake_logits, 1.0), (g_ntv, d_ntv)

            (g_loss, (g_ntv, d_ntv)), grads = jax.value_and_grad(g_loss_fn, has_aux=True)(
                g_tv, g_ntv, d_ntv
            )
            g_tv, g_ov = g_opt.stateless_apply(g_ov, grads, g_tv)
            return (g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov), (d_loss, g_loss)

        self.step = jax.jit(step, donate_argnums=0)
        values = lambda vs: [v.value for v in vs]
        self.state = (
            values(G.trainable_variables), values(G.non_trainable_variables),
            values(D.trainable_variables), values(D.non_trainable_variables),
            values(g_opt.variables), values(d_opt.variables),
        )
        self.key = jax.random.PRNGKey(0)
        self.jax = jax

    def run(self, x):
        jax = self.jax
        times = []
        for i in range(0, len(x), BATCH):
            self.key, sub = jax.random.split(self.key)
            self.state, losses = self.step(self.state, x[i : i + BATCH], sub)
            jax.block_until_ready(losses)
            times.append(clocks())
        return times


def make_runner(name):
    import keras

    if name == "kerasgan":
        return make_kerasgan()
    if name == "keras_train_step":
        return make_keras_train_step()
    backend = keras.backend.backend()
    if backend == "torch":
        return TorchNative()
    if backend == "jax":
        return JaxNative()
    raise SystemExit("no native implementation on TensorFlow (see dcgan_tf_tutorial.py)")


def thread_settings(threads):
    """Applies `threads` (torch's intra-op threads); describes the setting."""
    import keras

    if keras.backend.backend() == "torch":
        import torch

        if threads:
            torch.set_num_threads(threads)
        return f"torch threads {torch.get_num_threads()}"
    if threads:
        return f"threads {threads} requested (only applied on torch)"
    return "framework default threads"


# ----------------------------------------------------------------------
# Child: one warm implementation, driven through stdin/stdout
# ----------------------------------------------------------------------
def child_main(args):
    name, threads, _ = parse_impl(args.child)
    setting = thread_settings(threads)
    images = load_images(args.data)
    rng = np.random.default_rng(0)
    runner = make_runner(name)
    runner.run(batches_of(images, args.warmup, rng))
    out = sys.__stdout__
    out.write("READY " + json.dumps({"setting": setting}) + "\n")
    out.flush()
    for line in sys.stdin:
        steps = int(line)
        load_before = os.getloadavg()[0]
        times = runner.run(batches_of(images, steps, rng))
        (w0, c0), (w1, c1) = times[0], times[-1]
        n = len(times) - 1
        result = {
            "steps_per_s": n / (w1 - w0),
            "cpu_s_per_step": (c1 - c0) / n,
            "load": [load_before, os.getloadavg()[0]],
        }
        out.write("RESULT " + json.dumps(result) + "\n")
        out.flush()


def read_tagged(proc, tag):
    for line in proc.stdout:
        if line.startswith(tag + " "):
            return json.loads(line[len(tag) + 1 :])
    raise RuntimeError(f"child exited before {tag}; see its stderr above")


# ----------------------------------------------------------------------
# Parent: interleaved rounds over the warm children
# ----------------------------------------------------------------------
def main(args):
    base_env = dict(os.environ, KERAS_BACKEND=args.backend, TF_CPP_MIN_LOG_LEVEL="3")
    procs = {}
    for spec in args.impls:
        _, _, passive = parse_impl(spec)
        env = dict(base_env)
        if passive:
            env["OMP_WAIT_POLICY"] = "PASSIVE"
        command = [
            sys.executable, os.path.abspath(__file__), "--child", spec,
            "--backend", args.backend, "--data", args.data, "--warmup", str(args.warmup),
        ]
        procs[spec] = subprocess.Popen(
            command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    settings = {}
    for spec, proc in procs.items():  # children build and warm up in parallel
        settings[spec] = read_tagged(proc, "READY")["setting"]
        print(f"ready: {spec} ({settings[spec]})", flush=True)
    print(
        f"backend {args.backend}, batch {BATCH}, {args.rounds} rounds x {args.steps} steps, "
        f"load {os.getloadavg()}",
        flush=True,
    )
    trials = {spec: [] for spec in procs}
    specs = list(procs)
    for r in range(args.rounds):
        order = specs[r % len(specs) :] + specs[: r % len(specs)]
        for spec in order:
            proc = procs[spec]
            proc.stdin.write(f"{args.steps}\n")
            proc.stdin.flush()
            result = read_tagged(proc, "RESULT")
            trials[spec].append(result)
            print(
                f"round {r} {spec:24s} {result['steps_per_s']:7.3f} steps/s "
                f"{result['cpu_s_per_step'] * 1e3:8.1f} CPU ms/step  load "
                f"{result['load'][0]:.1f}-{result['load'][1]:.1f}",
                flush=True,
            )
    for proc in procs.values():
        proc.stdin.close()
        proc.wait()
    print_table(args, specs, settings, trials)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {"backend": args.backend, "steps": args.steps, "settings": settings,
                 "trials": trials}, f, indent=1,
            )


def print_table(args, specs, settings, trials):
    med = statistics.median
    ref = next((s for s in specs if parse_impl(s)[0] == args.reference), specs[0])
    print(f"\nreference: {ref}")
    print(
        "| implementation | setting | steps/s (median) | min-max | paired steps/s ratio "
        "| CPU ms/step (median) | paired CPU ratio | load (1 min) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for spec in specs:
        xs, rs = trials[spec], trials[ref]
        rates = [x["steps_per_s"] for x in xs]
        cpu = [x["cpu_s_per_step"] for x in xs]
        paired = med(x["steps_per_s"] / y["steps_per_s"] for x, y in zip(xs, rs))
        paired_cpu = med(y["cpu_s_per_step"] / x["cpu_s_per_step"] for x, y in zip(xs, rs))
        loads = [v for x in xs for v in x["load"]]
        passive = " OMP_WAIT_POLICY=PASSIVE" if parse_impl(spec)[2] else ""
        print(
            f"| {parse_impl(spec)[0]} | {settings[spec]}{passive} | {med(rates):.2f} | "
            f"{min(rates):.2f}-{max(rates):.2f} | {paired:.3f} | {med(cpu) * 1e3:.1f} | "
            f"{paired_cpu:.3f} | {min(loads):.1f}-{max(loads):.1f} |"
        )
    print(flush=True)


# ----------------------------------------------------------------------
# Profile: one implementation in this process
# ----------------------------------------------------------------------
def profile_main(args):
    import cProfile
    import pstats

    os.environ["KERAS_BACKEND"] = args.backend
    name, threads, _ = parse_impl(args.profile)
    print(thread_settings(threads), f"load {os.getloadavg()}", flush=True)
    images = load_images(args.data)
    rng = np.random.default_rng(0)
    runner = make_runner(name)
    runner.run(batches_of(images, args.warmup, rng))
    x = batches_of(images, args.steps, rng)
    if args.backend == "torch":
        from torch.profiler import ProfilerActivity, profile

        with profile(activities=[ProfilerActivity.CPU]) as prof:
            runner.run(x)
        events = prof.key_averages()
        print(events.table(sort_by="self_cpu_time_total", row_limit=25))
        aten = sum(e.count for e in events if e.key.startswith("aten::"))
        print(f"aten ops per step: {aten / args.steps:.0f}")
    profiler = cProfile.Profile()
    c0 = time.process_time()
    profiler.enable()
    runner.run(x)
    profiler.disable()
    cpu = (time.process_time() - c0) / args.steps
    stats = pstats.Stats(profiler).sort_stats("tottime")
    stats.print_stats(30)
    print(f"Python function calls per step: {stats.total_calls / args.steps:.0f} "
          f"(CPU {cpu * 1e3:.0f} ms/step under cProfile, load {os.getloadavg()})")


# ----------------------------------------------------------------------
# Layers: Keras on torch against torch.nn, forward + backward (the
# minimal reproductions in the results file)
# ----------------------------------------------------------------------
def layer_pairs():
    """(name, Keras layer, NHWC input shape, `nn -> torch.nn module`)."""
    import keras

    L = keras.layers
    return [
        ("BatchNormalization(training) 64x14x14x64", L.BatchNormalization(),
         (BATCH, 14, 14, 64), lambda nn: nn.BatchNorm2d(64, eps=1e-3, momentum=0.01)),
        ("Conv2D(128, 4, strides=2, same) 64x14x14x64", L.Conv2D(128, 4, 2, "same", use_bias=False),
         (BATCH, 14, 14, 64), lambda nn: nn.Conv2d(64, 128, 4, 2, 1, bias=False)),
        ("Conv2DTranspose(64, 4, strides=2, same) 64x7x7x128",
         L.Conv2DTranspose(64, 4, 2, "same", use_bias=False),
         (BATCH, 7, 7, 128), lambda nn: nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False)),
        ("Conv2DTranspose(1, 4, strides=2, same) 64x14x14x64",
         L.Conv2DTranspose(1, 4, 2, "same", use_bias=False),
         (BATCH, 14, 14, 64), lambda nn: nn.ConvTranspose2d(64, 1, 4, 2, 1, bias=False)),
        ("Dense(6272) 64x100", L.Dense(7 * 7 * 128, use_bias=False),
         (BATCH, LATENT), lambda nn: nn.Linear(LATENT, 7 * 7 * 128, bias=False)),
    ]


def compiled_layer_cost(layer, shape, repeats=7):
    """CPU ms of one compiled forward + backward of `layer` (JAX or TF)."""
    import keras

    layer.build(shape)
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    if keras.backend.backend() == "jax":
        import jax

        tv = [v.value for v in layer.trainable_variables]
        ntv = [v.value for v in layer.non_trainable_variables]

        kwargs = {"training": True} if "training" in inspect.signature(layer.call).parameters else {}

        def loss(tv, x):
            y, _ = layer.stateless_call(tv, ntv, x, **kwargs)
            return y.sum()

        step = jax.jit(jax.grad(loss, argnums=(0, 1)))
        run = lambda: jax.block_until_ready(step(tv, x))
    else:
        import tensorflow as tf

        x = tf.constant(x)

        @tf.function
        def step(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.reduce_sum(layer(x, training=True))
            return tape.gradient(y, [x] + layer.trainable_variables)

        run = lambda: [t.numpy() for t in step(x)]
    for _ in range(3):
        run()
    runs = []
    for _ in range(repeats):
        c0 = time.process_time()
        for _ in range(5):
            run()
        runs.append((time.process_time() - c0) / 5)
    return statistics.median(runs) * 1e3


def layers_main(args):
    import keras

    backend = keras.backend.backend()
    if backend != "torch":
        print(f"{backend}, keras {keras.__version__}, default threads, compiled "
              f"forward + backward, load {os.getloadavg()}", flush=True)
        print(f"| layer (forward + backward, batch 64) | {backend} (CPU ms) |")
        print("|---|---|")
        for name, layer, shape, _ in layer_pairs():
            print(f"| {name} | {compiled_layer_cost(layer, shape):.2f} |", flush=True)
        return
    import torch

    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, keras {keras.__version__}, 1 thread, "
          f"load {os.getloadavg()}", flush=True)

    def cost(fn, x, repeats):
        def once():
            y = fn(x)
            y.float().sum().backward()

        for _ in range(3):
            once()
        best = []
        for _ in range(repeats):
            c0 = time.process_time()
            for _ in range(5):
                once()
            best.append((time.process_time() - c0) / 5)
        return statistics.median(best)

    print("| layer (forward + backward, batch 64) | Keras on torch (CPU ms) | torch.nn (CPU ms) | ratio |")
    print("|---|---|---|---|")
    for name, layer, shape, make_module in layer_pairs():
        module = make_module(torch.nn)
        x = torch.randn(*shape, requires_grad=True)
        layer.build(shape)
        keras_ms = cost(lambda x, layer=layer: layer(x, training=True), x, 7) * 1e3
        xt = x.detach().permute(0, 3, 1, 2).contiguous().requires_grad_(True) if len(shape) == 4 else x
        torch_ms = cost(module, xt, 7) * 1e3
        print(f"| {name} | {keras_ms:.2f} | {torch_ms:.2f} | {keras_ms / torch_ms:.2f} |", flush=True)


# ----------------------------------------------------------------------
# Parts: what kerasgan's step does beyond the plain train_step, timed alone
# ----------------------------------------------------------------------
def parts_main(args):
    import keras
    import torch
    from keras import ops

    import kerasgan

    if keras.backend.backend() != "torch":
        raise SystemExit("--parts times eager pieces; run it on torch")
    torch.set_num_threads(1)
    runner = make_kerasgan()
    gan = runner.model
    runner.run(batches_of(load_images(args.data), 3, np.random.default_rng(0)))
    logits = torch.randn(BATCH, 1)
    x = torch.randn(BATCH, 28, 28, 1)
    step = ops.convert_to_tensor(gan.optimizer.iterations.value)
    noise_std = gan.instance_noise.value_at(step)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    plain_trackers = [keras.metrics.Mean(), keras.metrics.Mean()]
    logs = {"d_loss": torch.tensor(1.0), "g_loss": torch.tensor(1.0)}
    nan_check = kerasgan.callbacks.TerminateOnNaN()

    def plain_losses():
        bce(ops.ones_like(logits), logits) + bce(ops.zeros_like(logits), logits)
        bce(ops.ones_like(logits), logits)

    def kerasgan_losses():
        gan.gan_loss.discriminator_loss(logits, logits, real_label=1.0)
        gan.generator_loss(logits)

    def plain_tracking():
        for t in plain_trackers:
            t.update_state(logits.mean())
        [t.result() for t in plain_trackers]

    def kerasgan_tracking():
        gan._track_discriminator(logits.mean(), {}, logits, logits)
        gan._track_generator(logits.mean(), {})
        {m.name: m.result() for m in gan.metrics}

    pieces = [
        ("schedules: real_label and instance_noise values at the step",
         lambda: (gan.real_label.value_at(step), gan.instance_noise.value_at(step))),
        ("instance noise of 0 on real and fake batches (a skipped branch)",
         lambda: (gan._discriminator_input(x, noise_std), gan._discriminator_input(x, noise_std))),
        ("step counter read and increment",
         lambda: gan.optimizer.iterations.assign(
             ops.convert_to_tensor(gan.optimizer.iterations.value))),
        ("kerasgan losses (D and G)", kerasgan_losses),
        ("plain losses: keras BinaryCrossentropy (D and G)", plain_losses),
        ("kerasgan tracking: 4 Means (d_real, d_fake: sigmoid-mean) + logs", kerasgan_tracking),
        ("plain tracking: 2 Means + logs", plain_tracking),
        ("TerminateOnNaN on the logs", lambda: nan_check.on_train_batch_end(0, logs)),
    ]
    print(f"torch 1 thread, load {os.getloadavg()}")
    print("| piece | CPU us per step |")
    print("|---|---|")
    for name, fn in pieces:
        for _ in range(20):
            fn()
        runs = []
        for _ in range(7):
            c0 = time.process_time()
            for _ in range(50):
                fn()
            runs.append((time.process_time() - c0) / 50)
        print(f"| {name} | {statistics.median(runs) * 1e6:.1f} |", flush=True)


if __name__ == "__main__":
    ARGS = parse_args()
    os.environ["KERAS_BACKEND"] = ARGS.backend
    if ARGS.parts:
        parts_main(ARGS)
    elif ARGS.layers:
        layers_main(ARGS)
    elif ARGS.child:
        child_main(ARGS)
    elif ARGS.profile:
        profile_main(ARGS)
    else:
        main(ARGS)
