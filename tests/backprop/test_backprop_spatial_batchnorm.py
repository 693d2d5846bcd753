import numpy as np
import pytest
from backprop_testing import OVERFLOW, assert_gradient_matches, make_rng, warnings_as_errors

from backprop.batchnorm import batchnorm_backward, batchnorm_forward
from backprop.spatial_batchnorm import (
    from_rows,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
    to_rows,
)

# Distinct sizes, so that a statistic over the wrong axis or a reshape without the transpose
# cannot pass by accident.
N, C, H, W = 2, 3, 4, 5
#: The closed form and the loops below compute the same numbers in another order.
AGREEMENT_TOLERANCE = 1e-12


def random_layer(rng):
    # Channels with different offsets and spreads, so a statistic over the wrong axis shows.
    X = (rng.randn(N, C, H, W) * rng.uniform(0.5, 3.0, (1, C, 1, 1))
         + rng.uniform(-4.0, 4.0, (1, C, 1, 1)))
    return X, rng.randn(C), rng.randn(C), rng.randn(N, C, H, W)


def channel_by_channel(X, gamma, beta, G, eps=1e-5):
    """The layer and its closed-form gradients written with loops over the channels and the
    statistics of each channel's N H W entries: an oracle independent of the reshape."""
    Y, dX = np.empty_like(X), np.empty_like(X)
    dgamma, dbeta = np.empty(C), np.empty(C)
    count = N * H * W
    for c in range(C):
        entries, upstream = X[:, c], G[:, c]
        mean = entries.sum() / count
        inv_std = 1.0 / np.sqrt(((entries - mean) ** 2).sum() / count + eps)
        normalised = (entries - mean) * inv_std
        Y[:, c] = gamma[c] * normalised + beta[c]
        dbeta[c] = upstream.sum()
        dgamma[c] = (upstream * normalised).sum()
        dX[:, c] = gamma[c] * inv_std / count * (
            count * upstream - dbeta[c] - normalised * dgamma[c])
    return Y, dX, dgamma, dbeta


def test_forward_and_backward_equal_the_formulas_channel_by_channel():
    X, gamma, beta, G = random_layer(make_rng())
    Y, cache = spatial_batchnorm_forward(X, gamma, beta)
    expected_Y, *expected_gradients = channel_by_channel(X, gamma, beta, G)

    np.testing.assert_allclose(Y, expected_Y, rtol=AGREEMENT_TOLERANCE, atol=AGREEMENT_TOLERANCE)
    for got, expected in zip(spatial_batchnorm_backward(G, cache), expected_gradients):
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=AGREEMENT_TOLERANCE)


def test_cache_is_batchnorms_in_the_layers_layout():
    X, gamma, beta, _ = random_layer(make_rng(3))
    centred, inv_std, X_hat, cached_gamma = spatial_batchnorm_forward(X, gamma, beta)[1]
    mean = X.mean(axis=(0, 2, 3), keepdims=True)

    np.testing.assert_allclose(centred, X - mean, atol=1e-12)
    np.testing.assert_allclose(inv_std, 1.0 / np.sqrt(X.var(axis=(0, 2, 3)) + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(X_hat, (X - mean) * inv_std.reshape(1, C, 1, 1), atol=1e-12)
    assert cached_gamma is gamma or np.array_equal(cached_gamma, gamma)


def test_backward_matches_centered_differences_for_every_input():
    X, gamma, beta, G = random_layer(make_rng(7))
    dX, dgamma, dbeta = spatial_batchnorm_backward(G, spatial_batchnorm_forward(X, gamma, beta)[1])

    def loss(x=X, g=gamma, b=beta):
        return float(np.sum(spatial_batchnorm_forward(x, g, b)[0] * G))

    assert_gradient_matches(lambda x: loss(x=x), X.copy(), dX)
    assert_gradient_matches(lambda g: loss(g=g), gamma.copy(), dgamma)
    assert_gradient_matches(lambda b: loss(b=b), beta.copy(), dbeta)


def test_closed_form_agrees_with_batchnorms_graph_on_the_positions():
    X, gamma, beta, G = random_layer(make_rng(11))
    spatial = spatial_batchnorm_backward(G, spatial_batchnorm_forward(X, gamma, beta)[1])
    graph = batchnorm_backward(to_rows(G), batchnorm_forward(to_rows(X), gamma, beta)[1])

    np.testing.assert_allclose(spatial[0], from_rows(graph[0], X.shape), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(spatial[1:], graph[1:], rtol=1e-10, atol=1e-12)


def test_input_gradient_sums_to_zero_in_every_channel():
    X, gamma, beta, G = random_layer(make_rng(5))
    dX = spatial_batchnorm_backward(G, spatial_batchnorm_forward(X, gamma, beta)[1])[0]
    scale = np.abs(G).sum() * np.abs(gamma).max() / X.std()
    assert np.abs(dX.sum(axis=(0, 2, 3))).max() < 1e-12 * scale


def test_rows_are_positions_and_columns_are_channels():
    X = np.arange(N * C * H * W, dtype=float).reshape(N, C, H, W)
    rows = to_rows(X)
    assert rows.shape == (N * H * W, C)
    assert rows[(1 * H + 2) * W + 3].tolist() == X[1, :, 2, 3].tolist()  # position (1, 2, 3)
    assert np.array_equal(from_rows(rows, X.shape), X)


def test_bad_forward_inputs_raise_clear_errors():
    X = np.zeros((N, C, H, W))
    with pytest.raises(ValueError, match=r"^spatial_batchnorm_forward: X must have shape "
                                         r"\(N, C, H, W\) = \(\?, \?, \?, \?\); got \(2, 3\)$"):
        spatial_batchnorm_forward(np.zeros((N, C)), np.ones(C), np.zeros(C))
    with pytest.raises(ValueError, match=rf"^spatial_batchnorm_forward: gamma must have shape "
                                         rf"\(C,\) = \({C},\) to match X \({N}, {C}, {H}, {W}\)"):
        spatial_batchnorm_forward(X, np.ones(C + 1), np.zeros(C))
    with pytest.raises(ValueError, match=r"^spatial_batchnorm_forward: X must have W \(width\) >= 1"):
        spatial_batchnorm_forward(np.zeros((N, C, H, 0)), np.ones(C), np.zeros(C))
    with pytest.raises(ValueError, match=r"^spatial_batchnorm_forward: eps must be a finite number > 0"):
        spatial_batchnorm_forward(X, np.ones(C), np.zeros(C), eps=-1.0)
    with pytest.raises(ValueError, match=r"^spatial_batchnorm_forward: X must contain only finite "
                                         r"values; got nan at index \(0, 1, 2, 3\)"):
        bad = X.copy()
        bad[0, 1, 2, 3] = np.nan
        spatial_batchnorm_forward(bad, np.ones(C), np.zeros(C))
    with warnings_as_errors(), pytest.raises(ValueError, match=r"^spatial_batchnorm_forward: X, gamma, beta and eps " + OVERFLOW):
        spatial_batchnorm_forward(np.full((N, C, H, W), 1e300) * np.arange(1, W + 1), np.ones(C),
                                  np.zeros(C))
    Y, _ = spatial_batchnorm_forward(X.tolist(), [1.0] * C, [0.0] * C)  # lists are read as arrays
    assert Y.shape == (N, C, H, W)


def test_bad_backward_inputs_raise_clear_errors():
    X, gamma, beta, G = random_layer(make_rng())
    cache = spatial_batchnorm_forward(X, gamma, beta)[1]
    with pytest.raises(ValueError, match=rf"^spatial_batchnorm_backward: dY must have shape "
                                         rf"\(N, C, H, W\) = \({N}, {C}, {H}, {W}\) to match "
                                         rf"X_centred \({N}, {C}, {H}, {W}\); got \({N}, {C}, {W}, {H}\)$"):
        spatial_batchnorm_backward(G.transpose(0, 1, 3, 2), cache)
    with pytest.raises(ValueError, match=r"^spatial_batchnorm_backward: cache must be the tuple "
                                         r"\(X_centred, inv_std, X_hat, gamma\) returned by "
                                         r"spatial_batchnorm_forward; got tuple of length 2$"):
        spatial_batchnorm_backward(G, (X, gamma))
    rows_cache = batchnorm_forward(to_rows(X), gamma, beta)[1]  # batchnorm's own cache
    with pytest.raises(ValueError, match=r"^spatial_batchnorm_backward: cache X_centred must have "
                                         r"shape \(N, C, H, W\)"):
        spatial_batchnorm_backward(G, rows_cache)
    with pytest.raises(ValueError, match=r"^spatial_batchnorm_backward: cache inv_std must be > 0"):
        spatial_batchnorm_backward(G, (cache[0], -cache[1], cache[2], cache[3]))
    with pytest.raises(ValueError, match=r"^spatial_batchnorm_backward: dY must have the dtype of "
                                         r"cache X_centred, float64; got float32"):
        spatial_batchnorm_backward(G.astype(np.float32), cache)
