"""The one decorator that publishes a kerasgan name.

`kerasgan_export` registers a class or function for Keras serialization under
the `kerasgan` package, so `.keras` files that contain it load with
`keras.models.load_model` and no `custom_objects`.
"""

import keras

PACKAGE = "kerasgan"


def kerasgan_export(obj):
    """Registers `obj` for serialization as `kerasgan>ClassName`.

    Example:

    ```python
    @kerasgan_export
    class MyLoss(kerasgan.losses.GANLoss):
        ...
    ```
    """
    return keras.saving.register_keras_serializable(package=PACKAGE)(obj)
