"""DCGAN training speed: kerasgan (JAX, PyTorch) against PyTorch's reference.

The reference is the DCGAN of pytorch/examples (`dcgan/main.py`): its
`Generator` and `Discriminator` (64x64 images, `nz=100`, `ngf=ndf=64`,
`nc=3`, weights drawn from N(0, 0.02), batch-norm scales from N(1, 0.02)),
`BCELoss`, Adam with learning rate 2e-4 and betas (0.5, 0.999), batch 128,
and its training step (the discriminator on a real batch, then on
`fake.detach()`, then the generator on the same `fake`), in plain PyTorch,
eager, float32, `cudnn.benchmark = True` as main.py sets it. kerasgan trains
the same two networks, built as Keras models layer by layer
(`Conv2DTranspose`/`Conv2D` with kernel 4, stride 2, "same" padding, no
bias, `BatchNormalization(momentum=0.9, epsilon=1e-5)`, the same
initialisers), with `kerasgan.GAN`, `loss="non_saturating"` (BCE on
logits, the same losses), Adam(2e-4, beta_1=0.5, epsilon=1e-8), by `fit()`,
with the training step compiled: XLA on JAX, `torch.compile` on PyTorch
(`jit_compile=True`). One difference in the work done: kerasgan's
generator update draws fresh noise and runs the generator again (one more
generator forward pass per step than the reference, which reuses the
discriminator step's fakes).

The data are synthetic (uniform in [-1, 1]), held on the host and copied to
the device batch by batch, as a data loader's batches are. Each
implementation runs in its own process (one Keras backend per process):
each builds its models, runs `--warmup` training steps (compilation
included) and then waits; the rounds then time `--steps` steps of each
implementation in turn, the order rotating from round to round, with the
device synchronised before the clock stops. Reported: images per second
(median over rounds, and the range), and the peak device memory
(`torch.cuda.max_memory_allocated`, JAX's `peak_bytes_in_use`), or the
process's peak resident memory on a CPU.

Usage (GPU, the figures in benchmarks/results/gpu_dcgan.md):

```
python benchmarks/gpu_dcgan.py --out benchmarks/results/gpu_dcgan_gpu.json
```

At a small size on a CPU (narrower networks, smaller batch):

```
python benchmarks/gpu_dcgan.py --impls pytorch_reference,kerasgan_jax,kerasgan_torch,kerasgan_torch_eager \\
    --batch 16 --width 8 --steps 4 --warmup 2 --rounds 3 --cpu-threads 1 \\
    --out benchmarks/results/gpu_dcgan_cpu.json
```

Neither TensorFlow nor any other backend than the one of each process is
imported; JAX is told not to preallocate GPU memory, so the processes can
share one GPU (only one trains at a time).
"""

import argparse
import json
import os
import platform
import queue
import resource
import subprocess
import sys
import threading
import time

IMPLS = {
    # name: (Keras backend or None for plain PyTorch, jit)
    "pytorch_reference": (None, False),
    "kerasgan_jax": ("jax", True),
    "kerasgan_torch": ("torch", True),
    "kerasgan_torch_eager": ("torch", False),
}
# torch.compile of a Keras step compiles slowest (minutes): last, so that a
# timeout there (the worker is then reported as failed) costs the others
# nothing.
DEFAULT_IMPLS = (
    "pytorch_reference", "kerasgan_jax", "kerasgan_torch_eager", "kerasgan_torch",
)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--impls", default=",".join(DEFAULT_IMPLS),
                   help=f"comma-separated, from {', '.join(IMPLS)}")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--width", type=int, default=64,
                   help="ngf = ndf (64 in the reference)")
    p.add_argument("--latent", type=int, default=100, help="nz")
    p.add_argument("--steps", type=int, default=50, help="timed steps per round")
    p.add_argument("--warmup", type=int, default=10, help="untimed steps first")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--timeout", type=float, default=1800,
                   help="seconds a worker may take for its warm-up or a round")
    p.add_argument("--cpu-threads", type=int, default=None,
                   help="threads for CPU work in each worker (torch's intra-op "
                   "threads and OMP_NUM_THREADS; with 1, XLA's CPU Eigen pool "
                   "off too). On a shared CPU, 1 avoids threads that spin "
                   "waiting for each other. Defaults to the libraries' own")
    p.add_argument("--out", default=None, help="write the results as JSON here")
    p.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


# ----------------------------------------------------------------------------
# Workers: one implementation each, in its own process.
# ----------------------------------------------------------------------------
def torch_reference(args, device):
    """pytorch/examples dcgan/main.py: networks, init, loss and step."""
    import torch
    import torch.nn as nn

    nz, ngf, ndf, nc = args.latent, args.width, args.width, 3

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
                nn.BatchNorm2d(ngf * 8),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf * 4),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf * 2),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
                nn.Tanh(),
            )

        def forward(self, x):
            return self.main(x)

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 2),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 4),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 8),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False),
                nn.Sigmoid(),
            )

        def forward(self, x):
            return self.main(x).view(-1, 1).squeeze(1)

    def weights_init(m):
        name = m.__class__.__name__
        if name.find("Conv") != -1:
            nn.init.normal_(m.weight.data, 0.0, 0.02)
        elif name.find("BatchNorm") != -1:
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0)

    torch.backends.cudnn.benchmark = True
    netG, netD = Generator().to(device), Discriminator().to(device)
    netG.apply(weights_init)
    netD.apply(weights_init)
    criterion = nn.BCELoss()
    optimizerD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizerG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real_label, fake_label = 1.0, 0.0
    # Host-side data, copied batch by batch like a DataLoader's.
    data = torch.rand(8 * args.batch, nc, 64, 64) * 2 - 1

    def run(steps, start):
        for i in range(start, start + steps):
            j = i % 8
            real_cpu = data[j * args.batch : (j + 1) * args.batch].to(device)
            b_size = real_cpu.size(0)
            # (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))
            netD.zero_grad()
            label = torch.full((b_size,), real_label, dtype=real_cpu.dtype, device=device)
            output = netD(real_cpu)
            errD_real = criterion(output, label)
            errD_real.backward()
            noise = torch.randn(b_size, nz, 1, 1, device=device)
            fake = netG(noise)
            label.fill_(fake_label)
            output = netD(fake.detach())
            errD_fake = criterion(output, label)
            errD_fake.backward()
            optimizerD.step()
            # (2) Update G: maximize log(D(G(z)))
            netG.zero_grad()
            label.fill_(real_label)
            output = netD(fake)
            errG = criterion(output, label)
            errG.backward()
            optimizerG.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        float(errG.item())

    return run


def keras_models(args):
    import keras
    from keras import layers

    nz, ngf, ndf = args.latent, args.width, args.width
    conv_init = keras.initializers.RandomNormal(0.0, 0.02)
    gamma_init = keras.initializers.RandomNormal(1.0, 0.02)

    def bn():
        return layers.BatchNormalization(
            momentum=0.9, epsilon=1e-5, gamma_initializer=gamma_init
        )

    def up(filters, strides=2, padding="same"):
        return layers.Conv2DTranspose(
            filters, 4, strides=strides, padding=padding, use_bias=False,
            kernel_initializer=conv_init,
        )

    def down(filters, strides=2, padding="same"):
        return layers.Conv2D(
            filters, 4, strides=strides, padding=padding, use_bias=False,
            kernel_initializer=conv_init,
        )

    g = [keras.Input((nz,)), layers.Reshape((1, 1, nz)), up(ngf * 8, 1, "valid")]
    g += [bn(), layers.ReLU()]
    for f in (ngf * 4, ngf * 2, ngf):
        g += [up(f), bn(), layers.ReLU()]
    g += [up(3), layers.Activation("tanh")]
    d = [keras.Input((64, 64, 3)), down(ndf), layers.LeakyReLU(0.2)]
    for f in (ndf * 2, ndf * 4, ndf * 8):
        d += [down(f), bn(), layers.LeakyReLU(0.2)]
    d += [down(1, 1, "valid"), layers.Flatten()]  # logits; the loss applies the sigmoid
    return keras.Sequential(g, name="generator"), keras.Sequential(d, name="discriminator")


def kerasgan_worker(args, jit):
    import numpy as np
    import keras

    import kerasgan

    backend = keras.backend.backend()
    generator, discriminator = keras_models(args)
    gan = kerasgan.GAN(generator, discriminator, latent_dim=args.latent, seed=0)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, epsilon=1e-8),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, epsilon=1e-8),
        loss="non_saturating",
        jit_compile=jit,
    )
    rng = np.random.default_rng(0)
    pool = rng.uniform(-1, 1, (8 * args.batch, 64, 64, 3)).astype("float32")

    def run(steps, start):
        # Host-side NumPy batches; `fit()` copies each to the device.
        idx = (np.arange(steps)[:, None] + start) % 8 * args.batch
        data = pool[(idx + np.arange(args.batch)).reshape(-1)]
        gan.fit(data, batch_size=args.batch, epochs=1, shuffle=False, verbose=0)
        # Block until the device has finished the last step.
        keras.ops.convert_to_numpy(gan.generator.weights[0])
        if backend == "torch":
            import torch

            if torch.cuda.is_available():
                torch.cuda.synchronize()

    if backend == "torch":
        import torch

        torch.backends.cudnn.benchmark = True
    return run


def peak_memory(backend):
    """Peak device memory in MiB and what it measures."""
    if backend == "jax":
        import jax

        device = jax.devices()[0]
        if device.platform == "gpu":
            stats = device.memory_stats() or {}
            if "peak_bytes_in_use" in stats:
                return stats["peak_bytes_in_use"] / 2**20, "jax peak_bytes_in_use"
    else:
        import torch

        if torch.cuda.is_available():
            return torch.cuda.max_memory_allocated() / 2**20, "torch.cuda.max_memory_allocated"
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return rss, "n/a (CPU): peak RSS of the process"


def device_name(backend):
    if backend == "jax":
        import jax

        d = jax.devices()[0]
        return f"{d.platform}: {getattr(d, 'device_kind', d)}"
    import torch

    if torch.cuda.is_available():
        return f"cuda: {torch.cuda.get_device_name(0)}"
    return "cpu"


def worker_main(args):
    backend, jit = IMPLS[args.worker]
    if args.cpu_threads and backend != "jax":
        import torch

        torch.set_num_threads(args.cpu_threads)
    if backend is None:
        import torch

        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        torch.manual_seed(0)
        run = torch_reference(args, device)
        backend = "torch"
    else:
        run = kerasgan_worker(args, jit)
    versions = {}
    # Keras imports jax under every backend: list the library that trains.
    used = ("torch",) if IMPLS[args.worker][0] is None else ("keras", backend)
    for mod in used:
        if mod in sys.modules:
            versions[mod] = getattr(sys.modules[mod], "__version__", "?")
    t = time.perf_counter()
    run(args.warmup, 0)
    warmup_s = time.perf_counter() - t
    reply({"ready": True, "warmup_s": warmup_s, "device": device_name(backend),
           "versions": versions})
    done = args.warmup
    for line in sys.stdin:
        if line.strip() != "run":
            break
        load = os.getloadavg()
        t = time.perf_counter()
        run(args.steps, done)
        seconds = time.perf_counter() - t
        done += args.steps
        reply({"seconds": seconds, "images_per_s": args.steps * args.batch / seconds,
               "loadavg_before": load, "loadavg_after": os.getloadavg()})
    mib, what = peak_memory(backend)
    reply({"peak_memory_mib": mib, "peak_memory_kind": what})


def reply(obj):
    sys.stdout.write("RESULT " + json.dumps(obj) + "\n")
    sys.stdout.flush()


# ----------------------------------------------------------------------------
# The driver: start the workers, interleave the rounds, report.
# ----------------------------------------------------------------------------
class Worker:
    def __init__(self, name, argv, timeout, cpu_threads=None):
        backend, _ = IMPLS[name]
        env = dict(os.environ, XLA_PYTHON_CLIENT_PREALLOCATE="false",
                   TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND=backend or "torch")
        if cpu_threads:
            env["OMP_NUM_THREADS"] = str(cpu_threads)
            if cpu_threads == 1:
                env["XLA_FLAGS"] = (
                    env.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false"
                ).strip()
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = os.pathsep.join([root, env.get("PYTHONPATH", "")])
        self.name, self.timeout = name, timeout
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--worker", name, *argv],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        # A thread reads the results, so that a silent worker (compiling, or
        # hung) cannot block the driver past `timeout`.
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            if line.startswith("RESULT "):
                self.lines.put(json.loads(line[len("RESULT "):]))
        self.lines.put(None)

    def read(self):
        try:
            result = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            result = None
        if result is None:
            self.stop()
            raise RuntimeError(
                f"{self.name}: no result within {self.timeout:.0f} s, or the "
                f"worker stopped (exit code {self.proc.poll()}); its errors "
                "are above"
            )
        return result

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        return worker_main(args)
    impls = [s for s in args.impls.split(",") if s]
    unknown = [s for s in impls if s not in IMPLS]
    if unknown:
        raise SystemExit(f"Unknown --impls {unknown}; expected some of {list(IMPLS)}")
    passed = ["--batch", str(args.batch), "--width", str(args.width),
              "--latent", str(args.latent), "--steps", str(args.steps),
              "--warmup", str(args.warmup)]
    if args.cpu_threads:
        passed += ["--cpu-threads", str(args.cpu_threads)]
    started = time.time()
    load_start = os.getloadavg()
    workers, info, failed = {}, {}, {}
    try:
        # Started and warmed up one at a time, so that compilations do not
        # compete for the CPU. A worker that fails is reported as failed.
        for name in impls:
            workers[name] = Worker(name, passed, args.timeout, args.cpu_threads)
            try:
                info[name] = workers[name].read()
            except RuntimeError as error:
                failed[name] = str(error)
                print(f"{name}: FAILED in warm-up: {error}", flush=True)
                continue
            print(f"{name}: ready after {info[name]['warmup_s']:.1f} s of warm-up "
                  f"({info[name]['device']})", flush=True)
        running = [n for n in impls if n not in failed]
        rounds = {name: [] for name in running}
        for r in range(args.rounds if running else 0):
            order = running[r % len(running):] + running[: r % len(running)]
            for name in order:
                if name in failed:
                    continue
                workers[name].send("run")
                try:
                    result = workers[name].read()
                except RuntimeError as error:
                    failed[name] = str(error)
                    print(f"{name}: FAILED in round {r + 1}: {error}", flush=True)
                    continue
                rounds[name].append(result)
                print(f"round {r + 1}: {name}: {result['images_per_s']:.1f} images/s "
                      f"(load {result['loadavg_before'][0]:.1f})", flush=True)
        memory = {}
        for name in running:
            if name in failed:
                continue
            workers[name].send("quit")
            memory[name] = workers[name].read()
            workers[name].proc.wait(timeout=120)
    finally:
        for w in workers.values():
            w.stop()
    summary = {}
    for name in impls:
        if name in failed:
            summary[name] = {"failed": failed[name], "rounds": rounds.get(name, [])}
            continue
        speeds = sorted(r["images_per_s"] for r in rounds[name])
        summary[name] = {
            "images_per_s_median": speeds[len(speeds) // 2] if len(speeds) % 2
            else sum(speeds[len(speeds) // 2 - 1 : len(speeds) // 2 + 1]) / 2,
            "images_per_s_min": speeds[0],
            "images_per_s_max": speeds[-1],
            "peak_memory_mib": memory[name]["peak_memory_mib"],
            "peak_memory_kind": memory[name]["peak_memory_kind"],
            "warmup_s": info[name]["warmup_s"],
            "device": info[name]["device"],
            "versions": info[name]["versions"],
            "rounds": rounds[name],
        }
    ref = summary.get("pytorch_reference", {}).get("images_per_s_median")
    print()
    print(f"DCGAN 64x64, batch {args.batch}, ngf=ndf={args.width}, nz={args.latent}; "
          f"{args.rounds} rounds of {args.steps} steps after {args.warmup} warm-up steps")
    print("| implementation | device | images/s (median) | range | vs reference | peak memory |")
    print("|---|---|---:|---:|---:|---|")
    for name in impls:
        s = summary[name]
        if "failed" in s:
            print(f"| {name} | - | failed | - | - | - |")
            continue
        ratio = f"{s['images_per_s_median'] / ref:.2f}x" if ref else "-"
        print(f"| {name} | {s['device']} | {s['images_per_s_median']:.1f} | "
              f"{s['images_per_s_min']:.1f}-{s['images_per_s_max']:.1f} | {ratio} | "
              f"{s['peak_memory_mib']:.0f} MiB ({s['peak_memory_kind']}) |")
    load_end = os.getloadavg()
    print(f"load average: {load_start[0]:.1f} at start, {load_end[0]:.1f} at end "
          f"({os.cpu_count()} CPUs); {time.time() - started:.0f} s in all")
    if args.out:
        record = {
            "command": "python benchmarks/gpu_dcgan.py " + " ".join(argv or sys.argv[1:]),
            "settings": {k: v for k, v in vars(args).items() if k != "worker"},
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                        "python": platform.python_version()},
            "loadavg_start": load_start,
            "loadavg_end": load_end,
            "results": summary,
        }
        with open(args.out, "w") as f:
            json.dump(record, f, indent=1)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
