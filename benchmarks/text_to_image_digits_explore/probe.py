import os, time, sys
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras, kerasgan
from kerasgan import architectures as A
from kerasgan.models.text_to_image_gan import tokenize
N=9000; L=16
small, captions, attributes, vocab = kerasgan.datasets.captioned_digits(image_size=32, seed=0, split="test")
k = captions.shape[1]
texts = captions[:N].T.reshape(-1)
x = np.concatenate([small[:N]]*k)
held = list(captions[N:,0])
ids = tokenize(texts, vocab, L); hid = tokenize(held, vocab, L)
print("vocab", len(vocab), vocab)
print("seven", vocab.index("seven"), "7", vocab.index("7"))
print("held-out unk count", int((hid==1).sum()), "train unk", int((ids==1).sum()))
ytr = {a: np.concatenate([attributes[a][:N]]*k) for a in attributes}
yho = {a: attributes[a][N:] for a in attributes}
def probe(enc, tag):
    e = enc.predict(ids, batch_size=1024, verbose=0); eh = enc.predict(hid, batch_size=1024, verbose=0)
    out = {}
    for a in ("digit","colour","size","position","stroke"):
        c = np.stack([e[ytr[a]==v].mean(0) for v in range(ytr[a].max()+1)])
        pred = np.argmin(((eh[:,None]-c[None])**2).sum(-1),1)
        # linear probe
        m = keras.Sequential([keras.Input((e.shape[1],)), keras.layers.Dense(int(ytr[a].max()+1))])
        m.compile(keras.optimizers.Adam(1e-2), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        m.fit(e, ytr[a], epochs=5, batch_size=256, verbose=0)
        lp = np.argmax(m.predict(eh, verbose=0),1)
        # variance share: between-class variance / total
        share = float(((c[ytr[a]]-e.mean(0))**2).sum()/((e-e.mean(0))**2).sum())
        out[a] = (round(float(np.mean(pred==yho[a])),3), round(float(np.mean(lp==yho[a])),3), round(share,3))
    print(tag, "(nearest-centroid, linear, between-class var share)", out, flush=True)
keras.utils.set_random_seed(0)
enc = A.text_encoder(len(vocab), L, embedding_dim=64)
probe(enc, "random-init")
matcher = kerasgan.models.TextImageMatcher(enc, A.image_encoder((32,32,3),64))
matcher.compile(optimizer=keras.optimizers.Adam(1e-3))
t=time.time()
matcher.fit((x, ids), batch_size=128, epochs=2, verbose=0)
print("matcher 2 ep", time.time()-t, "retrieval", matcher.retrieval_accuracy(small[N:], hid), os.getloadavg())
probe(enc, "matcher-2ep")
# image side: does the image encoder know digits?
ie = matcher.image_encoder.predict(small[:N], verbose=0); ieh = matcher.image_encoder.predict(small[N:], verbose=0)
for a in ("digit","colour"):
    y=attributes[a][:N]; c=np.stack([ie[y==v].mean(0) for v in range(y.max()+1)])
    print("image enc nearest centroid", a, np.mean(np.argmin(((ieh[:,None]-c[None])**2).sum(-1),1)==attributes[a][N:]))
enc.save("_scratch/enc_matcher2.keras")
