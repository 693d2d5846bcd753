"""Every public function of backprop keeps the promise of _validation on bad input: a ValueError or
TypeError whose message starts with the function's name and names an argument, or a finite result;
never a RuntimeWarning, a NaN/inf result or a traceback from deep inside numpy.

The fuzz test starts from a valid call of each function and spoils one or two of its arguments:
an entry set to NaN, inf or a huge finite value (1e308: the overflows), a transposed or truncated
array, an empty batch, a list, an integer, float32 or read-only array, a wrong type, a callable
returning garbage. Hypothesis draws the cases from the fixed seed of the root conftest.py.
case_study's functions train for seconds on every valid call: test_backprop_case_study covers
their bad arguments.
"""

from __future__ import annotations

import inspect
import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop import _validation as v
from backprop.affine import affine_backward, affine_forward
from backprop.batchnorm import batchnorm_backward, batchnorm_backward_simplified, batchnorm_forward
from backprop.convolution import (
    conv_backward_im2col,
    conv_backward_naive,
    conv_forward_im2col,
    conv_forward_naive,
    conv_output_size,
    col2im,
    im2col,
    pad_input,
    sliding_windows,
)
from backprop.data import make_spiral
from backprop.dropout import dropout_backward, dropout_forward
from backprop.gradient_check import numerical_gradient, relative_error, verdict
from backprop.layernorm import layernorm_backward, layernorm_backward_simplified, layernorm_forward
from backprop.max_pooling import (
    first_max_mask,
    max_pool_backward_naive,
    max_pool_backward_reshape,
    max_pool_forward_naive,
    max_pool_forward_reshape,
    tiled_windows,
)
from backprop.models import (
    init_linear_classifier,
    init_two_layer_net,
    linear_classifier_loss,
    linear_classifier_scores,
    two_layer_net_loss,
    two_layer_net_scores,
)
from backprop.regularization import l2_penalty
from backprop.relu import relu_backward, relu_forward
from backprop.lstm import lstm_step_backward, lstm_step_forward
from backprop.rnn import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from backprop.sigmoid import (
    binary_cross_entropy,
    binary_cross_entropy_loss,
    sigmoid,
    sigmoid_backward,
    sigmoid_forward,
)
from backprop.softmax import softmax, softmax_loss
from backprop.spatial_batchnorm import spatial_batchnorm_backward, spatial_batchnorm_forward
from backprop.svm import scores_near_kinks, svm_loss
from backprop.training import accuracy, train

# Distinct sizes: a transposed argument cannot fit by accident.
N, D, H, K = 4, 3, 5, 2


def valid_call(name):
    """``(function, a valid argument dict)`` for the public function ``name``; fresh arrays each time."""
    rng = np.random.RandomState(0)
    X, W, b = rng.randn(N, D), rng.randn(D, K), rng.randn(K)
    scores, labels = rng.randn(N, K), np.array([0, 1, 1, 0])
    Z = rng.randn(N, H)

    def linear():
        return init_linear_classifier(D, K, rng=np.random.RandomState(1))

    def two_layer():
        return init_two_layer_net(D, H, K, rng=np.random.RandomState(2))

    def batchnorm_cache():
        return batchnorm_forward(X, rng.rand(D) + 0.5, rng.randn(D))[1]

    def rnn_parameters():
        return {"Wx": rng.randn(D, H), "Wh": rng.randn(H, H), "b": rng.randn(H)}

    T = 2  # the length of a sequence, distinct from the other sizes

    def lstm_inputs():
        return {"x": rng.randn(N, D), "prev_h": rng.randn(N, H), "prev_c": rng.randn(N, H),
                "Wx": rng.randn(D, 4 * H), "Wh": rng.randn(H, 4 * H), "b": rng.randn(4 * H)}

    def conv_inputs():
        return {"x": rng.randn(N, 3, 5, 6), "w": rng.randn(2, 3, 3, 2), "b": rng.randn(2),
                "conv_param": {"stride": 2, "pad": 1}}

    calls = {
        "lstm_step_forward": lambda: (lstm_step_forward, lstm_inputs()),
        "lstm_step_backward": lambda: (
            lstm_step_backward,
            {"dnext_h": rng.randn(N, H), "dnext_c": rng.randn(N, H),
             "cache": lstm_step_forward(**lstm_inputs())[2]},
        ),  # fmt: skip
        "rnn_step_forward": lambda: (
            rnn_step_forward, {"x": rng.randn(N, D), "prev_h": rng.randn(N, H), **rnn_parameters()}
        ),
        "rnn_step_backward": lambda: (
            rnn_step_backward,
            {"dnext_h": rng.randn(N, H),
             "cache": rnn_step_forward(rng.randn(N, D), rng.randn(N, H), **rnn_parameters())[1]},
        ),  # fmt: skip
        "rnn_forward": lambda: (
            rnn_forward, {"x": rng.randn(N, T, D), "h0": rng.randn(N, H), **rnn_parameters()}
        ),
        "rnn_backward": lambda: (
            rnn_backward,
            {"dh": rng.randn(N, T, H),
             "cache": rnn_forward(rng.randn(N, T, D), rng.randn(N, H), **rnn_parameters())[1]},
        ),  # fmt: skip
        "affine_forward": lambda: (affine_forward, {"X": X, "W": W, "b": b}),
        "affine_backward": lambda: (
            affine_backward, {"dF": rng.randn(N, K), "cache": (X, W), "compute_dX": True}
        ),
        "relu_forward": lambda: (relu_forward, {"Z": Z}),
        "relu_backward": lambda: (relu_backward, {"dA": rng.randn(N, H), "cache": Z}),
        "softmax": lambda: (softmax, {"scores": scores}),
        "softmax_loss": lambda: (softmax_loss, {"scores": scores, "labels": labels}),
        "svm_loss": lambda: (svm_loss, {"scores": scores, "labels": labels, "margin": 1.0}),
        "scores_near_kinks": lambda: (
            scores_near_kinks, {"scores": scores, "labels": labels, "h": 1e-5, "margin": 1.0}
        ),
        "l2_penalty": lambda: (l2_penalty, {"W": W, "reg": 1e-3}),
        "batchnorm_forward": lambda: (
            batchnorm_forward, {"X": X, "gamma": rng.rand(D) + 0.5, "beta": rng.randn(D), "eps": 1e-5}
        ),
        "batchnorm_backward": lambda: (
            batchnorm_backward, {"dY": rng.randn(N, D), "cache": batchnorm_cache()}
        ),
        "batchnorm_backward_simplified": lambda: (
            batchnorm_backward_simplified, {"dY": rng.randn(N, D), "cache": batchnorm_cache()}
        ),
        "sigmoid": lambda: (sigmoid, {"Z": Z}),
        "sigmoid_forward": lambda: (sigmoid_forward, {"Z": Z}),
        "sigmoid_backward": lambda: (sigmoid_backward, {"dS": rng.randn(N, H), "cache": sigmoid(Z)}),
        "binary_cross_entropy": lambda: (
            binary_cross_entropy, {"logits": scores, "targets": rng.uniform(0, 1, (N, K))}
        ),
        "binary_cross_entropy_loss": lambda: (
            binary_cross_entropy_loss, {"logits": scores, "targets": rng.uniform(0, 1, (N, K))}
        ),
        # Four axes of distinct sizes (N, C, H, W) = (4, 3, 2, 5).
        "spatial_batchnorm_forward": lambda: (
            spatial_batchnorm_forward,
            {"X": rng.randn(N, 3, 2, 5), "gamma": rng.rand(3) + 0.5, "beta": rng.randn(3), "eps": 1e-5},
        ),
        "spatial_batchnorm_backward": lambda: (
            spatial_batchnorm_backward,
            {"dY": rng.randn(N, 3, 2, 5),
             "cache": spatial_batchnorm_forward(rng.randn(N, 3, 2, 5), rng.rand(3) + 0.5, rng.randn(3))[1]},
        ),
        # (N, C, H, W) = (4, 3, 5, 6), filters (F, C, HH, WW) = (2, 3, 3, 2), stride 2, pad 1: the
        # output is (4, 2, 3, 4); a spoiled stride or pad may no longer fit, which must be refused.
        "conv_forward_naive": lambda: (conv_forward_naive, conv_inputs()),
        "conv_forward_im2col": lambda: (conv_forward_im2col, conv_inputs()),
        "conv_backward_naive": lambda: (
            conv_backward_naive, {"dout": rng.randn(N, 2, 3, 4), "cache": conv_forward_naive(**conv_inputs())[1]}
        ),
        "conv_backward_im2col": lambda: (
            conv_backward_im2col, {"dout": rng.randn(N, 2, 3, 4), "cache": conv_forward_im2col(**conv_inputs())[1]}
        ),
        "conv_output_size": lambda: (conv_output_size, {"size": 5, "kernel": 3, "stride": 2, "pad": 1}),
        "pad_input": lambda: (pad_input, {"x": rng.randn(N, 3, 5, 6), "pad": 1}),
        # a padded input (N, C, Hp, Wp) = (4, 3, 7, 8) under windows 3 x 2 at stride 2: H', W' = 3, 4
        "sliding_windows": lambda: (
            sliding_windows, {"x_pad": rng.randn(N, 3, 7, 8), "kernel_height": 3, "kernel_width": 2, "stride": 2}
        ),
        "im2col": lambda: (
            im2col, {"x_pad": rng.randn(N, 3, 7, 8), "kernel_height": 3, "kernel_width": 2, "stride": 2}
        ),
        "col2im": lambda: (
            col2im,
            {"dcols": rng.randn(N * 3 * 4, 3 * 3 * 2), "padded_shape": (N, 3, 7, 8), "kernel_height": 3,
             "kernel_width": 2, "stride": 2},
        ),  # fmt: skip
        "dropout_forward": lambda: (
            dropout_forward, {"X": X, "keep_prob": 0.5, "mode": "train", "mask": rng.rand(N, D) < 0.5}
        ),
        "dropout_forward_rng": lambda: (
            dropout_forward, {"X": X, "keep_prob": 0.5, "mode": "train", "rng": np.random.default_rng(6)}
        ),
        "dropout_backward": lambda: (
            dropout_backward, {"dY": rng.randn(N, D), "cache": (rng.rand(N, D) < 0.5, 0.5)}
        ),
        "layernorm_forward": lambda: (
            layernorm_forward,
            {"X": X, "gamma": rng.rand(D) + 0.5, "beta": rng.randn(D), "ln_param": {"eps": 1e-5}},
        ),
        "layernorm_backward": lambda: (
            layernorm_backward,
            {"dY": rng.randn(N, D), "cache": layernorm_forward(X, rng.rand(D) + 0.5, rng.randn(D), {})[1]},
        ),
        "layernorm_backward_simplified": lambda: (
            layernorm_backward_simplified,
            {"dY": rng.randn(N, D), "cache": layernorm_forward(X, rng.rand(D) + 0.5, rng.randn(D), {})[1]},
        ),
        # (N, C, H, W) = (4, 3, 5, 7) with 3 x 3 windows of stride 2, overlapping: H' = 2, W' = 3;
        # the reshape pair on (4, 3, 2, 6) with 2 x 2 windows of stride 2, which tile it
        "max_pool_forward_naive": lambda: (
            max_pool_forward_naive,
            {"x": rng.randn(N, 3, 5, 7), "pool_param": {"pool_height": 3, "pool_width": 3, "stride": 2}},
        ),
        "max_pool_backward_naive": lambda: (
            max_pool_backward_naive,
            {"dout": rng.randn(N, 3, 2, 3),
             "cache": (rng.randn(N, 3, 5, 7), {"pool_height": 3, "pool_width": 3, "stride": 2})},
        ),  # fmt: skip
        "max_pool_forward_reshape": lambda: (
            max_pool_forward_reshape,
            {"x": rng.randn(N, 3, 2, 6), "pool_param": {"pool_height": 2, "pool_width": 2, "stride": 2}},
        ),
        "max_pool_backward_reshape": lambda: (
            max_pool_backward_reshape,
            {"dout": rng.randn(N, 3, 1, 3),
             "cache": (rng.randn(N, 3, 2, 6), {"pool_height": 2, "pool_width": 2, "stride": 2})},
        ),  # fmt: skip
        "tiled_windows": lambda: (tiled_windows, {"x": rng.randn(N, 3, 2, 6), "pool_size": 2}),
        "first_max_mask": lambda: (first_max_mask, {"windows": rng.randn(N, 3, 2, 2)}),
        # sin: no overflow for any finite x +- h (a user's f that overflows would warn itself)
        "numerical_gradient": lambda: (
            numerical_gradient, {"f": lambda x: float(np.sum(np.sin(x))), "x": rng.randn(3), "h": 1e-5}
        ),
        "relative_error": lambda: (relative_error, {"analytic": rng.randn(3), "numeric": rng.randn(3)}),
        "verdict": lambda: (verdict, {"error": 1e-6, "has_kinks": False}),
        "train": lambda: (
            train,
            {
                "loss_fn": linear_classifier_loss, "params": linear(), "X": X, "y": labels, "reg": 1e-3,
                "step_size": 1.0, "num_steps": 3, "log_every": 1, "log": None,
            },
        ),  # fmt: skip
        "accuracy": lambda: (
            accuracy, {"scores_fn": linear_classifier_scores, "params": linear(), "X": X, "y": labels}
        ),
        "init_linear_classifier": lambda: (
            init_linear_classifier, {"D": D, "K": K, "rng": np.random.RandomState(3), "scale": 0.01}
        ),
        "linear_classifier_scores": lambda: (linear_classifier_scores, {"params": linear(), "X": X}),
        "linear_classifier_loss": lambda: (
            linear_classifier_loss, {"params": linear(), "X": X, "y": labels, "reg": 1e-3}
        ),
        "init_two_layer_net": lambda: (
            init_two_layer_net, {"D": D, "H": H, "K": K, "rng": np.random.RandomState(4), "scale": 0.01}
        ),
        "two_layer_net_scores": lambda: (two_layer_net_scores, {"params": two_layer(), "X": X}),
        "two_layer_net_loss": lambda: (
            two_layer_net_loss, {"params": two_layer(), "X": X, "y": labels, "reg": 1e-3}
        ),
        "make_spiral": lambda: (
            make_spiral,
            {"points_per_class": 5, "num_classes": 3, "rng": np.random.RandomState(5), "noise": 0.2},
        ),
    }
    return calls[name]() if name is not None else sorted(calls)


FUNCTIONS = valid_call(None)

SPECIAL_VALUES = [np.nan, np.inf, -np.inf, 1e308, -1e308, 1e200, 3e38, 1e-320, 0.0]
# No large positive integers: a count of 10**9 is valid and would only take long.
PLAIN_BAD_VALUES = [
    None, "1", True, 0, -1, 2, 0.0, -1.0, 1e308, -1e308, np.nan, np.inf, 1e-320, [], [[1.0, 2.0], [3.0]],
    (), {}, {"W": None}, np.float64(np.nan), np.array(1.0), np.zeros((0, 0)), np.zeros(0),
    np.zeros((2, 3), dtype=complex), np.array([["a"]]), np.zeros((1, 1), dtype=object),
    lambda *args, **kwargs: None, lambda *args, **kwargs: (np.nan, {}), lambda *args, **kwargs: np.nan,
    lambda *args, **kwargs: "x", lambda *args, **kwargs: (1.0, None),
]  # fmt: skip


def spoiled(value, data):
    """A bad version of the valid argument ``value``: drawn from the plain bad values, or derived."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size and data.draw(st.booleans()):
        kind = data.draw(st.sampled_from(["entry", "transpose", "drop", "empty", "list", "int", "float32",
                                          "read-only", "scale", "add-axis"]))  # fmt: skip
        array = value.copy()
        if kind == "entry":
            index = tuple(data.draw(st.integers(0, size - 1)) for size in array.shape)
            array[index] = data.draw(st.sampled_from(SPECIAL_VALUES))
            return array
        if kind == "transpose":
            return array.T
        if kind == "drop":
            axis = data.draw(st.integers(0, array.ndim - 1))
            return np.delete(array, 0, axis=axis)
        if kind == "empty":
            axis = data.draw(st.integers(0, array.ndim - 1))
            return np.take(array, [], axis=axis)
        if kind == "list":
            return array.tolist()
        if kind == "int":
            return (array * 3).astype(np.int64)
        if kind == "float32":
            return array.astype(np.float32)
        if kind == "read-only":
            array.flags.writeable = False
            return array
        if kind == "scale":
            return array * data.draw(st.sampled_from([1e154, 1e300, -1e307, 1e-300, 0.0]))
        return array[np.newaxis]
    if isinstance(value, tuple) and value and data.draw(st.booleans()):  # a cache: spoil one member
        position = data.draw(st.integers(0, len(value) - 1))
        members = list(value)
        members[position] = spoiled(value[position], data)
        return tuple(members) if data.draw(st.booleans()) else tuple(members[:-1])
    if isinstance(value, dict) and value and data.draw(st.booleans()):  # params: spoil one member
        key = data.draw(st.sampled_from(sorted(value)))
        return {**value, key: spoiled(value[key], data)}
    if isinstance(value, (int, float)) and not isinstance(value, bool) and data.draw(st.booleans()):
        return data.draw(st.sampled_from([value * 1e308, -value, value * 1e-320, float(value) + 0.5]))
    return data.draw(st.sampled_from(PLAIN_BAD_VALUES))


def non_finite_in(result):
    """True if ``result`` (nested tuples, lists, dicts) holds a NaN/inf float or float array."""
    if isinstance(result, (tuple, list)):
        return any(non_finite_in(item) for item in result)
    if isinstance(result, dict):
        return any(non_finite_in(item) for item in result.values())
    if isinstance(result, (float, np.floating)):
        return not np.isfinite(result)
    if isinstance(result, np.ndarray) and result.dtype.kind == "f":
        return not np.isfinite(result).all()
    return False


def assert_clean_outcome(name, function, arguments):
    """Call ``function(**arguments)`` with warnings as errors; only a named error or a finite result."""
    parameters = list(inspect.signature(function).parameters)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = function(**arguments)
        except (ValueError, TypeError) as exc:
            message = str(exc)
            # train and accuracy pass their arguments to loss_fn / scores_fn, which check them
            callees = [getattr(a, "__name__", "") for a in arguments.values() if callable(a)]
            callers = [name, function.__name__, *callees]  # dropout_forward_rng: a second valid call
            assert any(message.startswith(f"{caller}: ") for caller in callers), (
                f"message does not name {name}: {message!r}"
            )
            named = [p for p in parameters if re.search(rf"(?<![\w]){re.escape(p)}(?![\w])", message)]
            assert named, f"message names no argument of {name} {parameters}: {message!r}"
            return "error"
    assert not non_finite_in(result), f"{name} returned a non-finite result: {result!r:.200}"
    return "result"


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_valid_baseline_call_succeeds(name):
    # The fuzz test spoils these calls; each must be valid to begin with.
    function, arguments = valid_call(name)
    assert assert_clean_outcome(name, function, arguments) == "result"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FUNCTIONS), data=st.data())
def test_bad_arguments_give_named_errors_or_finite_results_and_no_warnings(name, data):
    function, arguments = valid_call(name)
    to_spoil = data.draw(st.lists(st.sampled_from(sorted(arguments)), min_size=1, max_size=2, unique=True))
    for argument in to_spoil:
        arguments[argument] = spoiled(arguments[argument], data)
    assert_clean_outcome(name, function, arguments)


def test_call_guarded_names_the_inputs_and_their_magnitudes():
    W = np.array([[1e308, 1.0]])
    with pytest.raises(
        ValueError,
        match=r"^demo: W and reg are finite, but the result is not \(overflow encountered in multiply\): "
        r"largest magnitudes W 1e\+308, reg 10; rescale them",
    ):
        v.call_guarded("demo", {"W": W, "reg": 10.0}, lambda: W * 10.0)
    with pytest.raises(ValueError, match=r"^demo: x is finite, but the result is not \(got inf\)"):
        v.call_guarded("demo", {"x": 1e308}, lambda: 1e308 * 10.0)  # Python floats overflow silently


def test_call_guarded_leaves_underflow_alone_and_restores_the_checks():
    assert v.call_guarded("demo", {"x": 1e-300}, lambda: np.array([1e-300]) * 1e-300)[0] == 0.0
    assert v.checks_enabled()
