import numpy as np
import pytest

from backprop_testing import OVERFLOW, warnings_as_errors

from backprop.data import make_spiral


def test_shapes_dtypes_and_one_n():
    X, y = make_spiral(50, 4, rng=np.random.RandomState(0))
    assert X.shape == (200, 2) and y.shape == (200,)  # N counts examples: 50 per class * 4 classes
    assert X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(y, np.repeat(np.arange(4), 50))


def test_without_noise_points_lie_on_the_arms():
    X, y = make_spiral(9, 3, rng=np.random.RandomState(0), noise=0.0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius, np.tile(np.linspace(0, 1, 9), 3), atol=1e-15)
    angle = np.arctan2(X[:, 0], X[:, 1])  # x = r sin t, y = r cos t
    expected = np.concatenate([np.linspace(4 * j, 4 * (j + 1), 9) for j in range(3)])
    moving = radius > 0
    np.testing.assert_allclose(np.angle(np.exp(1j * (angle - expected)))[moving], 0.0, atol=1e-12)


def test_noise_is_drawn_class_by_class_from_the_stream():
    X, _ = make_spiral(5, 2, rng=np.random.RandomState(7), noise=0.3)
    noise = np.random.RandomState(7).randn(10) * 0.3
    angles = np.concatenate([np.linspace(4 * j, 4 * (j + 1), 5) for j in range(2)]) + noise
    radii = np.tile(np.linspace(0, 1, 5), 2)
    np.testing.assert_allclose(
        X, np.column_stack([radii * np.sin(angles), radii * np.cos(angles)]), rtol=1e-15
    )


def test_same_seed_same_data():
    first = make_spiral(rng=np.random.RandomState(3))
    second = make_spiral(rng=np.random.RandomState(3))
    np.testing.assert_array_equal(first[0], second[0])


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"rng": 0}, r"rng must be a numpy.random.RandomState .*got int 0"),
        (
            {"rng": np.random.RandomState(0), "points_per_class": 0},
            r"points_per_class must be an integer >= 1; got 0",
        ),
        (
            {"rng": np.random.RandomState(0), "num_classes": 2.0},
            r"num_classes must be an integer >= 1; got float 2.0",
        ),
        ({"rng": np.random.RandomState(0), "noise": -0.1}, r"noise must be a finite number >= 0; got -0.1"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, expected):
    with pytest.raises(ValueError, match=r"^make_spiral: " + expected):
        make_spiral(**kwargs)


def test_a_noise_so_large_that_the_angles_overflow_is_a_named_error():
    with warnings_as_errors(), pytest.raises(
        ValueError, match=rf"^make_spiral: noise {OVERFLOW} multiply\): largest magnitudes noise 1e\+308"
    ):
        make_spiral(5, 3, rng=np.random.RandomState(0), noise=1e308)
