import os
os.environ.setdefault("KERAS_BACKEND", "tensorflow"); os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras, kerasgan
small, captions, attributes, vocab = kerasgan.datasets.captioned_digits(image_size=32, seed=0, split="test")
clf = keras.models.load_model("_scratch/clf.keras")
x = small[9000:]; y = attributes["digit"][9000:]
rng = np.random.default_rng(0)
for name, z in [("real", x), ("bg -0.85", np.maximum(x, -0.85)), ("noise 0.05", np.clip(x + rng.normal(0, 0.05, x.shape), -1, 1)),
                ("noise 0.1", np.clip(x + rng.normal(0, 0.1, x.shape), -1, 1)), ("blur-ish", x)]:
    r = kerasgan.datasets.read_digit_attributes(z, clf)
    print(name, {a: round(float(np.mean(r[a]==attributes[a][9000:])),3) for a in r})
