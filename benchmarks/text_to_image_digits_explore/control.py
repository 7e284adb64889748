import os, time, sys
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras, kerasgan
from kerasgan import architectures as A
N=9000
EPOCHS=int(sys.argv[1]) if len(sys.argv)>1 else 3
BF=int(sys.argv[2]) if len(sys.argv)>2 else 32
small, captions, attributes, vocab = kerasgan.datasets.captioned_digits(image_size=32, seed=0, split="test")
digits, labels = kerasgan.datasets.mnist(split="test")
if os.path.exists("_scratch/clf.keras"):
    clf = keras.models.load_model("_scratch/clf.keras")
else:
    clf = kerasgan.metrics.train_mnist_classifier(digits, labels, epochs=3, seed=0); clf.save("_scratch/clf.keras")
keras.utils.set_random_seed(0)
g = A.dcgan_generator(64, (32,32,3), base_filters=BF, num_classes=10)
d = A.dcgan_discriminator((32,32,3), base_filters=BF, num_classes=10)
gan = kerasgan.ConditionalGAN(g, d, latent_dim=64, num_classes=10, seed=0)
gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
y = attributes["digit"][:N]
t=time.time()
for ep in range(EPOCHS):
    h = gan.fit(small[:N], y, batch_size=64, epochs=1, verbose=0)
    imgs = gan.generate(1000, labels=attributes["digit"][N:], seed=1)
    r = kerasgan.datasets.read_digit_attributes(imgs, clf)
    print("epoch", ep+1, "steps", (ep+1)*141, "t", round(time.time()-t), "digit acc", np.mean(r["digit"]==attributes["digit"][N:]), {k: round(float(v[-1]),3) for k,v in h.history.items()}, os.getloadavg(), flush=True)
np.save("_scratch/control_imgs.npy", imgs[:16])
