"""The published printouts of the case study are the independent reference here."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

from backprop import case_study
from backprop.case_study import (
    PUBLISHED_LINEAR_ACCURACY,
    PUBLISHED_LINEAR_LOSSES,
    PUBLISHED_TWO_LAYER_ACCURACY,
    PUBLISHED_TWO_LAYER_LOSSES,
    run_case_study,
)

# Copied by hand from the case study page (cs231n/cs231n.github.io, neural-networks-case-study.md),
# kept here as well so that an edit of the module's constants cannot make the test agree with itself.
LINEAR_PRINTOUT = """
1.096956 0.917265 0.851503 0.822336 0.807586 0.799448 0.794681 0.791764 0.789920 0.788726
0.787938 0.787409 0.787049 0.786803 0.786633 0.786514 0.786431 0.786373 0.786331 0.786302
"""
TWO_LAYER_PRINTOUT = (
    "1.098744 0.294946 0.259301 0.248310 0.246170 0.245649 0.245491 0.245400 0.245335 0.245292"
)


@pytest.fixture(scope="module")
def reproduction():
    lines = []
    result = run_case_study(0, log=lines.append)
    return result, lines


def test_module_constants_are_the_published_numbers():
    assert PUBLISHED_LINEAR_LOSSES == tuple(float(s) for s in LINEAR_PRINTOUT.split())
    assert PUBLISHED_TWO_LAYER_LOSSES == tuple(float(s) for s in TWO_LAYER_PRINTOUT.split())
    assert (PUBLISHED_LINEAR_ACCURACY, PUBLISHED_TWO_LAYER_ACCURACY) == (0.49, 0.98)


def test_all_twenty_linear_losses_match_to_six_decimals(reproduction):
    result, _ = reproduction
    assert result.linear.logged_steps == tuple(range(0, 200, 10))
    assert [f"{loss:.6f}" for loss in result.linear.losses] == LINEAR_PRINTOUT.split()


def test_linear_training_accuracy_is_049(reproduction):
    result, _ = reproduction
    assert f"{result.linear.accuracy:.2f}" == "0.49"


def test_two_layer_losses_are_within_1e_5_of_every_published_value(reproduction):
    result, _ = reproduction
    assert result.two_layer.logged_steps == tuple(range(0, 10_000, 1000))
    published = np.array([float(s) for s in TWO_LAYER_PRINTOUT.split()])
    differences = np.abs(np.array(result.two_layer.losses) - published)
    assert differences.max() < 1e-5, differences


def test_two_layer_training_accuracy_is_098(reproduction):
    result, _ = reproduction
    assert f"{result.two_layer.accuracy:.2f}" == "0.98"


def test_the_log_prints_the_case_study_lines(reproduction):
    _, lines = reproduction
    linear_lines = [
        f"iteration {step}: loss {loss}" for step, loss in zip(range(0, 200, 10), LINEAR_PRINTOUT.split())
    ]
    start = lines.index(linear_lines[0])
    assert lines[start : start + 20] == linear_lines
    assert lines[start + 20] == "training accuracy: 0.49"
    assert lines[-1] == "training accuracy: 0.98"
    assert sum(line.startswith("iteration ") for line in lines) == 30


def test_one_n_for_both_models(reproduction):
    result, _ = reproduction
    assert result.X.shape == (300, 2) and np.bincount(result.y).tolist() == [100, 100, 100]
    assert len(result.linear.history) == 200 and len(result.two_layer.history) == 10_000


def test_main_prints_the_logs_and_the_comparison(reproduction, monkeypatch, capsys):
    result, lines = reproduction

    def replay(seed, *, log):  # reuse the module's run rather than training a second time
        assert seed == 0
        for line in lines:
            log(line)
        return result

    monkeypatch.setattr(case_study, "run_case_study", replay)
    assert case_study.main([]) == 0
    out = capsys.readouterr().out
    assert "iteration 190: loss 0.786302\ntraining accuracy: 0.49\n" in out
    assert "linear softmax classifier: 20 of 20 logged losses print as published" in out
    assert "accuracy 0.98 (published 0.98)" in out


def test_bad_seed_is_a_clear_error():
    with pytest.raises(
        ValueError, match=r"^run_case_study: seed must be an integer in \[0, 2\*\*32\); got -1"
    ):
        run_case_study(-1)
    completed = subprocess.run(
        [sys.executable, "-m", "backprop.case_study", "--seed", "-3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "--seed must be in [0, 2**32); got -3" in completed.stderr and "Traceback" not in completed.stderr


@pytest.mark.parametrize(
    "arguments, expected",
    [
        # was: TypeError "'str' object is not callable" from deep inside the run
        ({"log": "print"}, r"log must be callable with one string .*; got str$"),
        ({"log": 1.0}, r"log must be callable with one string .*; got float$"),
        ({"seed": 0.5}, r"seed must be an integer in \[0, 2\*\*32\); got 0.5$"),
        ({"seed": None}, r"seed must be an integer in \[0, 2\*\*32\); got None$"),
        ({"seed": True}, r"seed must be an integer in \[0, 2\*\*32\); got True$"),
        ({"two_layer_steps": -1}, r"two_layer_steps must be an integer >= 0; got -1$"),
        ({"two_layer_steps": 1e308}, r"two_layer_steps must be an integer >= 0; got 1e\+308$"),
        ({"two_layer_steps": "10"}, r"two_layer_steps must be an integer >= 0; got '10'$"),
    ],
)
def test_bad_arguments_are_clear_errors_before_any_training(arguments, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^run_case_study: " + expected):
            run_case_study(**arguments)
