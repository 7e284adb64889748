"""FID speed: kerasgan.metrics.frechet_distance against scipy.linalg.sqrtm.

Two sets of 10,000 correlated Gaussian features of dimension 2048 (the
size of InceptionV3 pool features), with different means and covariance
spectra. Times, on the same data:

- kerasgan: `kerasgan.metrics.frechet_distance(real, fake)`, end to end;
- reference: the formula as pytorch-fid and the TTUR code compute it
  (`np.mean`, `np.cov`, `scipy.linalg.sqrtm(sigma1 @ sigma2)`), end to end;

and prints both times (best of `--repeats`), their ratio, and the absolute
and relative difference of the two FID values. Also times the distance from
precomputed statistics alone (the part that differs between the two).

Usage:

```
python benchmarks/fid_speed.py            # 10,000 x 2048, 3 repeats
python benchmarks/fid_speed.py --n 2000 --d 512 --repeats 1
```

The computation is NumPy/SciPy only; the Keras backend (imported with
kerasgan) does not matter. Results: `benchmarks/results/fid_speed.md`.
"""

import argparse
import os
import platform
import time

import numpy as np
import scipy
import scipy.linalg

from kerasgan.metrics import feature_statistics
from kerasgan.metrics import frechet_distance
from kerasgan.metrics import frechet_distance_from_statistics


def reference_statistics(x):
    return np.mean(x, axis=0), np.cov(x, rowvar=False)


def reference_from_statistics(mu1, sigma1, mu2, sigma2):
    """pytorch-fid's calculate_frechet_distance (without its eps retry)."""
    diff = mu1 - mu2
    # pytorch-fid passes `disp=False` (deprecated in SciPy 1.17); the
    # default call computes the same matrix.
    covmean = scipy.linalg.sqrtm(sigma1.dot(sigma2))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2)
                 - 2 * np.trace(covmean))


def reference_fid(real, fake):
    return reference_from_statistics(
        *reference_statistics(real), *reference_statistics(fake)
    )


def correlated_features(rng, n, d, decay, shift):
    """n samples of N(shift, A A^T), A with singular values ~ k^-decay."""
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    spectrum = (1.0 + np.arange(d)) ** (-decay)
    mixing = (q * spectrum).T  # rows: scaled orthonormal directions
    return rng.normal(size=(n, d)) @ mixing + shift


def best_time(fn, repeats):
    """Best wall-clock and process CPU time over `repeats` calls."""
    walls, cpus, value = [], [], None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), value


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--d", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    real = correlated_features(rng, args.n, args.d, decay=0.5, shift=0.5)
    fake = correlated_features(rng, args.n, args.d, decay=0.6, shift=0.45)

    print(
        f"machine: {cpu_name()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"numpy {np.__version__}, scipy {scipy.__version__}, "
        f"python {platform.python_version()}"
    )
    print(
        f"features: 2 sets of {args.n} x {args.d} float64, "
        f"best of {args.repeats}",
        flush=True,
    )

    t_ours, c_ours, fid_ours = best_time(
        lambda: frechet_distance(real, fake), args.repeats
    )
    t_ref, c_ref, fid_ref = best_time(
        lambda: reference_fid(real, fake), args.repeats
    )

    stats_real = feature_statistics(real)
    stats_fake = feature_statistics(fake)
    t_ours_stats, c_ours_stats, fid_ours_stats = best_time(
        lambda: frechet_distance_from_statistics(*stats_real, *stats_fake),
        args.repeats,
    )
    t_ref_stats, c_ref_stats, _ = best_time(
        lambda: reference_from_statistics(*stats_real, *stats_fake), args.repeats
    )

    diff = abs(fid_ours - fid_ref)
    print(f"load average after the run: {os.getloadavg()[0]:.1f}")
    print()
    print("| | kerasgan | scipy.linalg.sqrtm | ratio |")
    print("|---|---:|---:|---:|")
    rows = [
        ("FID from features, wall", t_ours, t_ref),
        ("FID from features, CPU", c_ours, c_ref),
        ("FID from mean and covariance, wall", t_ours_stats, t_ref_stats),
        ("FID from mean and covariance, CPU", c_ours_stats, c_ref_stats),
    ]
    for label, ours, ref in rows:
        print(f"| {label} | {ours:.2f} s | {ref:.2f} s | {ref / ours:.1f}x |")
    print()
    print(f"FID kerasgan  = {fid_ours:.10f}")
    print(f"FID reference = {fid_ref:.10f}")
    print(f"FID kerasgan from statistics = {fid_ours_stats:.10f}")
    print(f"absolute difference = {diff:.3e} (relative {diff / fid_ref:.3e})")


if __name__ == "__main__":
    main()
