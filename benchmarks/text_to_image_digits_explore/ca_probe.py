import os, sys
os.environ.setdefault("KERAS_BACKEND", "tensorflow"); os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras, kerasgan
from kerasgan.models.text_to_image_gan import tokenize
N=9000
small, captions, attributes, vocab = kerasgan.datasets.captioned_digits(image_size=32, seed=0, split="test")
gan = keras.models.load_model(sys.argv[1])
tr = list(captions[:N,0]); ho = list(captions[N:,0])
def cond(c, rng):
    e = gan.embed(c); mu, lv = gan.condition_distribution(e); mu=np.asarray(mu); lv=np.asarray(lv)
    return e, mu, lv, mu + np.exp(lv/2)*rng.standard_normal(mu.shape)
rng=np.random.default_rng(0)
e, mu, lv, c = cond(tr, rng); eh, muh, lvh, ch = cond(ho, rng)
print("mean |mu|", np.abs(mu).mean(), "rms mu", np.sqrt((mu**2).mean()), "mean sigma", np.exp(lv/2).mean())
for a in ("digit","colour","position"):
    y=attributes[a][:N]; yh=attributes[a][N:]
    for name, X, Xh in (("embedding", e, eh), ("mu", mu, muh), ("sample c", c, ch)):
        m = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(int(y.max()+1))])
        m.compile(keras.optimizers.Adam(1e-2), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        m.fit(X, y, epochs=10, batch_size=256, verbose=0)
        print(a, name, "linear probe held-out acc", round(float(np.mean(np.argmax(m.predict(Xh, verbose=0),1)==yh)),3))
