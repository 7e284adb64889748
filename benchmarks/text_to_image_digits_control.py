"""Control for `text_to_image_digits.py`: can a class-conditional GAN draw
the digit at all in the same budget?

A `ConditionalGAN` (`dcgan_generator`/`dcgan_discriminator`, 32x32x3,
`base_filters=32`, `latent_dim=64`, Adam(2e-4, beta_1=0.5), batch 64) on
the same 9,000 captioned-digit images at 32x32 (`captioned_digits(split=
"test", seed=0)`), conditioned on the digit *label* instead of a caption.
After every epoch (141 steps) it draws one image per held-out image's
digit (the last 1,000, seed 1) and reads the digit back with
`datasets.read_digit_attributes` (the MNIST classifier of
`metrics.train_mnist_classifier`, 3 epochs on the 10,000 MNIST test digits,
seed 0). If this also stays at chance, the text-to-image GAN's missing
digit is the generator's and the budget's problem, not the text's.

Usage (12 epochs = 1,692 steps, Stage I's old budget; base filters 32):

KERASGAN_DATA_DIR=/work/shared/data python benchmarks/text_to_image_digits_control.py 12 32
"""

import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import kerasgan  # noqa: E402
from kerasgan import architectures as A  # noqa: E402

N = 9000
EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 12
BF = int(sys.argv[2]) if len(sys.argv) > 2 else 32
small, captions, attributes, vocab = kerasgan.datasets.captioned_digits(
    image_size=32, seed=0, split="test"
)
digits, labels = kerasgan.datasets.mnist(split="test")
clf = kerasgan.metrics.train_mnist_classifier(digits, labels, epochs=3, seed=0)
keras.utils.set_random_seed(0)
g = A.dcgan_generator(64, (32, 32, 3), base_filters=BF, num_classes=10)
d = A.dcgan_discriminator((32, 32, 3), base_filters=BF, num_classes=10)
gan = kerasgan.ConditionalGAN(g, d, latent_dim=64, num_classes=10, seed=0)
gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
y = attributes["digit"][:N]
t = time.time()
for ep in range(EPOCHS):
    h = gan.fit(small[:N], y, batch_size=64, epochs=1, verbose=0)
    imgs = gan.generate(1000, labels=attributes["digit"][N:], seed=1)
    r = kerasgan.datasets.read_digit_attributes(imgs, clf)
    print("epoch", ep + 1, "steps", (ep + 1) * 141, "t", round(time.time() - t),
          "digit acc", np.mean(r["digit"] == attributes["digit"][N:]),
          {k: round(float(v[-1]), 3) for k, v in h.history.items()},
          os.getloadavg(), flush=True)
