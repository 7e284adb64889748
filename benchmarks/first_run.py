"""Records what README command 1 shows offline: `python -m kerasgan` on the
8-Gaussian ring, on each backend.

Runs the main command exactly as a user would (a fresh process, stdout to a
file, no MNIST files and no internet), keeps its picture and its last lines,
and writes `benchmarks/results/first_run.md` plus one picture per backend.

    python benchmarks/first_run.py                      # tensorflow jax torch
    python benchmarks/first_run.py --backends jax
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"


def run(backend):
    picture = RESULTS / f"first_run_ring_{backend}.png"
    env = {k: v for k, v in os.environ.items() if k not in ("KERASGAN_DATA_DIR", "TF_CPP_MIN_LOG_LEVEL")}
    env.update(KERAS_BACKEND=backend, PYTHONPATH=str(REPO))
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "kerasgan", "--output", str(picture)],
        capture_output=True, text=True, env=env, cwd=RESULTS, timeout=3600,
    )
    seconds = time.time() - start
    if out.returncode:
        raise SystemExit(f"{backend}: exit {out.returncode}\n{out.stderr}")
    lines = out.stdout.splitlines()
    keep = [l for l in lines if not l.startswith(("Epoch ", "100/100"))]
    return {
        "backend": backend,
        "seconds": seconds,
        "stdout": "\n".join(keep).replace(str(RESULTS) + os.sep, ""),
        "stdout_bytes": len(out.stdout.encode()),
        "stderr_lines": len(out.stderr.splitlines()),
        "picture": picture.name,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="*", default=["tensorflow", "jax", "torch"],
                        help="backends to run (none: rewrite the page from the recorded runs)")
    args = parser.parse_args()
    for backend in args.backends:
        result = run(backend)
        result["date"] = str(datetime.date.today())
        (RESULTS / f"first_run_{backend}.json").write_text(json.dumps(result, indent=1) + "\n")
    # This run's backends plus those recorded before.
    results = [
        json.loads(path.read_text())
        for backend in ("tensorflow", "jax", "torch")
        for path in [RESULTS / f"first_run_{backend}.json"]
        if path.is_file()
    ]
    lines = [
        "# First run: `python -m kerasgan` offline",
        "",
        "What README command 1 shows on a machine without the MNIST files and",
        "without internet: the offline default, a GAN on the 8-Gaussian ring",
        "(8 modes of standard deviation 0.02 on a circle of radius 2), trained",
        "with the recipe of the mode-collapse tutorial's balanced run plus a",
        "cosine learning-rate decay (`kerasgan/__main__.py`, `train_ring`), 60",
        "epochs of 100 steps of batch 512. Scored on 2,500 samples with",
        "`kerasgan.metrics.mode_coverage` (a mode is covered by a sample within",
        "3 standard deviations of it).",
        "",
        f"Recorded with `python benchmarks/first_run.py` on a {platform.machine()} "
        f"CPU ({os.cpu_count()} cores, shared with other jobs, so times are "
        f"upper bounds), Python {platform.python_version()}. Wall time "
        "includes start-up and the failed MNIST download attempt.",
        "",
        "| backend | date | wall time | stdout | stderr lines | picture |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['backend']} | {r['date']} | {r['seconds']:.0f} s | {r['stdout_bytes']:,} bytes "
            f"(redirected: one line per epoch) | {r['stderr_lines']} | "
            f"[{r['picture']}]({r['picture']}) |"
        )
    missing = [b for b in ("tensorflow", "jax", "torch") if b not in {r["backend"] for r in results}]
    if "torch" in missing:
        lines += [
            "",
            "PyTorch: not recorded yet. Keras' PyTorch backend runs one training "
            "step per call (`steps_per_execution=1`), about 70 ms per step for "
            "this small GAN on the shared CPU, so the 6,000 steps took over 20 "
            "minutes there; run `python benchmarks/first_run.py --backends torch` "
            "on a quiet machine to add it.",
        ]
    for r in results:
        lines += ["", f"## {r['backend']}", "", f"![{r['backend']}]({r['picture']})", "",
                  "```text", r["stdout"], "```"]
    (RESULTS / "first_run.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
