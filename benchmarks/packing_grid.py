"""Packing against mode collapse on the 2-D grid of 25 Gaussians (PacGAN).

The protocol of Lin et al. (2018, table 1) and VEEGAN: a mixture of 25
Gaussians at `{-4, -2, 0, 2, 4}^2` with stddev 0.05; after training, 2,500
generated points are assigned to their nearest mode; a mode is covered when
at least one point lies within 3 stddev of it, and the high-quality fraction
and the reverse KL of the high-quality points' histogram against uniform are
reported (`kerasgan.metrics.mode_coverage`). The networks are MLPs in the
spirit of the paper's (generator 4 x 400 ReLU with batch norm, discriminator
3 x 200 LeakyReLU), trained with Adam 1e-4 (beta_1 0.5), batch 100, for the
same number of steps with `pack=1` (a plain GAN) and `pack=m` (the
discriminator judges `m` samples at a time, built with `pack=m`), over
several seeds.

Usage:

```
python benchmarks/packing_grid.py                       # packs 1, 2, 4; 3 seeds, 20,000 steps
python benchmarks/packing_grid.py --packs 1 4 --seeds 0 --steps 2000
```

Results: `benchmarks/results/packing_grid.md`.
"""

import argparse
import os
import time

import numpy as np
import keras

import kerasgan
from kerasgan.metrics import mode_coverage


def run(pack, seed, steps):
    data = kerasgan.datasets.gaussian_mixture("grid", 100_000, seed=seed)
    keras.utils.set_random_seed(seed)
    gen = kerasgan.architectures.mlp_generator(
        2, (2,), units=(400, 400, 400, 400), output_activation=None
    )
    disc = kerasgan.architectures.mlp_discriminator((2,), units=(200, 200, 200), pack=pack)
    gan = kerasgan.GAN(gen, disc, latent_dim=2, seed=seed, pack=pack)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5),
        steps_per_execution=1 if keras.backend.backend() == "torch" else 50,
    )
    start = time.perf_counter()
    # 100,000 points in batches of 100: 1,000 steps per epoch.
    gan.fit(data, batch_size=100, epochs=max(1, steps // 1000), verbose=0)
    seconds = time.perf_counter() - start
    means, stddev = kerasgan.datasets.gaussian_mixture_modes("grid")
    result = mode_coverage(gan.generate(2500, seed=seed + 100), means, stddev)
    return result, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packs", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=20000)
    args = parser.parse_args()
    print(f"backend={keras.backend.backend()} steps={args.steps} cpus={os.cpu_count()}")
    print("| pack | seed | modes (of 25) | high-quality | reverse KL | time |")
    print("| --- | --- | --- | --- | --- | --- |")
    results = {p: [] for p in args.packs}
    for seed in args.seeds:
        for pack in args.packs:
            r, seconds = run(pack, seed, args.steps)
            results[pack].append(r)
            print(
                f"| {pack} | {seed} | {r['modes_covered']} | {r['high_quality_fraction']:.1%} | "
                f"{r['reverse_kl']:.3f} | {seconds:.0f} s |",
                flush=True,
            )
    print("\nMeans over seeds:")
    for pack, rs in results.items():
        print(
            f"- pack={pack}: {np.mean([r['modes_covered'] for r in rs]):.1f} modes, "
            f"{np.mean([r['high_quality_fraction'] for r in rs]):.1%} high quality, "
            f"reverse KL {np.mean([r['reverse_kl'] for r in rs]):.3f}"
        )


if __name__ == "__main__":
    main()
