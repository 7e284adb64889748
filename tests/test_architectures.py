"""Tests of the generator and discriminator builders."""

import keras
import numpy as np
import pytest

from kerasgan import architectures
from kerasgan.architectures import dcgan
from kerasgan.layers import SpectralNormalization

SMALL = {"base_filters": 4}


def _noise(n, dim, seed=0):
    return np.random.default_rng(seed).standard_normal((n, dim)).astype("float32")


@pytest.mark.parametrize(
    "image_shape, num_blocks",
    [((28, 28, 1), 2), ((32, 32, 3), 3), ((64, 64, 3), 4), ((28, 32, 1), 2)],
    ids=str,
)
def test_dcgan_shapes(image_shape, num_blocks):
    gen = architectures.dcgan_generator(8, image_shape, **SMALL)
    disc = architectures.dcgan_discriminator(image_shape, **SMALL)
    assert gen.inputs[0].shape == (None, 8)
    assert disc.inputs[0].shape == (None, *image_shape)
    images = keras.ops.convert_to_numpy(gen(_noise(3, 8)))
    assert images.shape == (3, *image_shape)
    assert keras.ops.convert_to_numpy(disc(images)).shape == (3, 1)
    # The number of stride-2 layers is derived from the image size.
    ups = [l for l in gen.layers if isinstance(l, keras.layers.Conv2DTranspose)]
    convs = [l for l in disc.layers if isinstance(l, keras.layers.Conv2D)]
    assert len(ups) == len(convs) == num_blocks


@pytest.mark.parametrize(
    "image_shape, num_blocks",
    [((8, 8, 1), 1), ((24, 40, 3), 2), ((20, 20, 1), 2), ((128, 64, 3), 4)],
)
def test_num_blocks_derivation(image_shape, num_blocks):
    assert dcgan._check_image_shape(image_shape, None) == (image_shape, num_blocks)


def test_dcgan_defaults_follow_the_guidelines():
    gen = architectures.dcgan_generator(**SMALL)
    disc = architectures.dcgan_discriminator(**SMALL)
    assert gen.inputs[0].shape == (None, 100)
    assert gen.output.shape == (None, 28, 28, 1)
    assert gen.layers[-1].activation.__name__ == "tanh"
    assert any(isinstance(l, keras.layers.BatchNormalization) for l in gen.layers)
    assert any(isinstance(l, keras.layers.ReLU) for l in gen.layers)
    assert any(isinstance(l, keras.layers.LeakyReLU) for l in disc.layers)
    pooling = (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)
    assert not any(isinstance(l, pooling) for l in gen.layers + disc.layers)
    assert disc.layers[-1].activation.__name__ == "linear"
    # The first discriminator block has no batch norm (Radford et al.).
    names = [l.name for l in disc.layers]
    assert "block_0_batch_norm" not in names and "block_1_batch_norm" in names


def test_generator_output_in_tanh_range():
    gen = architectures.dcgan_generator(8, (28, 28, 1), **SMALL)
    images = keras.ops.convert_to_numpy(gen(10.0 * _noise(16, 8)))
    assert images.min() >= -1.0 and images.max() <= 1.0
    mlp = architectures.mlp_generator(8, (28, 28, 1), units=(16,))
    images = keras.ops.convert_to_numpy(mlp(10.0 * _noise(16, 8)))
    assert images.shape == (16, 28, 28, 1)
    assert images.min() >= -1.0 and images.max() <= 1.0


def test_discriminators_return_logits():
    # Without a sigmoid the outputs leave [0, 1] for large inputs.
    disc = architectures.dcgan_discriminator((28, 28, 1), **SMALL)
    x = 50.0 * _noise(8, 784).reshape(8, 28, 28, 1)
    out = keras.ops.convert_to_numpy(disc(x))
    assert out.min() < 0.0 or out.max() > 1.0
    mlp = architectures.mlp_discriminator((2,), units=(16,))
    out = keras.ops.convert_to_numpy(mlp(100.0 * _noise(32, 2)))
    assert out.shape == (32, 1) and (out.min() < 0.0 or out.max() > 1.0)


def test_mlp_unbounded_output_for_points():
    gen = architectures.mlp_generator(4, 2, units=(8, 8), output_activation=None)
    points = keras.ops.convert_to_numpy(gen(100.0 * _noise(64, 4)))
    assert points.shape == (64, 2)
    assert np.abs(points).max() > 1.0


@pytest.mark.parametrize("label_shape", [(5,), (5, 1)], ids=["flat", "column"])
def test_conditional_dcgan(label_shape):
    gen = architectures.dcgan_generator(8, (16, 16, 3), num_classes=10, **SMALL)
    disc = architectures.dcgan_discriminator((16, 16, 3), num_classes=10, **SMALL)
    assert [tuple(x.shape) for x in gen.inputs] == [(None, 8), (None, 1)]
    assert [tuple(x.shape) for x in disc.inputs] == [(None, 16, 16, 3), (None, 1)]
    assert "int" in gen.inputs[1].dtype and "int" in disc.inputs[1].dtype
    labels = np.arange(5).reshape(label_shape).astype("int32")
    images = keras.ops.convert_to_numpy(gen([_noise(5, 8), labels]))
    assert images.shape == (5, 16, 16, 3)
    assert tuple(disc([images, labels]).shape) == (5, 1)


def test_conditional_output_depends_on_label():
    gen = architectures.mlp_generator(
        4, (3,), units=(8,), num_classes=3, batch_norm=False
    )
    disc = architectures.mlp_discriminator((3,), units=(8,), num_classes=3)
    z = np.repeat(_noise(1, 4), 3, axis=0)
    labels = np.array([0, 1, 2])
    x = keras.ops.convert_to_numpy(gen([z, labels]))
    assert not np.allclose(x[0], x[1])
    logits = keras.ops.convert_to_numpy(disc([x[:1].repeat(3, 0), labels]))
    assert not np.allclose(logits[0], logits[1])


@pytest.mark.parametrize(
    "builder, kwargs",
    [
        (
            architectures.dcgan_generator,
            {"latent_dim": 8, "image_shape": (16, 16, 1), "num_classes": 3, **SMALL},
        ),
        (
            architectures.dcgan_generator,
            {"latent_dim": 8, "image_shape": (16, 16, 1), "dense_units": 12, **SMALL},
        ),
        (
            architectures.dcgan_discriminator,
            {"image_shape": (16, 16, 3), "dropout": 0.3, **SMALL},
        ),
        (
            architectures.mlp_generator,
            {"latent_dim": 8, "output_shape": (4, 4, 1), "units": (8,)},
        ),
        (
            architectures.mlp_discriminator,
            {"input_shape": (2,), "units": (8,), "num_classes": 4},
        ),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_keras_file_roundtrip_identical_outputs(builder, kwargs, tmp_path):
    model = builder(**kwargs)
    rng = np.random.default_rng(0)
    inputs = [
        rng.integers(0, 3, (4, 1)).astype("int32")
        if "int" in x.dtype
        else rng.standard_normal((4, *x.shape[1:])).astype("float32")
        for x in model.inputs
    ]
    inputs = inputs if len(inputs) > 1 else inputs[0]
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)  # no custom_objects
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(model(inputs)),
        keras.ops.convert_to_numpy(loaded(inputs)),
    )
    assert loaded.name == model.name


@pytest.mark.parametrize(
    "image_shape, num_blocks, match",
    [
        (
            (30, 30, 1),
            None,
            r"2\*\*num_blocks = 4.*Received: image_shape=\(30, 30, 1\)$",
        ),
        (
            (28, 28, 1),
            3,
            r"divisible by 2\*\*num_blocks = 8.*Received: image_shape=\(28, 28, 1\), num_blocks=3$",
        ),
        ((4, 4, 1), None, r"at least 8 pixels.*Received: image_shape=\(4, 4, 1\)$"),
        ((28, 28), None, r"3 positive integers.*Received: image_shape=\(28, 28\)$"),
        ((28, 28, 1), 0, r"Received: num_blocks=0$"),
    ],
)
def test_dcgan_bad_image_shape(image_shape, num_blocks, match):
    for build in (
        lambda: architectures.dcgan_generator(8, image_shape, num_blocks=num_blocks),
        lambda: architectures.dcgan_discriminator(image_shape, num_blocks=num_blocks),
    ):
        with pytest.raises(ValueError, match=match):
            build()


def test_dcgan_explicit_num_blocks():
    gen = architectures.dcgan_generator(8, (30, 30, 1), num_blocks=1, **SMALL)
    assert gen.output.shape == (None, 30, 30, 1)


def test_dcgan_generator_dense_units_is_the_infogan_generator():
    # Chen et al.'s MNIST generator: FC 1024 and FC 7x7x128, each with batch
    # normalization over its units, then the transposed convolutions.
    gen = architectures.dcgan_generator(74, dense_units=1024)
    assert gen.output.shape == (None, 28, 28, 1)
    kernels = [layer.kernel.shape for layer in gen.layers if hasattr(layer, "kernel")]
    assert kernels == [(74, 1024), (1024, 7 * 7 * 128), (4, 4, 64, 128), (4, 4, 1, 64)]
    norms = [layer.gamma.shape for layer in gen.layers if hasattr(layer, "gamma")]
    assert norms == [(1024,), (7 * 7 * 128,), (64,)]
    plain = architectures.dcgan_generator(74)
    assert [layer.gamma.shape for layer in plain.layers if hasattr(layer, "gamma")] == [
        (128,),
        (64,),
    ]
    out = keras.ops.convert_to_numpy(gen(_noise(4, 74), training=True))
    assert np.all(np.abs(out) <= 1)


@pytest.mark.parametrize(
    "build, match",
    [
        (
            lambda: architectures.dcgan_generator(latent_dim=0),
            r"Received: latent_dim=0$",
        ),
        (
            lambda: architectures.dcgan_generator(num_classes=1.5),
            r"Received: num_classes=1.5$",
        ),
        (
            lambda: architectures.dcgan_generator(dense_units=0),
            r"Received: dense_units=0$",
        ),
        (
            lambda: architectures.dcgan_discriminator(dropout=1.0),
            r"Received: dropout=1.0$",
        ),
        (
            lambda: architectures.mlp_generator(8, (28, -1)),
            r"Received: output_shape=\(28, -1\)$",
        ),
        (lambda: architectures.mlp_generator(8, 2, units=()), r"Received: units=\(\)$"),
        (
            lambda: architectures.mlp_discriminator((2,), units=(8, 0)),
            r"Received: units=0$",
        ),
    ],
)
def test_bad_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()


# Spectral normalization and SNGAN's ResNet builders (Miyato et al., 2018).


def _spectral_norm_wrappers(model):
    return [l for l in model.layers if isinstance(l, SpectralNormalization)]


@pytest.mark.parametrize(
    "build, num_wrapped, inner",
    [
        (
            lambda sn: architectures.dcgan_discriminator(
                (16, 16, 3), batch_norm=False, spectral_norm=sn, **SMALL
            ),
            3,  # two convolutions and the logits
            (keras.layers.Conv2D, keras.layers.Dense),
        ),
        (
            lambda sn: architectures.mlp_discriminator(
                (2,), units=(8, 8), num_classes=3, spectral_norm=sn
            ),
            3,  # two hidden layers and the logits
            (keras.layers.Dense,),
        ),
        (
            lambda sn: architectures.resnet_discriminator(
                (16, 16, 3), filters=4, num_blocks=2, spectral_norm=sn
            ),
            # block 0: 2 convs + shortcut conv; block 1: 2 convs; logits
            6,
            (keras.layers.Conv2D, keras.layers.Dense),
        ),
    ],
    ids=["dcgan", "mlp", "resnet"],
)
def test_spectral_norm_wraps_every_weight_layer(build, num_wrapped, inner):
    plain, wrapped = build(False), build(True)
    assert _spectral_norm_wrappers(plain) == []
    layers = _spectral_norm_wrappers(wrapped)
    assert len(layers) == num_wrapped
    assert all(isinstance(l.layer, inner) for l in layers)
    # The wrapper takes the layer's name, so `get_layer` finds it.
    assert wrapped.get_layer("logits") is layers[-1]
    # Same architecture otherwise: the wrappers only add `vector_u`.
    assert plain.count_params() + sum(l.kernel.shape[-1] for l in layers) == (
        wrapped.count_params()
    )


def test_spectral_norm_bounds_the_largest_singular_value():
    # The layers run with W / sigma; power iteration converges over
    # training calls, and the largest singular value of W / sigma goes to 1.
    disc = architectures.dcgan_discriminator(
        (8, 8, 2), base_filters=4, batch_norm=False, spectral_norm=True
    )
    x = np.random.default_rng(0).normal(size=(4, 8, 8, 2)).astype("float32")
    for _ in range(30):
        disc(x, training=True)
    for layer in _spectral_norm_wrappers(disc):
        kernel = keras.ops.convert_to_numpy(layer.layer.kernel)
        kernel = kernel.reshape(-1, kernel.shape[-1]) / keras.ops.convert_to_numpy(layer.sigma())
        np.testing.assert_allclose(np.linalg.svd(kernel, compute_uv=False)[0], 1.0, rtol=0.02)


@pytest.mark.parametrize(
    "image_shape, num_blocks, start",
    [((32, 32, 3), 3, 4), ((16, 16, 1), 2, 4), ((28, 28, 1), 2, 7)],
    ids=str,
)
def test_resnet_generator_shapes(image_shape, num_blocks, start):
    gen = architectures.resnet_generator(8, image_shape, filters=4)
    assert gen.get_layer("reshape").output.shape == (None, start, start, 4)
    adds = [l for l in gen.layers if isinstance(l, keras.layers.Add)]
    assert len(adds) == num_blocks
    images = keras.ops.convert_to_numpy(gen(10.0 * _noise(3, 8)))
    assert images.shape == (3, *image_shape)
    assert images.min() >= -1.0 and images.max() <= 1.0
    assert _spectral_norm_wrappers(gen) == []


@pytest.mark.parametrize(
    "image_shape, num_blocks, grids",
    [
        # SNGAN's CIFAR-10 discriminator: 32 -> 16 -> 8 -> 8 -> 8.
        ((32, 32, 3), 4, [16, 8, 8, 8]),
        ((64, 64, 3), 4, [32, 16, 8, 8]),
        ((16, 16, 1), 2, [8, 8]),
        ((8, 8, 1), 1, [8]),
        ((64, 64, 3), 2, [32, 16]),
    ],
    ids=str,
)
def test_resnet_discriminator_shapes(image_shape, num_blocks, grids):
    disc = architectures.resnet_discriminator(image_shape, filters=4, num_blocks=num_blocks)
    adds = [l for l in disc.layers if isinstance(l, keras.layers.Add)]
    assert [a.output.shape[1] for a in adds] == grids
    assert all(a.output.shape[-1] == 4 for a in adds)
    x = np.random.default_rng(0).uniform(-1, 1, (2, *image_shape)).astype("float32")
    assert keras.ops.convert_to_numpy(disc(x)).shape == (2, 1)
    assert not any(isinstance(l, keras.layers.BatchNormalization) for l in disc.layers)


def test_resnet_defaults_are_sngan_cifar10():
    gen = architectures.resnet_generator()
    disc = architectures.resnet_discriminator()
    assert gen.inputs[0].shape == (None, 128) and gen.output.shape == (None, 32, 32, 3)
    assert gen.get_layer("reshape").output.shape == (None, 4, 4, 256)
    assert disc.inputs[0].shape == (None, 32, 32, 3) and disc.output.shape == (None, 1)
    assert disc.get_layer("block_3_add").output.shape == (None, 8, 8, 128)
    # 4 blocks x 2 convolutions, 2 shortcut convolutions (the downsampling
    # blocks) and the logits.
    assert len(_spectral_norm_wrappers(disc)) == 11
    # The sum (not mean) over positions, as in SNGAN: mean times 8 * 8.
    assert disc.get_layer("sum").scale == 64


@pytest.mark.parametrize(
    "builder, kwargs",
    [
        (architectures.resnet_generator, {"latent_dim": 8, "image_shape": (16, 16, 3), "filters": 4}),
        (architectures.resnet_discriminator, {"image_shape": (16, 16, 3), "filters": 4, "num_blocks": 3}),
        (
            architectures.dcgan_discriminator,
            {"image_shape": (16, 16, 3), "spectral_norm": True, "num_classes": 3, **SMALL},
        ),
        (architectures.mlp_discriminator, {"input_shape": (2,), "units": (8,), "spectral_norm": True}),
    ],
    ids=["resnet_generator", "resnet_discriminator", "dcgan_sn", "mlp_sn"],
)
def test_new_builders_keras_file_roundtrip(builder, kwargs, tmp_path):
    model = builder(**kwargs)
    # A training-mode call first, so that spectral norm's state has moved.
    rng = np.random.default_rng(0)
    inputs = [
        rng.integers(0, 3, (4, 1)).astype("int32")
        if "int" in x.dtype
        else rng.standard_normal((4, *x.shape[1:])).astype("float32")
        for x in model.inputs
    ]
    inputs = inputs if len(inputs) > 1 else inputs[0]
    model(inputs, training=True)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(model(inputs)),
        keras.ops.convert_to_numpy(loaded(inputs)),
        rtol=1e-6,
        atol=1e-6,
    )
    assert len(_spectral_norm_wrappers(loaded)) == len(_spectral_norm_wrappers(model))


@pytest.mark.parametrize(
    "build, match",
    [
        (
            lambda: architectures.resnet_generator(latent_dim=0),
            r"Received: latent_dim=0$",
        ),
        (
            lambda: architectures.resnet_generator(8, (30, 30, 3)),
            r"divisible by 2\*\*num_blocks = 4.*Received: image_shape=\(30, 30, 3\)$",
        ),
        (
            lambda: architectures.resnet_discriminator(filters=-1),
            r"Expected `filters` to be an integer >= 1\. Received: filters=-1$",
        ),
        (
            lambda: architectures.resnet_discriminator(num_blocks=0),
            r"Received: num_blocks=0$",
        ),
        (
            lambda: architectures.resnet_discriminator((34, 34, 3)),
            r"divisible by 4.*Received: image_shape=\(34, 34, 3\)$",
        ),
        (
            lambda: architectures.resnet_discriminator((32, 32)),
            r"3 positive integers.*Received: image_shape=\(32, 32\)$",
        ),
        (
            lambda: architectures.dcgan_discriminator(spectral_norm="yes"),
            r"Expected `spectral_norm` to be `True` or `False`\. Received: spectral_norm='yes'$",
        ),
        (
            lambda: architectures.mlp_discriminator((2,), spectral_norm=1),
            r"Received: spectral_norm=1$",
        ),
    ],
)
def test_spectral_norm_and_resnet_bad_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()


# ---------------------------------------------------------------------------
# Discriminators with class and code heads
# ---------------------------------------------------------------------------
def _shapes(outputs):
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [tuple(o.shape) for o in outputs]


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda: architectures.semi_supervised_discriminator(units=(16, 8)), [(3, 10), (3, 8)]),
        (
            lambda: architectures.semi_supervised_discriminator(units=(16,), feature_matching=False),
            [(3, 10)],
        ),
        (
            lambda: architectures.semi_supervised_discriminator(
                (16, 16, 3), num_classes=5, architecture="dcgan", base_filters=4, dropout=0.2
            ),
            [(3, 5), (3, 4 * 4 * 8)],
        ),
        (lambda: architectures.acgan_discriminator((16, 16, 3), num_classes=7, base_filters=4), [(3, 1), (3, 7)]),
        (
            lambda: architectures.infogan_discriminator((16, 16, 1), 6, 3, q_units=8, base_filters=4),
            [(3, 1), (3, 6), (3, 3)],
        ),
    ],
    ids=["ss_mlp", "ss_mlp_no_features", "ss_dcgan", "acgan", "infogan"],
)
def test_head_builders_shapes_and_round_trip(build, expected, tmp_path):
    model = build()
    x = np.random.default_rng(0).uniform(-1, 1, (3, *model.inputs[0].shape[1:])).astype("float32")
    assert _shapes(model(x)) == expected
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    for a, b in zip(model(x) if len(expected) > 1 else [model(x)], loaded(x) if len(expected) > 1 else [loaded(x)]):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), atol=1e-6)


def test_semi_supervised_mlp_noise_acts_in_training_only():
    model = architectures.semi_supervised_discriminator(units=(16, 8))
    x = np.zeros((2, 28, 28, 1), "float32")
    a, b = model(x)[0], model(x)[0]
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))
    c = model(x, training=True)[0]
    assert not np.allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(c))


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: architectures.semi_supervised_discriminator(architecture="resnet"), r"architecture.*Received: architecture='resnet'"),
        (lambda: architectures.semi_supervised_discriminator(num_classes=1), r"num_classes.*>= 2.*Received"),
        (lambda: architectures.semi_supervised_discriminator(input_noise=-1.0), r"input_noise.*Received"),
        (lambda: architectures.semi_supervised_discriminator(feature_matching="yes"), r"feature_matching.*Received"),
        (lambda: architectures.acgan_discriminator(num_classes=0), r"num_classes.*Received"),
        (lambda: architectures.infogan_discriminator(num_continuous=-1), r"num_continuous.*Received"),
    ],
)
def test_head_builders_bad_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()
