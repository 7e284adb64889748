"""How well does the pretrained text encoder separate the digits?

Trains the benchmark's `TextImageMatcher` (text encoder: mean-pooled word
vectors, 64-d; image encoder at 32x32; Adam(1e-3), batch 128, seed 0) on
the 27,000 training image-caption pairs and, after each number of epochs
given on the command line (cumulative), prints:

- held-out retrieval (an image's own caption is the closest of the 1,000);
- the linear probe of the digit from the embedding of held-out captions
  (the benchmark's `text_embedding_probe`);
- over the 3,000 held-out captions' embeddings: the mean distance to their
  digit's centroid (`within`), the distance between the centroids of 3 and
  5 and of 7 and 9, and the smallest and mean distance between two digits'
  centroids. A probe can read a digit whose centroids lie well inside each
  other's spread; the generator has to draw it from there.

Usage (from the repository root):
KERASGAN_DATA_DIR=/work/shared/data KERAS_BACKEND=jax PYTHONPATH=$PWD \
    python benchmarks/text_to_image_digits_explore/matcher_epochs.py 2 5 10 20
"""

import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import kerasgan  # noqa: E402
from kerasgan import architectures as A  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import text_to_image_digits as bench  # noqa: E402

tokenize = kerasgan.models.text_to_image_gan.tokenize


def main():
    small, captions, attributes, vocabulary = kerasgan.datasets.captioned_digits(
        image_size=32, seed=0, split="test"
    )
    n, k = bench.N_TRAIN, captions.shape[1]
    images = np.concatenate([small[:n]] * k)
    ids = tokenize(captions[:n].T.reshape(-1), vocabulary, bench.LENGTH)
    held_ids = tokenize(list(captions[n:, 0]), vocabulary, bench.LENGTH)
    all_held_ids = tokenize(list(captions[n:].reshape(-1)), vocabulary, bench.LENGTH)
    digit = np.repeat(attributes["digit"][n:], k)
    train_ids = tokenize(list(captions[:n, 0]), vocabulary, bench.LENGTH)

    keras.utils.set_random_seed(0)
    encoder = A.text_encoder(len(vocabulary), bench.LENGTH, embedding_dim=64)
    matcher = kerasgan.models.TextImageMatcher(encoder, A.image_encoder((32, 32, 3), 64))
    matcher.compile(optimizer=keras.optimizers.Adam(1e-3))
    done = 0
    for epochs in [int(a) for a in sys.argv[1:]]:
        start = time.time()
        matcher.fit((images, ids), batch_size=128, epochs=epochs, initial_epoch=done,
                    verbose=0)
        done = epochs
        e = encoder.predict(all_held_ids, verbose=0)
        centroids = np.stack([e[digit == d].mean(0) for d in range(10)])
        within = np.mean([np.linalg.norm(e[digit == d] - centroids[d], axis=1).mean()
                          for d in range(10)])
        between = np.linalg.norm(centroids[:, None] - centroids[None], axis=-1)
        off = between[~np.eye(10, dtype=bool)]
        probe = bench.linear_probe(encoder.predict(train_ids, verbose=0),
                                   attributes["digit"][:n],
                                   encoder.predict(held_ids, verbose=0),
                                   attributes["digit"][n:])
        print(epochs, f"s {time.time() - start:.0f}",
              f"retrieval {matcher.retrieval_accuracy(small[n:], held_ids):.3f}",
              f"probe {probe:.3f} within {within:.3f} d35 {between[3, 5]:.3f}",
              f"d79 {between[7, 9]:.3f} min {off.min():.3f} mean {off.mean():.3f}",
              flush=True)


if __name__ == "__main__":
    main()
