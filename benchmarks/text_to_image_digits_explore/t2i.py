import os, time, sys, argparse
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras, kerasgan
from kerasgan import architectures as A
from kerasgan.models.text_to_image_gan import tokenize
p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=4)
p.add_argument("--kl", type=float, default=1.0)
p.add_argument("--cd", type=int, default=64)
p.add_argument("--gbf", type=int, default=16)
p.add_argument("--dbf", type=int, default=16)
p.add_argument("--aware", type=int, default=1)
p.add_argument("--enc", default="_scratch/enc_matcher2.keras")
p.add_argument("--tag", default="x")
p.add_argument("--cond", default="concatenate")
p.add_argument("--dlr", type=float, default=2e-4)
p.add_argument("--mismatch", default="roll")
a = p.parse_args()
N=9000; L=16
small, captions, attributes, vocab = kerasgan.datasets.captioned_digits(image_size=32, seed=0, split="test")
k = captions.shape[1]
x = np.concatenate([small[:N]]*k); texts = captions[:N].T.reshape(-1)
held = list(captions[N:,0]); ids = tokenize(texts, vocab, L)
truth = {b: attributes[b][N:] for b in ("digit","colour","size","position","stroke")}
clf = keras.models.load_model("_scratch/clf.keras")
enc = keras.models.load_model(a.enc); enc.trainable=False
keras.utils.set_random_seed(0)
gen = A.text_to_image_generator(64, a.cd, (32,32,3), base_filters=a.gbf)
disc = A.text_to_image_discriminator((32,32,3), 64, base_filters=a.dbf, conditioning=a.cond)
gan = kerasgan.TextToImageGAN(enc, gen, disc, latent_dim=64, vocabulary=vocab, condition_dim=a.cd, kl_weight=a.kl, matching_aware=bool(a.aware), mismatch=a.mismatch, seed=0)
gan.compile(d_optimizer=keras.optimizers.Adam(a.dlr, beta_1=0.5), g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
t=time.time()
for ep in range(a.epochs):
    h = gan.fit(x, ids, batch_size=64, epochs=1, verbose=0)
    imgs = gan.generate(held, seed=1)
    r = kerasgan.datasets.read_digit_attributes(imgs, clf)
    acc = {b: round(float(np.mean(r[b]==truth[b])),3) for b in truth}
    print(a.tag, "epoch", ep+1, "t", round(time.time()-t), acc, {kk: round(float(v[-1]),3) for kk,v in h.history.items()}, [round(l,1) for l in os.getloadavg()], flush=True)
np.save(f"_scratch/imgs_{a.tag}.npy", imgs[:16])
gan.save(f"_scratch/gan_{a.tag}.keras")
