"""Packing against mode collapse on the 2-D grid of 25 Gaussians (PacGAN).

The protocol of Lin et al. (2018, table 1) and VEEGAN: a mixture of 25
Gaussians at `{-4, -2, 0, 2, 4}^2` with stddev 0.05; after training, 2,500
generated points are assigned to their nearest mode; a mode is covered when
at least one point lies within 3 stddev of it, and the high-quality fraction
and the reverse KL of the high-quality points' histogram against uniform are
reported (`kerasgan.metrics.mode_coverage`).

The same recipe is trained with `pack=1` (a plain GAN) and `pack=m` (the
discriminator judges `m` samples at a time, built with `pack=m`), over
several seeds. Every flag below is a knob of the recipe. The defaults are
the recipe of `benchmarks/results/packing_grid.md`: MLPs of 3 x 128 units
(no batch norm), latent dimension 2, Adam 1e-3 (beta_1 0.5), batch 512
samples, 50,000 steps, the learning rates constant over the first half and
cosine-decayed to 0 over the second (`--decay cosine --decay-start 0.5`),
and an EMA of the generator (decay 0.999) over the second half
(`--ema-start 0.5`); the raw and the EMA generator are both scored.
`--packs-per-step` makes `--batch` count discriminator inputs (packs), as
PacGAN does, so that `m * batch` samples are drawn per step; by default the
batch of samples is the same for every `m`.

Usage:

```
python benchmarks/packing_grid.py                       # packs 1, 4; seeds 0, 1, 2; 50,000 steps
python benchmarks/packing_grid.py --packs 1 4 --seeds 0 --steps 2000
python benchmarks/packing_grid.py --kind ring --g-lr 1e-3 --d-lr 1e-4   # a collapse-prone ring
python benchmarks/packing_grid.py --legacy              # the first recipe (4 x 400 BN, lr 1e-4, batch 100)
```

Results: `benchmarks/results/packing_grid.md`.
"""

import argparse
import os
import time

import keras
import numpy as np
from keras import ops

import kerasgan
from kerasgan.metrics import mode_coverage


class Maxout(keras.layers.Layer):
    """`Dense(units * pieces)` followed by a max over each group of `pieces`
    (Goodfellow et al., 2013), the discriminator unit of the PacGAN paper."""

    def __init__(self, units, pieces=5, **kwargs):
        super().__init__(**kwargs)
        self.units, self.pieces = units, pieces
        self.dense = keras.layers.Dense(units * pieces)

    def build(self, input_shape):
        self.dense.build(input_shape)

    def call(self, x):
        y = self.dense(x)
        y = ops.reshape(y, (-1, self.units, self.pieces))
        return ops.max(y, axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape[:-1] + (self.units,)


def build(args, pack):
    gen = kerasgan.architectures.mlp_generator(
        args.latent_dim,
        (2,),
        units=(args.g_width,) * args.g_depth,
        output_activation=None,
        batch_norm=args.batch_norm,
    )
    if args.maxout:
        x = inputs = keras.Input((2 * pack,))
        for _ in range(args.d_depth):
            x = Maxout(args.d_width, args.maxout)(x)
        disc = keras.Model(inputs, keras.layers.Dense(1)(x))
    else:
        disc = kerasgan.architectures.mlp_discriminator(
            (2,), units=(args.d_width,) * args.d_depth, pack=pack
        )
    return gen, disc


def run(args, pack, seed):
    """Trains one GAN; returns the scores of the final (and EMA) generator."""
    keras.utils.set_random_seed(seed)
    batch = args.batch * pack if args.packs_per_step else args.batch
    # One epoch holds `epoch_steps` batches; the data are fresh points.
    epoch_steps = 100
    data = kerasgan.datasets.gaussian_mixture(args.kind, batch * epoch_steps, seed=seed)
    gen, disc = build(args, pack)
    gan = kerasgan.GAN(
        gen, disc, latent_dim=args.latent_dim, seed=seed, pack=pack,
        ema_decay=args.ema or None, ema_start=int(args.steps * args.ema_start) if args.ema else 0,
    )

    def lr(value):
        if args.decay == "none":
            return value
        # The step counters of the two optimizers count their own updates.
        # Constant for the first `decay_start` of the steps, then a cosine
        # decay (CosineDecay's warm-up from `value` to `value` is constant).
        hold = int(args.steps * args.decay_start)
        return keras.optimizers.schedules.CosineDecay(
            value, args.steps - hold, alpha=args.decay_alpha,
            warmup_target=value if hold else None, warmup_steps=hold,
        )

    gan.compile(
        d_optimizer=keras.optimizers.Adam(lr(args.d_lr), beta_1=args.beta_1),
        g_optimizer=keras.optimizers.Adam(lr(args.g_lr), beta_1=args.beta_1),
        loss=args.loss,
        steps_per_execution=1 if keras.backend.backend() == "torch" else 50,
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    gan.fit(data, batch_size=batch, epochs=max(1, args.steps // epoch_steps), verbose=0)
    seconds = time.perf_counter() - start
    # CPU seconds of this process (all its threads): less sensitive to other
    # jobs on a shared machine than the wall time.
    result_cpu = time.process_time() - cpu_start
    means, stddev = kerasgan.datasets.gaussian_mixture_modes(args.kind)
    result = mode_coverage(
        gan.generate(2500, seed=seed + 100, use_ema=False), means, stddev
    )
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        noise = keras.random.normal((2500, args.latent_dim), seed=seed + 100)
        np.savez(
            os.path.join(args.save, f"pack{pack}_seed{seed}.npz"),
            inference=gan.generate(2500, seed=seed + 100, use_ema=False),
            training=ops.convert_to_numpy(gan.generator(noise, training=True)),
        )
    if args.ema:
        result["ema"] = mode_coverage(gan.generate(2500, seed=seed + 100), means, stddev)
    result["cpu_seconds"] = result_cpu
    return result, seconds


def describe(r):
    return f"{r['modes_covered']} | {r['high_quality_fraction']:.1%} | {r['reverse_kl']:.3f}"


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--packs", type=int, nargs="+", default=[1, 4])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--steps", type=int, default=None,
                   help="training steps; default 50,000 (20,000 with --legacy)")
    p.add_argument("--batch", type=int, default=512,
                   help="samples per step, or packs per step with --packs-per-step")
    p.add_argument("--packs-per-step", action="store_true",
                   help="`--batch` counts discriminator inputs (packs), as in PacGAN")
    p.add_argument("--g-lr", type=float, default=1e-3)
    p.add_argument("--d-lr", type=float, default=1e-3)
    p.add_argument("--beta-1", type=float, default=0.5)
    p.add_argument("--decay", choices=["none", "cosine"], default="cosine")
    p.add_argument("--decay-alpha", type=float, default=0.0,
                   help="final learning rate as a fraction of the first")
    p.add_argument("--decay-start", type=float, default=0.5,
                   help="fraction of the steps at a constant rate before the decay starts")
    p.add_argument("--ema-start", type=float, default=0.5,
                   help="fraction of the steps before the EMA starts averaging")
    p.add_argument("--latent-dim", type=int, default=2)
    p.add_argument("--g-width", type=int, default=128)
    p.add_argument("--g-depth", type=int, default=3)
    p.add_argument("--d-width", type=int, default=128)
    p.add_argument("--d-depth", type=int, default=3)
    p.add_argument("--maxout", type=int, default=0,
                   help="pieces of a maxout discriminator (paper: 5); 0: LeakyReLU")
    p.add_argument("--batch-norm", action="store_true",
                   help="batch-normalize the generator's hidden layers")
    p.add_argument("--ema", type=float, default=0.999,
                   help="EMA decay of the generator, averaged over the second half; 0: none")
    p.add_argument("--loss", default="non_saturating")
    p.add_argument("--kind", choices=["grid", "ring"], default="grid",
                   help="the mixture: the 5x5 grid (the benchmark) or the ring of 8")
    p.add_argument("--save", default=None, help="a folder for the final samples (.npz)")
    p.add_argument("--legacy", action="store_true",
                   help="the first recipe: generator 4 x 400 with batch norm, "
                   "discriminator 3 x 200, Adam 1e-4, batch 100 samples, 20,000 steps, no EMA")
    return p


def main():
    args = parser().parse_args()
    if args.legacy:
        args.g_lr = args.d_lr = 1e-4
        args.decay, args.packs_per_step, args.ema = "none", False, 0
        args.steps = args.steps or 20000
        args.g_width, args.g_depth, args.batch_norm = 400, 4, True
        args.d_width, args.d_depth, args.batch = 200, 3, 100
    args.steps = args.steps or 50000
    print(f"backend={keras.backend.backend()} cpus={os.cpu_count()} "
          f"load={os.getloadavg()} args={vars(args)}")
    print(f"| pack | seed | modes (of {25 if args.kind == 'grid' else 8}) | high-quality "
          "| reverse KL | time | CPU time | load |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    results = {p: [] for p in args.packs}
    for seed in args.seeds:
        for pack in args.packs:
            r, seconds = run(args, pack, seed)
            results[pack].append(r)
            load = os.getloadavg()[0]
            print(f"| {pack} | {seed} | {describe(r)} | {seconds:.0f} s "
                  f"| {r['cpu_seconds']:.0f} s | {load:.1f} |", flush=True)
            if "ema" in r:
                print(f"| {pack} EMA | {seed} | {describe(r['ema'])} | | | |", flush=True)
    print("\nMeans over seeds:")
    for pack, rs in results.items():
        for name, get in (("", lambda r: r), (" EMA", lambda r: r.get("ema"))):
            if get(rs[0]) is None:
                continue
            print(
                f"- pack={pack}{name}: "
                f"{np.mean([get(r)['modes_covered'] for r in rs]):.1f} modes, "
                f"{np.mean([get(r)['high_quality_fraction'] for r in rs]):.1%} high quality, "
                f"reverse KL {np.mean([get(r)['reverse_kl'] for r in rs]):.3f}"
            )


if __name__ == "__main__":
    main()
