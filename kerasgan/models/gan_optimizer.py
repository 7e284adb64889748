"""The pair of optimizers that a GAN presents to Keras as `model.optimizer`."""

import keras

from kerasgan.api_export import kerasgan_export


@kerasgan_export
class GANOptimizer(keras.optimizers.Optimizer):
    """Holds the discriminator's and the generator's optimizers as one.

    Keras trainers know one `model.optimizer`. On JAX the trainer threads only
    `model.optimizer.variables` through the compiled step, so this object
    exposes the variables of both optimizers, in a fixed order, and each
    sub-optimizer updates its own slice. It is created by `GAN.compile()`;
    users never build one. It applies no gradients itself.

    Args:
        d_optimizer: the discriminator's optimizer.
        g_optimizer: the generator's optimizer.

    Example:

    ```python
    gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    gan.optimizer.d_optimizer is gan.d_optimizer  # True
    # Both optimizers' state, as `ModelCheckpoint` and the JAX trainer see it:
    n_vars = len(gan.optimizer.variables)
    ```
    """

    def __init__(self, d_optimizer, g_optimizer, name="gan_optimizer"):
        super().__init__(learning_rate=0.0, name=name)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    @property
    def variables(self):
        return list(self.d_optimizer.variables) + list(
            self.g_optimizer.variables
        )

    @property
    def iterations(self):
        # One per training batch: the discriminator updates once per batch.
        return self.d_optimizer.iterations

    def build(self, variables=None):
        self.built = True

    def finalize_variable_values(self, var_list):
        # Each sub-optimizer finalizes its own variables (e.g. EMA weights);
        # the GAN calls them directly.
        pass

    def apply(self, grads, trainable_variables=None):
        raise NotImplementedError(
            "GANOptimizer applies no gradients: the GAN's train_step uses "
            "`d_optimizer` and `g_optimizer` directly."
        )

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        raise NotImplementedError(
            "GANOptimizer applies no gradients: the GAN's train_step uses "
            "`d_optimizer` and `g_optimizer` directly."
        )

    # The sub-optimizers are saved as the GAN's `d_optimizer` and
    # `g_optimizer`; saving them here too would store every slot twice.
    def save_own_variables(self, store):
        pass

    def load_own_variables(self, store):
        pass

    def get_config(self):
        return {
            "name": self.name,
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(
            keras.optimizers.deserialize(config["d_optimizer"]),
            keras.optimizers.deserialize(config["g_optimizer"]),
            name=config.get("name", "gan_optimizer"),
        )
