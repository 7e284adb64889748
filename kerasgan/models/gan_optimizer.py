"""The pair of optimizers that a GAN presents to Keras as `model.optimizer`."""

import keras

from kerasgan.api_export import kerasgan_export


@kerasgan_export
class GANOptimizer(keras.optimizers.Optimizer):
    """Holds the discriminator's and the generator's optimizers as one.

    Keras trainers and callbacks know one `model.optimizer`. This object is
    that optimizer for a GAN, and it honours Keras' contract for a model
    with several optimizers:

    - `optimizers` lists the two players' optimizers (unwrapped from
      `keras.optimizers.LossScaleOptimizer` under mixed precision), so
      `keras.callbacks.LearningRateScheduler`, `ReduceLROnPlateau` and
      `TensorBoard` set and log both learning rates (as
      `learning_rate_<optimizer name>`).
    - `finalize_variable_values` lets each optimizer finalize its own
      model's variables, so `use_ema=True` on either optimizer leaves the
      exponential moving average in that model's weights after `fit()`, as
      on any Keras model.
    - `iterations` counts the GAN's training steps: one per batch, however
      many updates each player made in it (and whether a loss-scale
      optimizer skipped one). It drives `d_steps`, the schedules of the
      callbacks and their step numbers, and is saved with the model.
    - `variables` are this counter followed by both optimizers' variables,
      in a fixed order, which is what the JAX trainer threads through the
      compiled step.

    It is created by `GAN.compile()`; users never build one. It applies no
    gradients itself: the GAN's training step calls `d_optimizer` and
    `g_optimizer`.

    Args:
        d_optimizer: the discriminator's optimizer.
        g_optimizer: the generator's optimizer.
        name: the optimizer's name. Defaults to `"gan_optimizer"`.

    Example:

    ```python
    gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    gan.optimizer.d_optimizer is gan.d_optimizer  # True
    len(gan.optimizer.optimizers)  # 2: what Keras' callbacks act on
    int(gan.optimizer.iterations)  # training steps taken so far: 0
    ```
    """

    def __init__(self, d_optimizer, g_optimizer, name="gan_optimizer"):
        super().__init__(learning_rate=0.0, name=name)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self._player_variables = None

    @property
    def optimizers(self):
        """The two players' optimizers, `[d_optimizer, g_optimizer]`.

        Unwrapped from `LossScaleOptimizer`: setting `learning_rate` on them
        (as Keras' learning-rate callbacks do) changes the rate used.
        """
        return [unwrap_loss_scale(self.d_optimizer), unwrap_loss_scale(self.g_optimizer)]

    @property
    def variables(self):
        return (
            list(self._variables)
            + list(self.d_optimizer.variables)
            + list(self.g_optimizer.variables)
        )

    def build(self, d_variables=None, g_variables=None):
        """Builds both optimizers for their players' trainable variables.

        Args:
            d_variables: the discriminator's trainable variables.
            g_variables: the generator's trainable variables.
        """
        if d_variables is not None and g_variables is not None:
            self.d_optimizer.build(list(d_variables))
            self.g_optimizer.build(list(g_variables))
            self._player_variables = (list(d_variables), list(g_variables))
        self.built = True

    def finalize_variable_values(self, var_list):
        # Each optimizer finalizes the variables it was built for (e.g.
        # writes its EMA into them); Keras calls this at the end of `fit()`.
        if self._player_variables is None:
            return
        for optimizer, variables in zip(
            (self.d_optimizer, self.g_optimizer), self._player_variables
        ):
            if variables:
                optimizer.finalize_variable_values(variables)

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
    # `g_optimizer`; this object saves only the step counter.
    def save_own_variables(self, store):
        store["iterations"] = keras.ops.convert_to_numpy(self._iterations)

    def load_own_variables(self, store):
        if "iterations" in store.keys():
            self._iterations.assign(store["iterations"])
        else:
            # Files saved by kerasgan 0.1 have no counter; there the
            # discriminator updated once per step, so its count is the
            # step count (`d_optimizer` loads first: names sort before
            # `optimizer`).
            self._iterations.assign(
                keras.ops.convert_to_numpy(self.d_optimizer.iterations)
            )

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


def unwrap_loss_scale(optimizer):
    """The optimizer inside a `LossScaleOptimizer`, or `optimizer` itself."""
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return optimizer.inner_optimizer
    return optimizer
