"""What one `fit()` does: logs, update counts, modes, inputs, precision, seeds."""

import warnings

import numpy as np
import pytest
import keras

import kerasgan
from gan_testing import (
    BACKEND,
    SLOW,
    compiled_gan,
    optimizer_state,
    tiny_data,
    tiny_discriminator,
    tiny_generator,
    weights_of,
)


def test_history_has_epoch_means_of_all_logs():
    # A frozen linear discriminator (lr 0) makes each batch's D(x) known:
    # batch i holds samples equal to c_i, so d_real(batch i) = sigmoid(3 c_i).
    x_in = keras.Input((3,))
    dense = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")
    disc = keras.Model(x_in, dense(x_in))
    gan = kerasgan.GAN(tiny_generator(), disc, latent_dim=4)
    gan.compile(
        d_optimizer=keras.optimizers.SGD(0.0),
        g_optimizer=keras.optimizers.Adam(1e-3),
    )
    levels = np.array([-0.6, -0.2, 0.3, 0.8], "float32")
    x = np.repeat(levels, 8)[:, None] * np.ones((1, 3), "float32")
    history = gan.fit(x, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert set(history.history) >= {"d_loss", "g_loss", "d_real", "d_fake"}
    expected = np.mean(1 / (1 + np.exp(-3 * levels)))
    # The epoch mean, not the last batch's value, in both epochs (reset).
    np.testing.assert_allclose(history.history["d_real"], [expected] * 2, rtol=1e-5)
    assert abs(expected - 1 / (1 + np.exp(-3 * levels[-1]))) > 0.1


def test_d_steps_counts_updates_exactly():
    gan = compiled_gan(d_steps=5)
    gan.fit(tiny_data(80), batch_size=8, epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 10
    assert int(gan.g_optimizer.iterations) == 2


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_both_players_learn(update):
    gan = compiled_gan(update=update)
    g_before = weights_of(gan.generator)
    d_before = weights_of(gan.discriminator)
    gan.fit(tiny_data(), batch_size=16, epochs=1, verbose=0)
    assert any(not np.array_equal(a, b) for a, b in zip(g_before, weights_of(gan.generator)))
    assert any(not np.array_equal(a, b) for a, b in zip(d_before, weights_of(gan.discriminator)))
    assert int(gan.g_optimizer.iterations) == 4


def test_alternating_updates_generator_against_updated_discriminator():
    # With D's learning rate 0 the two modes see the same D; with a large D
    # learning rate the alternating generator step sees a different D.
    results = {}
    for update in ("alternating", "simultaneous"):
        keras.utils.set_random_seed(3)
        gan = compiled_gan(update=update, lr=0.5, seed=3)
        gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0, shuffle=False)
        results[update] = weights_of(gan.generator)
    assert any(
        not np.allclose(a, b) for a, b in zip(results["alternating"], results["simultaneous"])
    )


def test_simultaneous_requires_single_d_step():
    with pytest.raises(ValueError, match="Received: d_steps=2"):
        compiled_gan(update="simultaneous", d_steps=2)


@pytest.mark.parametrize("cls", [kerasgan.WGAN, kerasgan.WGANGP])
def test_wasserstein_variants_log_their_extras(cls):
    gan = cls(tiny_generator(batch_norm=False), tiny_discriminator(), latent_dim=4)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3), d_steps=2
    )
    history = gan.fit(tiny_data(), batch_size=16, epochs=1, verbose=0)
    assert "w_distance" in history.history
    if cls is kerasgan.WGANGP:
        assert history.history["gp"][0] > 0
    else:
        for w in gan.discriminator.trainable_weights:
            assert np.abs(keras.ops.convert_to_numpy(w)).max() <= gan.clip_value + 1e-7


def test_wgan_gp_penalty_matches_closed_form():
    # For a linear critic c(x) = w.x + b, grad_x c = w everywhere, so the
    # penalty is exactly (||w|| - 1)^2 whatever the interpolates.
    x_in = keras.Input((3,))
    critic = keras.Model(x_in, keras.layers.Dense(1, kernel_initializer="ones")(x_in))
    gan = kerasgan.WGANGP(tiny_generator(batch_norm=False), critic, latent_dim=4, gp_weight=10.0)
    gan.compile(
        d_optimizer=keras.optimizers.SGD(0.0), g_optimizer=keras.optimizers.SGD(0.0)
    )
    history = gan.fit(tiny_data(16), batch_size=16, epochs=1, verbose=0)
    np.testing.assert_allclose(history.history["gp"][0], (np.sqrt(3) - 1) ** 2, rtol=1e-4)


def test_wgan_gp_gradient_flows_through_the_penalty():
    # Only the penalty depends on ||w||: with equal real and fake data the
    # Wasserstein term vanishes, so D's kernel must move towards norm 1.
    x_in = keras.Input((3,))
    critic = keras.Model(
        x_in, keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)(x_in)
    )
    g_in = keras.Input((4,))
    const = keras.Model(g_in, keras.layers.Dense(3, kernel_initializer="zeros", use_bias=False)(g_in))
    gan = kerasgan.WGANGP(const, critic, latent_dim=4)
    gan.compile(d_optimizer=keras.optimizers.SGD(0.01), g_optimizer=keras.optimizers.SGD(0.0))
    gan.fit(np.zeros((16, 3), "float32"), batch_size=16, epochs=1, verbose=0)
    w = keras.ops.convert_to_numpy(critic.weights[0]).ravel()
    # d/dw 10 (||w|| - 1)^2 = 20 (||w|| - 1) w / ||w||; one SGD step of 0.01.
    n = np.sqrt(3)
    np.testing.assert_allclose(w, 1 - 0.01 * 20 * (n - 1) / n, rtol=1e-5)


def test_conditional_gan_trains_and_generates_by_class():
    gen = tiny_generator(num_classes=3)
    disc = tiny_discriminator(num_classes=3)
    cgan = kerasgan.ConditionalGAN(gen, disc, latent_dim=4, num_classes=3)
    cgan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    x = tiny_data(48)
    y = np.arange(48) % 3
    history = cgan.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    samples = cgan.generate(6, labels=2, seed=0)
    assert samples.shape == (6, 3)
    again = cgan.generate(6, labels=2, seed=0)
    np.testing.assert_array_equal(samples, again)
    assert not np.array_equal(samples, cgan.generate(6, labels=0, seed=0))


def test_inputs_tf_data_pydataset_and_dataloader():
    x = tiny_data(64)

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 16 : (i + 1) * 16]

    gan = compiled_gan()
    gan.fit(Batches(), epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 4
    if BACKEND == "tensorflow":
        import tensorflow as tf

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gan.fit(tf.data.Dataset.from_tensor_slices(x).batch(16), epochs=1, verbose=0)
        assert int(gan.d_optimizer.iterations) == 8
        # No "shuffle=True ... will be ignored" warning for a dataset.
        assert not [w for w in caught if "shuffle" in str(w.message)], caught
    if BACKEND == "torch":
        import torch

        loader = torch.utils.data.DataLoader(torch.from_numpy(x), batch_size=16)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gan.fit(loader, epochs=1, verbose=0)
        assert int(gan.d_optimizer.iterations) == 8
        assert not [w for w in caught if "shuffle" in str(w.message)], caught


def test_validation_data_uses_test_step():
    gan = compiled_gan()
    history = gan.fit(
        tiny_data(), batch_size=16, epochs=2, validation_data=(tiny_data(32, seed=1),), verbose=0
    )
    for key in ("val_d_loss", "val_g_loss", "val_d_real", "val_d_fake"):
        assert key in history.history and len(history.history[key]) == 2
    # evaluate() changes no weights.
    before = weights_of(gan)
    gan.evaluate(tiny_data(32), batch_size=16, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, weights_of(gan)))


@pytest.mark.parametrize(
    "options",
    [
        {"jit_compile": True},
        {"steps_per_execution": 2},
        {"steps_per_execution": 2, "d_steps": 2},
    ],
    ids=["jit", "steps_per_execution", "spe_d_steps"],
)
def test_compile_options(options):
    if BACKEND == "torch" and options.get("jit_compile") and not SLOW:
        pytest.skip(
            "torch.compile of a GAN step takes about 2 minutes on a 2-core "
            "CPU (it passes); run with KERASGAN_SLOW_TESTS=1 to include it"
        )
    if BACKEND == "torch" and options.get("steps_per_execution", 1) > 1:
        pytest.skip("Keras' torch trainer supports steps_per_execution=1 only")
    gan = compiled_gan(**options)
    history = gan.fit(tiny_data(64), batch_size=8, epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 8
    assert int(gan.g_optimizer.iterations) == 8 // options.get("d_steps", 1)
    assert np.isfinite(history.history["g_loss"][0])


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision(policy):
    if BACKEND == "torch" and policy == "mixed_float16":
        pytest.skip("float16 kernels on CPU are not supported by torch")
    keras.mixed_precision.set_global_policy(policy)
    gan = compiled_gan()
    scaled = isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert scaled == (policy == "mixed_float16")
    assert scaled == isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    history = gan.fit(tiny_data(), batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    assert gan.generate(4, seed=0).dtype == np.float32
    if scaled:
        # Both loss scales were used and updated by their optimizer.
        assert int(gan.g_optimizer.iterations) == 4


def test_loss_scaling_prevents_underflow():
    # A deep sigmoid stack gives float16 gradients that underflow unless the
    # loss is scaled; with scaling the generator's weights move.
    if BACKEND == "torch":
        pytest.skip("float16 kernels on CPU are not supported by torch")
    keras.mixed_precision.set_global_policy("mixed_float16")
    z = keras.Input((4,))
    h = z
    for _ in range(8):
        h = keras.layers.Dense(8, activation="sigmoid")(h)
    gen = keras.Model(z, keras.layers.Dense(3, activation="tanh", dtype="float32")(h))
    gan = kerasgan.GAN(gen, tiny_discriminator(), latent_dim=4)
    gan.compile(d_optimizer=keras.optimizers.SGD(1e-3), g_optimizer=keras.optimizers.SGD(1.0))
    first = keras.ops.convert_to_numpy(gen.layers[1].kernel)
    gan.fit(tiny_data(32), batch_size=16, epochs=1, verbose=0)
    assert not np.array_equal(first, keras.ops.convert_to_numpy(gen.layers[1].kernel))


@pytest.mark.parametrize("distribution", ["normal", "uniform", "sphere"])
def test_latent_distributions(distribution):
    gan = kerasgan.GAN(
        tiny_generator(), tiny_discriminator(), latent_dim=4, latent_distribution=distribution
    )
    gan.compile(d_optimizer="adam", g_optimizer="adam")
    gan.fit(tiny_data(32), batch_size=16, epochs=1, verbose=0)
    from kerasgan import latent

    z = keras.ops.convert_to_numpy(latent.sample(distribution, (256, 4), seed=1))
    if distribution == "uniform":
        assert z.min() >= -1 and z.max() <= 1 and z.min() < -0.9
    elif distribution == "sphere":
        np.testing.assert_allclose(np.linalg.norm(z, axis=1), 1.0, rtol=1e-5)
    else:
        assert abs(z.std() - 1) < 0.1


def test_determinism_same_seed_same_weights():
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(42)
        gan = compiled_gan(seed=None)
        gan.fit(tiny_data(), batch_size=16, epochs=2, verbose=0)
        runs.append(weights_of(gan))
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)


def test_different_seed_differs():
    runs = []
    for seed in (1, 2):
        keras.utils.set_random_seed(seed)
        gan = compiled_gan(seed=None)
        gan.fit(tiny_data(), batch_size=16, epochs=1, verbose=0)
        runs.append(weights_of(gan.generator))
    assert any(not np.array_equal(a, b) for a, b in zip(*runs))


def test_generate_is_reproducible_and_leaves_training_noise_alone():
    gan = compiled_gan()
    state = keras.ops.convert_to_numpy(gan.seed_generator.state)
    a = gan.generate(5, seed=3)
    np.testing.assert_array_equal(a, gan.generate(5, seed=3))
    assert a.shape == (5, 3) and a.dtype == np.float32
    assert np.all(np.abs(a) <= 1)
    np.testing.assert_array_equal(state, keras.ops.convert_to_numpy(gan.seed_generator.state))


def test_no_retracing():
    if BACKEND == "torch":
        pytest.skip("torch runs the step eagerly: nothing to retrace")
    traces = []

    class Counting(kerasgan.GAN):
        def _gan_train_step(self, data):
            traces.append(1)
            return super()._gan_train_step(data)

    gan = Counting(tiny_generator(), tiny_discriminator(), latent_dim=4)
    gan.compile(d_optimizer="adam", g_optimizer="adam")
    gan.fit(tiny_data(64), batch_size=16, epochs=3, verbose=0)
    gan.real_label.assign(0.9)
    gan.instance_noise.set_schedule("linear", 0.1, 0.0, decay_steps=10)
    gan.fit(tiny_data(64), batch_size=16, epochs=2, verbose=0)
    assert len(traces) <= 2


def test_nan_loss_stops_training_within_one_batch(capsys):
    x = tiny_data(64)
    x[20] = np.nan
    gan = compiled_gan()
    gan.fit(x, batch_size=8, epochs=3, verbose=0, shuffle=False)
    # Batch 2 (samples 16-23) holds the NaN: training stops right there
    # where Keras runs callbacks synchronously (TensorFlow); on JAX and
    # PyTorch the check runs on Keras' callback thread while later batches
    # train, so it stops a few batches later, at the latest when Keras
    # waits for its callbacks at the end of epoch 1 (8 batches).
    if BACKEND == "tensorflow":
        assert int(gan.optimizer.iterations) == 3
    else:
        assert 3 <= int(gan.optimizer.iterations) <= 8
    assert "d_loss is nan" in capsys.readouterr().out


def test_nan_callback_can_raise():
    x = tiny_data(32)
    x[0] = np.inf
    gan = compiled_gan()
    with pytest.raises(FloatingPointError, match="non-finite GAN loss"):
        gan.fit(
            x,
            batch_size=8,
            epochs=1,
            verbose=0,
            shuffle=False,
            callbacks=[kerasgan.callbacks.TerminateOnNaN(raise_error=True)],
        )


def test_learning_rate_schedules_for_both_optimizers():
    schedule = keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=1, decay_rate=0.5)
    gan = kerasgan.GAN(tiny_generator(), tiny_discriminator(), latent_dim=4)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(schedule),
        g_optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=1, decay_rate=0.5)
        ),
    )
    gan.fit(tiny_data(32), batch_size=8, epochs=1, verbose=0)
    np.testing.assert_allclose(float(gan.d_optimizer.learning_rate), 1e-2 * 0.5**4, rtol=1e-5)
    np.testing.assert_allclose(float(gan.g_optimizer.learning_rate), 1e-2 * 0.5**4, rtol=1e-5)
