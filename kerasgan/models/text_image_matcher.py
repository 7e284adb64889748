"""`TextImageMatcher`: pretrains a text encoder to match images."""

import copy

import numpy as np
import keras
from keras import ops

from kerasgan import _arguments
from kerasgan.api_export import kerasgan_export


@kerasgan_export
class TextImageMatcher(keras.Model):
    """Trains a text encoder and an image encoder to match (Reed et al.,
    2016), by plain `fit()`.

    Both encoders map into one space; for a batch of `n` (image, caption)
    pairs the model returns the `n x n` matrix of cosine similarities over
    `temperature` (image `i` against caption `j`), and the loss is the
    symmetric cross-entropy that picks each image's own caption among the
    batch's captions and each caption's own image among the images (the
    joint-embedding objective of Reed et al., 2016, in its contrastive
    form). The trained text encoder then conditions a
    `kerasgan.TextToImageGAN`: captions that describe similar images get
    similar embeddings.

    Data: `fit((images, token_ids))` with no targets; `compile()` needs only
    an optimizer.

    Args:
        text_encoder: a Keras model `token_ids -> embedding`.
        image_encoder: a Keras model `images -> embedding` of the same size.
        temperature: the similarities' divisor, a positive number. Defaults
            to `0.1`.
        **kwargs: passed to `keras.Model` (e.g. `name`).

    Example:

    ```python
    images, captions, _, vocabulary = kerasgan.datasets.captioned_digits(
        num_samples=64, image_size=16, seed=0, data_dir="data"
    )
    tokenize = kerasgan.models.text_to_image_gan.tokenize
    token_ids = tokenize(captions[:, 0], vocabulary, 16)
    text = kerasgan.architectures.text_encoder(len(vocabulary), 16)
    image = kerasgan.architectures.image_encoder((16, 16, 3))
    matcher = kerasgan.models.TextImageMatcher(text, image)
    matcher.compile(optimizer=keras.optimizers.Adam(1e-3))
    matcher.fit((images, token_ids), batch_size=32, epochs=1, verbose=0)
    matcher.retrieval_accuracy(images, token_ids)  # a float in [0, 1]
    ```

    Reference:
        - [Reed et al., 2016](https://arxiv.org/abs/1605.05395)
    """

    def __init__(self, text_encoder, image_encoder, temperature=0.1, **kwargs):
        super().__init__(**kwargs)
        self.text_encoder = _arguments.check_model("text_encoder", text_encoder)
        self.image_encoder = _arguments.check_model("image_encoder", image_encoder)
        self.temperature = _arguments.check_number(
            "temperature", temperature, 0, None, min_open=True
        )

    def call(self, inputs, training=False):
        """The similarity logits `(n_images, n_captions)` of `(images,
        token_ids)`."""
        images, token_ids = inputs
        v = _normalize(self.image_encoder(images, training=training))
        t = _normalize(self.text_encoder(token_ids, training=training))
        return ops.matmul(v, ops.transpose(t)) / self.temperature

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None,
                     training=True):
        """The symmetric contrastive loss of the similarity logits."""
        logits = ops.cast(y_pred, "float32")
        targets = ops.arange(ops.shape(logits)[0])
        rows = keras.losses.sparse_categorical_crossentropy(
            targets, logits, from_logits=True
        )
        columns = keras.losses.sparse_categorical_crossentropy(
            targets, ops.transpose(logits), from_logits=True
        )
        return 0.5 * (ops.mean(rows) + ops.mean(columns))

    def retrieval_accuracy(self, images, token_ids, batch_size=256):
        """How often each image's own caption is the most similar of all
        `token_ids` (an image's duplicate captions count as right).

        Returns:
            A float in [0, 1].
        """
        v = np.concatenate([
            ops.convert_to_numpy(_normalize(self.image_encoder(images[i : i + batch_size])))
            for i in range(0, len(images), batch_size)
        ])
        t = np.concatenate([
            ops.convert_to_numpy(_normalize(self.text_encoder(token_ids[i : i + batch_size])))
            for i in range(0, len(token_ids), batch_size)
        ])
        best = np.argmax(v @ t.T, axis=1)
        token_ids = np.asarray(token_ids)
        return float(np.mean(np.all(token_ids[best] == token_ids, axis=1)))

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "text_encoder": keras.saving.serialize_keras_object(self.text_encoder),
            "image_encoder": keras.saving.serialize_keras_object(self.image_encoder),
            "temperature": self.temperature,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)
        for key in ("text_encoder", "image_encoder"):
            config[key] = keras.saving.deserialize_keras_object(
                config[key], custom_objects=custom_objects
            )
        return cls(**config)


def _normalize(x):
    x = ops.cast(x, "float32")
    return x / ops.sqrt(ops.sum(ops.square(x), axis=-1, keepdims=True) + 1e-12)
