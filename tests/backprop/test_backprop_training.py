import re

import numpy as np
import pytest
from backprop_testing import D, K, N, make_rng, warnings_as_errors

from backprop import _validation
from backprop.models import init_linear_classifier, linear_classifier_loss, linear_classifier_scores
from backprop.softmax import softmax
from backprop.training import accuracy, train


def problem():
    rng = make_rng()
    return rng.randn(N, D), rng.randint(0, K, N), init_linear_classifier(D, K, rng=rng, scale=1.0)


def test_parameters_follow_the_gradient_descent_recursion():
    X, y, params = problem()
    expected = {name: value.copy() for name, value in params.items()}
    for _ in range(3):  # the recursion p <- p - step * grad, written out with the model's gradients
        _, grads = linear_classifier_loss(expected, X, y, 0.01)
        expected = {name: expected[name] - 0.5 * grads[name] for name in expected}
    history = train(
        linear_classifier_loss, params, X, y, reg=0.01, step_size=0.5, num_steps=3, log_every=1, log=None
    )
    for name in params:
        np.testing.assert_allclose(params[name], expected[name], rtol=1e-14)
    assert [step for step, _ in history] == [0, 1, 2]


def test_history_holds_the_loss_before_each_update_and_decreases():
    X, y, params = problem()
    initial_loss, _ = linear_classifier_loss(params, X, y, 1e-3)
    history = train(
        linear_classifier_loss, params, X, y, reg=1e-3, step_size=0.5, num_steps=30, log_every=10, log=None
    )
    assert history[0] == (0, initial_loss)
    losses = [loss for _, loss in history]
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))


def test_log_lines_use_the_case_study_format():
    X, y, params = problem()
    lines = []
    history = train(
        linear_classifier_loss,
        params,
        X,
        y,
        reg=1e-3,
        step_size=0.5,
        num_steps=25,
        log_every=10,
        log=lines.append,
    )
    assert len(lines) == 3
    for line, step in zip(lines, [0, 10, 20]):
        assert re.fullmatch(rf"iteration {step}: loss \d+\.\d{{6}}", line)
        assert float(line.split()[-1]) == pytest.approx(history[step][1], abs=5e-7)


def test_checks_are_back_on_after_training_even_if_the_loss_function_raised():
    X, y, params = problem()

    def failing_loss(params, X, y, reg):
        if not _validation.checks_enabled():
            raise RuntimeError("boom")
        return linear_classifier_loss(params, X, y, reg)

    with pytest.raises(RuntimeError, match="boom"):
        train(failing_loss, params, X, y, reg=0.0, step_size=0.1, num_steps=3, log_every=1, log=None)
    with pytest.raises(ValueError, match="^softmax: scores must contain only finite values"):
        softmax(np.array([[np.nan, 0.0]]))


def test_bad_data_is_reported_by_the_first_step():
    X, y, params = problem()
    with pytest.raises(
        ValueError, match=r"^linear_classifier_loss: y must hold labels in \[0, K\) = \[0, 3\)"
    ):
        train(
            linear_classifier_loss,
            params,
            X,
            y + K,
            reg=0.0,
            step_size=0.1,
            num_steps=2,
            log_every=1,
            log=None,
        )


def test_divergence_is_a_clear_error():
    X, y, params = problem()
    with np.errstate(all="ignore"):
        with pytest.raises(
            ValueError,
            match=r"^train: the loss became (nan|inf) at step 1: training diverged; use a smaller step_size",
        ):
            train(
                linear_classifier_loss,
                params,
                X,
                y,
                reg=1.0,
                step_size=1e308,
                num_steps=5,
                log_every=1,
                log=None,
            )


def test_gradients_must_match_the_parameters():
    X, y, params = problem()

    def wrong_keys(params, X, y, reg):
        return 1.0, {"W": np.zeros((D, K))}

    def wrong_shape(params, X, y, reg):
        return 1.0, {"W": np.zeros((K, D)), "b": np.zeros(K)}

    with pytest.raises(
        ValueError, match=r"^train: loss_fn must return gradients for the keys \['W', 'b'\]; got \['W'\]"
    ):
        train(wrong_keys, params, X, y, reg=0.0, step_size=0.1, num_steps=1, log_every=1, log=None)
    with pytest.raises(
        ValueError, match=r"^train: the gradient of W must have the shape of W, \(5, 3\); got \(3, 5\)"
    ):
        train(wrong_shape, params, X, y, reg=0.0, step_size=0.1, num_steps=1, log_every=1, log=None)


@pytest.mark.parametrize(
    "override, expected",
    [
        ({"step_size": 0.0}, r"step_size must be a finite number > 0; got 0.0"),
        ({"num_steps": -1}, r"num_steps must be an integer >= 0; got -1"),
        ({"num_steps": 2.5}, r"num_steps must be an integer >= 0; got float 2.5"),
        ({"log_every": 0}, r"log_every must be an integer >= 1; got 0"),
        ({"loss_fn": "linear"}, r"loss_fn must be callable"),
        ({"log": "stdout"}, r"log must be callable with one string, or None; got str"),
    ],
)
def test_bad_arguments_raise_clear_errors(override, expected):
    X, y, params = problem()
    arguments = dict(
        loss_fn=linear_classifier_loss, reg=0.0, step_size=0.1, num_steps=1, log_every=1, log=None
    )
    arguments.update(override)
    loss_fn = arguments.pop("loss_fn")
    with pytest.raises(ValueError, match=r"^train: " + expected):
        train(loss_fn, params, X, y, **arguments)


def test_accuracy_counts_rows_whose_top_score_is_the_label():
    params = {"W": np.eye(3), "b": np.zeros(3)}
    X = np.array([[3.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 0.0, 1.0], [5.0, 0.0, 0.0]])
    assert accuracy(linear_classifier_scores, params, X, np.array([0, 1, 2, 1])) == 0.75
    with pytest.raises(ValueError, match=r"^accuracy: y must have shape \(N,\) = \(4,\)"):
        accuracy(linear_classifier_scores, params, X, np.array([0, 1]))


def test_an_error_in_the_log_function_propagates_and_leaves_checks_on():
    X, y, params = problem()

    def log(line):
        if line.startswith("iteration 2"):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        train(linear_classifier_loss, params, X, y, reg=0.0, step_size=0.1, num_steps=5, log_every=1, log=log)
    assert _validation.checks_enabled()


def run(params, X, y, loss_fn=linear_classifier_loss, **overrides):
    arguments = {"reg": 1e-3, "step_size": 1.0, "num_steps": 3, "log_every": 1, "log": None, **overrides}
    with warnings_as_errors():
        return train(loss_fn, params, X, y, **arguments)


def test_lists_for_X_and_y_train_every_step_like_arrays():
    # Was: step 1 failed with "'list' object has no attribute 'T'" (only step 0 converted X).
    X, y, params = problem()
    expected = {name: value.copy() for name, value in params.items()}
    history = run(params, X.tolist(), y.tolist())
    assert history == run(expected, X, y)
    for name in params:
        np.testing.assert_array_equal(params[name], expected[name])


def test_non_finite_gradients_from_the_loss_function_stop_training_with_the_parameters_intact():
    X, y, params = problem()
    before = {name: value.copy() for name, value in params.items()}

    def nan_gradients(params, X, y, reg):
        return 1.0, {"W": np.full_like(params["W"], np.nan), "b": np.zeros_like(params["b"])}

    with pytest.raises(
        ValueError,
        match=r"^train: the gradient of W must contain only finite values; got nan at index \(0, 0\) .*"
        r"\(at step 0, before its update: the parameters are as they were; loss_fn returned it\)$",
    ):
        run(params, X, y, nan_gradients)
    for name in params:
        np.testing.assert_array_equal(params[name], before[name])


def test_non_finite_gradients_in_the_last_step_are_caught_before_its_update():
    X, y, params = problem()
    calls = []

    def nan_gradients_at_step_2(params, X, y, reg):
        loss, grads = linear_classifier_loss(params, X, y, reg)
        calls.append(loss)
        if len(calls) == 3:
            grads["b"] = grads["b"] * np.inf
        return loss, grads

    expected = (
        r"^train: the gradient of b must contain only finite values; got -?inf .*"
        r"at step 2, before its update"
    )
    with pytest.raises(ValueError, match=expected):
        run(params, X, y, nan_gradients_at_step_2)
    assert np.isfinite(params["b"]).all()


def test_non_finite_gradients_in_a_middle_step_show_in_the_next_loss():
    X, y, params = problem()
    calls = []

    def nan_gradients_at_step_1(params, X, y, reg):
        loss, grads = linear_classifier_loss(params, X, y, reg)
        calls.append(loss)
        if len(calls) == 2:
            grads["W"] = grads["W"] * np.nan
        return loss, grads

    expected = (
        r"^train: the loss became nan at step 2: training diverged; use a smaller "
        r"step_size than 1.0; or loss_fn returned a NaN/inf gradient at step 1$"
    )
    with pytest.raises(ValueError, match=expected):
        run(params, X, y, nan_gradients_at_step_1, num_steps=5)


def test_a_huge_reg_is_named_as_the_cause_of_divergence():
    # Was: "training diverged; use a smaller step_size" with no word on reg. With weights of size 1
    # the very first loss overflows; with the case study's 0.01 the first update does.
    X, y, params = problem()
    expected = (
        r'^linear_classifier_loss: params, X and reg are finite, but the result is '
        r'not \(got inf\): largest magnitudes .* reg 1e\+308'
    )
    with pytest.raises(ValueError, match=expected):
        run(params, X, y, reg=1e308)
    params = init_linear_classifier(D, K, rng=make_rng())
    expected = (
        r"^train: the loss became inf at step 1: training diverged; use a smaller "
        r"step_size than 1.0 \(step_size \* reg = 1e\+308 > 2 makes the L2 "
        r"penalty's updates grow W\)$"
    )
    with pytest.raises(ValueError, match=expected):
        run(params, X, y, reg=1e308)


def test_a_non_finite_loss_before_any_update_is_not_called_divergence():
    X, y, params = problem()
    expected = (
        r"^train: loss_fn returned a loss of inf at step 0, before any update: "
        r"check its arguments \(reg = 0.001, params, X\)$"
    )
    with pytest.raises(ValueError, match=expected):
        run(params, X, y, lambda params, *_: (np.inf, {name: np.zeros_like(p) for name, p in params.items()}))


@pytest.mark.parametrize(
    "returned, expected",
    [
        (None, r"loss_fn must return the pair \(loss, grads\); got NoneType None"),
        ((1.0,), r"loss_fn must return the pair \(loss, grads\); got tuple \(1.0,\)"),
        (("1.0", {}), r"loss_fn must return gradients for the keys \['W', 'b'\]; got \[\]"),
    ],
)
def test_a_loss_function_returning_garbage_is_a_named_error(returned, expected):
    X, y, params = problem()
    with pytest.raises(ValueError, match=r"^train: " + expected):
        run(params, X, y, lambda *args: returned)


def test_a_loss_that_is_not_a_number_is_a_named_error():
    X, y, params = problem()
    zero = {name: np.zeros_like(p) for name, p in params.items()}
    expected = r"^train: loss_fn must return \(loss, grads\) with a real loss; got str"
    with pytest.raises(ValueError, match=expected):
        run(params, X, y, lambda *args: ("1.0", zero))


@pytest.mark.parametrize(
    "params, expected",
    [
        (  # was: UFuncTypeError from the in-place update
            {"W": np.ones((D, K), dtype=np.int64), "b": np.zeros(K, dtype=np.int64)},
            r"params\['W'\] must be a float32 or float64 array \(it is updated in place\); got dtype int64",
        ),
        (
            {"W": np.broadcast_to(0.0, (D, K)), "b": np.zeros(K)},
            r"params\['W'\] must be writeable \(it is updated in place\); got a read-only array",
        ),
    ],
)
def test_parameters_that_cannot_be_updated_in_place_are_named_errors(params, expected):
    X, y, _ = problem()
    with pytest.raises(ValueError, match=r"^train: " + expected):
        run(params, X, y)


def test_ragged_labels_are_a_named_error():
    X, _, params = problem()
    with pytest.raises(ValueError, match=r"^train: y must be an integer array of class labels; got list"):
        run(params, X, [[0, 1], [2]])


def test_accuracy_of_an_empty_batch_is_an_error_not_nan():
    _, _, params = problem()
    with warnings_as_errors(), pytest.raises(
        ValueError, match=rf"^accuracy: X must hold at least one example \(N >= 1\); got shape \(0, {D}\)$"
    ):
        accuracy(linear_classifier_scores, params, np.zeros((0, D)), np.zeros(0, dtype=int))


def test_accuracy_of_non_finite_scores_is_an_error_not_a_vote_for_class_0():
    X, y, params = problem()
    with pytest.raises(
        ValueError,
        match=r"^accuracy: the scores from scores_fn must contain only finite values; "
        r"got nan at index \(0, 0\)",
    ):
        accuracy(lambda params, X: np.full((N, K), np.nan), params, X, y)
    expected = r"^accuracy: the scores from scores_fn must be a real array .* object"
    with pytest.raises(ValueError, match=expected):
        accuracy(lambda params, X: None, params, X, y)
    with pytest.raises(ValueError, match=r"^accuracy: the scores from scores_fn must have shape \(N, K\)"):
        accuracy(lambda params, X: np.zeros(N), params, X, y)
    expected = r"^accuracy: scores_fn must be callable as scores_fn\(params, X\); got str"
    with pytest.raises(ValueError, match=expected):
        accuracy("linear", params, X, y)
