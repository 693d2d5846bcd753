import numpy as np
import pytest
from backprop_testing import OVERFLOW, D, H, K, N, assert_gradient_matches, make_rng, warnings_as_errors

from backprop.data import make_spiral
from backprop.models import (
    init_linear_classifier,
    init_two_layer_net,
    linear_classifier_loss,
    linear_classifier_scores,
    two_layer_net_loss,
    two_layer_net_scores,
)

REG = 0.1  # large enough that a missing or doubled penalty term changes every weight gradient


def problem(seed=1234):
    rng = make_rng(seed)
    return rng, rng.randn(N, D), rng.randint(0, K, N)


def inline_two_layer(params, X, y, reg):
    """The loss written out in one block, independently of the package's layers."""
    hidden = np.maximum(0, X @ params["W1"] + params["b1"])
    scores = hidden @ params["W2"] + params["b2"]
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    penalty = 0.5 * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    return -log_probs[np.arange(len(y)), y].mean() + penalty


@pytest.mark.parametrize("name", ["W", "b"])
def test_linear_gradients_match_centered_differences(name):
    rng, X, y = problem()
    params = init_linear_classifier(D, K, rng=rng, scale=1.0)
    _, grads = linear_classifier_loss(params, X, y, REG)
    assert grads[name].shape == params[name].shape

    def loss_at(value):
        return linear_classifier_loss({**params, name: value}, X, y, REG)[0]

    assert_gradient_matches(loss_at, params[name].copy(), grads[name])


@pytest.mark.parametrize("name", ["W1", "b1", "W2", "b2"])
def test_two_layer_gradients_match_centered_differences(name):
    rng, X, y = problem()
    params = init_two_layer_net(D, H, K, rng=rng, scale=1.0)
    params["b1"] = rng.randn(H)
    # Precondition: no hidden pre-activation within 1e-3 of the kink, so that perturbations of
    # size h = 1e-5 never cross it and the loss is smooth where it is checked.
    Z = X @ params["W1"] + params["b1"]
    assert np.abs(Z).min() > 1e-3 and 0 < (Z > 0).mean() < 1
    _, grads = two_layer_net_loss(params, X, y, REG)
    assert grads[name].shape == params[name].shape

    def loss_at(value):
        return two_layer_net_loss({**params, name: value}, X, y, REG)[0]

    assert_gradient_matches(loss_at, params[name].copy(), grads[name])


def test_two_layer_loss_equals_an_inline_computation():
    rng, X, y = problem()
    params = init_two_layer_net(D, H, K, rng=rng, scale=1.0)
    loss, _ = two_layer_net_loss(params, X, y, REG)
    assert loss == pytest.approx(inline_two_layer(params, X, y, REG), rel=1e-13)


def test_biases_are_not_regularised():
    rng, X, y = problem()
    params = init_two_layer_net(D, H, K, rng=rng, scale=1.0)
    params["b2"] = np.full(K, 50.0)  # shifts every score equally: no effect on the data loss
    loss_big_bias, _ = two_layer_net_loss(params, X, y, REG)
    params["b2"] = np.zeros(K)
    assert loss_big_bias == pytest.approx(two_layer_net_loss(params, X, y, REG)[0], rel=1e-12)


@pytest.mark.parametrize("num_classes", [3, 7])
def test_initial_loss_is_close_to_log_k(num_classes):
    X, y = make_spiral(40, num_classes, rng=np.random.RandomState(0))
    rng = np.random.RandomState(1)
    linear_loss, _ = linear_classifier_loss(init_linear_classifier(2, num_classes, rng=rng), X, y, 1e-3)
    two_layer_loss, _ = two_layer_net_loss(init_two_layer_net(2, 13, num_classes, rng=rng), X, y, 1e-3)
    # Weights of scale 0.01 give scores of order 0.01, so every probability is close to 1/K.
    assert linear_loss == pytest.approx(np.log(num_classes), abs=0.01)
    assert two_layer_loss == pytest.approx(np.log(num_classes), abs=1e-3)


def test_scores_functions_agree_with_the_layers():
    rng, X, _ = problem()
    linear = init_linear_classifier(D, K, rng=rng, scale=1.0)
    np.testing.assert_allclose(linear_classifier_scores(linear, X), X @ linear["W"] + linear["b"])
    net = init_two_layer_net(D, H, K, rng=rng, scale=1.0)
    expected = np.maximum(0, X @ net["W1"] + net["b1"]) @ net["W2"] + net["b2"]
    np.testing.assert_allclose(two_layer_net_scores(net, X), expected)


def test_inputs_and_parameters_are_not_edited():
    rng, X, y = problem()
    params = init_two_layer_net(D, H, K, rng=rng, scale=1.0)
    before = {name: value.copy() for name, value in params.items()}
    X_before, y_before = X.copy(), y.copy()
    two_layer_net_loss(params, X, y, REG)
    for name in params:
        np.testing.assert_array_equal(params[name], before[name])
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_float32_parameters_give_float32_gradients():
    rng, X, y = problem()
    params = {k: v.astype(np.float32) for k, v in init_two_layer_net(D, H, K, rng=rng).items()}
    _, grads = two_layer_net_loss(params, X.astype(np.float32), y, REG)
    assert all(g.dtype == np.float32 for g in grads.values())


def test_initialisation_draws_w1_then_w2_from_the_stream():
    params = init_two_layer_net(2, 4, 3, rng=np.random.RandomState(5), scale=0.5)
    draws = np.random.RandomState(5).randn(2 * 4 + 4 * 3)
    np.testing.assert_array_equal(params["W1"], 0.5 * draws[:8].reshape(2, 4))
    np.testing.assert_array_equal(params["W2"], 0.5 * draws[8:].reshape(4, 3))
    assert not params["b1"].any() and params["b1"].shape == (4,) and params["b2"].shape == (3,)


def two_layer_params():
    return init_two_layer_net(D, H, K, rng=make_rng())


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda p, X, y: ({**p, "W2": np.zeros((H + 1, K))}, X, y),
            r'params\["W2"\] must have shape \(H, K\) = \(11, \?\) to match params\["W1"\] \(5, 11\); '
            r"got \(12, 3\)$",
        ),
        (
            lambda p, X, y: ({**p, "b1": np.zeros((1, H))}, X, y),
            r'params\["b1"\] must have shape \(H,\) = \(11,\) to match params\["W1"\] \(5, 11\); '
            r"got \(1, 11\)$",
        ),
        (
            lambda p, X, y: ({k: v for k, v in p.items() if k != "b2"}, X, y),
            r"params must have keys \['W1', 'W2', 'b1', 'b2'\]; got \['W1', 'W2', 'b1'\]",
        ),
        (
            lambda p, X, y: (p, X[:, :2], y),
            r'params\["W1"\] must have shape \(D, H\) = \(2, \?\) to match X \(7, 2\); got \(5, 11\)$',
        ),
        (
            lambda p, X, y: (p, X, np.full(N, K)),
            r"y must hold labels in \[0, K\) = \[0, 3\) \(0-based\); got label 3",
        ),
        (
            lambda p, X, y: (p, X, y[:-1]),
            r"y must have shape \(N,\) = \(7,\) to match X \(7, 5\); got \(6,\)",
        ),
        (lambda p, X, y: (p, np.where(X > 1, np.inf, X), y), r"X must contain only finite values; got inf"),
        (lambda p, X, y: (p, X[:0], y[:0]), r"X must have N \(examples\) >= 1"),
    ],
)
def test_two_layer_bad_inputs_raise_clear_errors(change, expected):
    _, X, y = problem()
    params, X, y = change(two_layer_params(), X, y)
    with pytest.raises(ValueError, match=r"^two_layer_net_loss: " + expected):
        two_layer_net_loss(params, X, y, REG)


def test_linear_bad_inputs_raise_clear_errors():
    _, X, y = problem()
    params = init_linear_classifier(D, K, rng=make_rng())
    with pytest.raises(
        ValueError, match=r"^linear_classifier_loss: reg must be a finite number >= 0; got -1"
    ):
        linear_classifier_loss(params, X, y, -1)
    with pytest.raises(
        ValueError, match=r"^linear_classifier_loss: params must be a dict with keys \['W', 'b'\]; got list"
    ):
        linear_classifier_loss([params["W"], params["b"]], X, y, REG)
    with pytest.raises(
        ValueError, match=r'^linear_classifier_scores: params\["b"\] must have shape \(K,\) = \(3,\)'
    ):
        linear_classifier_scores({**params, "b": np.zeros(K + 1)}, X)
    with pytest.raises(ValueError, match=r"^init_two_layer_net: rng must be a numpy.random.RandomState"):
        init_two_layer_net(D, H, K, rng=0)
    with pytest.raises(ValueError, match=r"^init_linear_classifier: K must be an integer >= 1; got 0"):
        init_linear_classifier(D, 0, rng=make_rng())


def test_float32_data_with_float64_parameters_is_a_clear_error():
    rng, X, y = problem()
    params = init_two_layer_net(D, H, K, rng=rng)
    with pytest.raises(
        ValueError,
        match=r'^two_layer_net_loss: params\["W1"\] must have the dtype of X, float32; got float64',
    ):
        two_layer_net_loss(params, X.astype(np.float32), y, REG)


@pytest.mark.parametrize(
    "function, extra",
    [
        (linear_classifier_loss, (np.array([0, 1, 2, 0, 1, 2, 0]), 1e-3)),
        (linear_classifier_scores, ()),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_linear_results_that_overflow_from_finite_inputs_are_named_errors(function, extra):
    X = make_rng().randn(N, D)
    X[0, 0] = 1e308
    params = {"W": np.full((D, K), 10.0), "b": np.zeros(K)}
    with warnings_as_errors(), pytest.raises(
        ValueError, match=rf'^{function.__name__}: params(, X and reg| and X) {OVERFLOW} matmul\): largest '
        rf'magnitudes params\["W"\] 10, params\["b"\] 0, X 1e\+308'
    ):
        function(params, X, *extra)


@pytest.mark.parametrize("function", [two_layer_net_loss, two_layer_net_scores], ids=lambda f: f.__name__)
def test_two_layer_results_that_overflow_from_finite_inputs_are_named_errors(function):
    X = make_rng().randn(N, D)
    X[0, 0] = 1e308
    params = {"W1": np.full((D, H), 10.0), "b1": np.zeros(H), "W2": np.ones((H, K)), "b2": np.zeros(K)}
    extra = (np.zeros(N, dtype=int), 1e-3) if function is two_layer_net_loss else ()
    expected = rf"^{function.__name__}: params(, X and reg| and X) {OVERFLOW}"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        function(params, X, *extra)


def test_a_penalty_that_overflows_inside_a_loss_is_a_named_error():
    params = {"W": np.full((D, K), 1e200), "b": np.zeros(K)}
    with warnings_as_errors(), pytest.raises(
        ValueError, match=rf"^linear_classifier_loss: params, X and reg {OVERFLOW} multiply"
    ):
        linear_classifier_loss(params, make_rng().randn(N, D), np.zeros(N, dtype=int), 1.0)


@pytest.mark.parametrize(
    "init, sizes",
    [(init_linear_classifier, (D, K)), (init_two_layer_net, (D, H, K))],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_an_initial_scale_that_overflows_is_a_named_error(init, sizes):
    with warnings_as_errors(), pytest.raises(
        ValueError, match=rf"^{init.__name__}: scale {OVERFLOW} multiply\): largest magnitudes scale 1e\+308"
    ):
        init(*sizes, rng=np.random.RandomState(0), scale=1e308)
