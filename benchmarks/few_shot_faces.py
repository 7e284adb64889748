"""Faces from 100 images: a DCGAN with and without DiffAugment / ADA.

Trains the same DCGAN (32x32 grey, `base_filters=32`, Adam 2e-4, batch 25)
on the 100 LFW faces of `kerasgan.datasets.lfw_faces` for `--steps`
training steps, with `augment=None`, `DiffAugment()` and
`AdaptiveAugment(speed=20_000)`, for several seeds, and reports per run:

- `d_real` / `d_fake` at the end (the last epoch's means): a discriminator
  that has memorised the 100 faces calls them real with certainty;
- FID between 1,000 generated faces and the 100 real ones in the feature
  space of a face / non-face classifier trained on scikit-image's 200 LFW
  crops (`train_mnist_classifier` on faces and non-faces; the InceptionV3
  weights cannot be downloaded offline). With only 100 real images FID is
  biased upwards; the bias is the same for every run, so compare runs,
  not with published numbers;
- memorisation: the median over generated images of the RMS pixel distance
  to the nearest training face, next to the same distance between real
  training faces (leave-one-out). Copies of the training set would give a
  distance near 0.

Usage:

```
python benchmarks/few_shot_faces.py                   # 3 seeds, 2000 steps
python benchmarks/few_shot_faces.py --seeds 0 --steps 500
```

Needs scikit-image (`pip install "kerasgan[faces]"`). Results:
`benchmarks/results/few_shot_faces.md`.
"""

import argparse
import os
import time

import numpy as np
import keras

import kerasgan
from kerasgan.metrics import ClassifierFeatures, frechet_distance, train_mnist_classifier


def face_classifier():
    faces, non_faces = kerasgan.datasets.lfw_faces(32, include_non_faces=True)
    images = np.concatenate([faces, non_faces])
    labels = np.repeat([1, 0], 100)
    model = train_mnist_classifier(images, labels, num_classes=2, epochs=30, batch_size=20, seed=0)
    return ClassifierFeatures(model, layer_name="features")


def run(augment_name, seed, steps, faces, features, real_features):
    keras.utils.set_random_seed(seed)
    augment = {
        "none": None,
        "DiffAugment": kerasgan.augment.DiffAugment(),
        "ADA": kerasgan.augment.AdaptiveAugment(speed=20_000),
    }[augment_name]
    gen = kerasgan.architectures.dcgan_generator(64, (32, 32, 1), base_filters=32)
    disc = kerasgan.architectures.dcgan_discriminator((32, 32, 1), base_filters=32)
    gan = kerasgan.GAN(gen, disc, latent_dim=64, seed=seed, augment=augment)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    start = time.perf_counter()
    history = gan.fit(faces, batch_size=25, epochs=steps // 4, verbose=0).history
    seconds = time.perf_counter() - start
    fake = gan.generate(1000, seed=1234)
    fake_features = features(fake)
    fid = frechet_distance(real_features, fake_features)
    f, g = faces.reshape(100, -1), fake.reshape(1000, -1)
    nn = np.sqrt(((g[:, None] - f[None]) ** 2).mean(-1).min(1))
    return {
        "augment": augment_name,
        "seed": seed,
        "seconds": seconds,
        "d_real": history["d_real"][-1],
        "d_fake": history["d_fake"][-1],
        "augment_p": history.get("augment_p", [float("nan")])[-1],
        "fid": fid,
        "nn": float(np.median(nn)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--augments", nargs="+", default=["none", "DiffAugment", "ADA"])
    args = parser.parse_args()
    faces = kerasgan.datasets.lfw_faces(32)
    features = face_classifier()
    real_features, real_probabilities = features.features_and_probabilities(faces)
    f = faces.reshape(100, -1)
    d = ((f[:, None] - f[None]) ** 2).mean(-1)
    np.fill_diagonal(d, np.inf)
    print(
        f"backend={keras.backend.backend()} steps={args.steps} cpus={os.cpu_count()}; "
        f"classifier calls {np.mean(real_probabilities[:, 1] > 0.5):.0%} of the real faces faces; "
        f"real->real nearest-neighbour RMS distance (median) {np.median(np.sqrt(d.min(1))):.3f}"
    )
    print("| augment | seed | d_real | d_fake | p | FID (face features) | NN distance | time |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    rows = []
    for seed in args.seeds:
        for name in args.augments:
            r = run(name, seed, args.steps, faces, features, real_features)
            rows.append(r)
            print(
                f"| {r['augment']} | {r['seed']} | {r['d_real']:.2f} | {r['d_fake']:.2f} | "
                f"{r['augment_p']:.2f} | {r['fid']:.2f} | {r['nn']:.3f} | "
                f"{r['seconds']:.0f} s |",
                flush=True,
            )
    print("\nMeans over seeds:")
    for name in args.augments:
        sel = [r for r in rows if r["augment"] == name]
        print(
            f"- {name}: FID {np.mean([r['fid'] for r in sel]):.2f} "
            f"(sd {np.std([r['fid'] for r in sel]):.2f}), d_real - d_fake "
            f"{np.mean([r['d_real'] - r['d_fake'] for r in sel]):.2f}, NN distance "
            f"{np.mean([r['nn'] for r in sel]):.3f}"
        )


if __name__ == "__main__":
    main()
