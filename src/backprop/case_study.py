"""Reproduce the two experiments of the CS231n case study and their published printouts.

Run ``python -m backprop.case_study`` to print both loss logs and training accuracies, in the case
study's format, followed by a comparison with the published numbers.

Seeding (a measured finding, see the project notes): seed NumPy's legacy generator with 0, make the
data class by class, draw and discard 18 standard normals (three discarded 2 x 3 weight
initialisations: the original notebook cell was most likely run several times), then initialise
and train the linear classifier, then the two-layer network, all from the same random stream.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from backprop.data import make_spiral
from backprop.models import (
    init_linear_classifier,
    init_two_layer_net,
    linear_classifier_loss,
    linear_classifier_scores,
    two_layer_net_loss,
    two_layer_net_scores,
)
from backprop.training import accuracy, train

# The published printouts of the case study: cs231n/cs231n.github.io, neural-networks-case-study.md
# (Stanford CS231n notes, "Putting it together: Minimal Neural Network Case Study", MIT licence).
#: Linear classifier: the loss at steps 0, 10, ..., 190.
PUBLISHED_LINEAR_LOSSES = (
    1.096956, 0.917265, 0.851503, 0.822336, 0.807586, 0.799448, 0.794681, 0.791764, 0.789920, 0.788726,
    0.787938, 0.787409, 0.787049, 0.786803, 0.786633, 0.786514, 0.786431, 0.786373, 0.786331, 0.786302,
)  # fmt: skip
PUBLISHED_LINEAR_ACCURACY = 0.49
#: Two-layer network: the loss at steps 0, 1000, ..., 9000.
PUBLISHED_TWO_LAYER_LOSSES = (
    1.098744, 0.294946, 0.259301, 0.248310, 0.246170, 0.245649, 0.245491, 0.245400, 0.245335, 0.245292,
)  # fmt: skip
PUBLISHED_TWO_LAYER_ACCURACY = 0.98

# The case study's hyperparameters.
POINTS_PER_CLASS, NUM_CLASSES, NUM_FEATURES = 100, 3, 2
HIDDEN_UNITS = 100
STEP_SIZE, REG = 1.0, 1e-3
LINEAR_STEPS, LINEAR_LOG_EVERY = 200, 10
TWO_LAYER_STEPS, TWO_LAYER_LOG_EVERY = 10_000, 1_000
#: Standard normals drawn and discarded between the data and the first initialisation (see above).
DISCARDED_NORMALS = 18


@dataclass(frozen=True)
class Experiment:
    """One trained model: its logged losses beside the published ones, and its training accuracy.

    Examples:
        >>> run = Experiment("demo", (0, 10), (1.0969561, 0.917262), 0.5, (1.096956, 0.917265), 0.49, (), {})
        >>> run.losses_matching_printout(), f"{run.max_loss_difference():.1e}"
        (1, '3.0e-06')
    """

    name: str
    logged_steps: tuple[int, ...]
    losses: tuple[float, ...]  # at logged_steps
    accuracy: float
    published_losses: tuple[float, ...]
    published_accuracy: float
    history: tuple[tuple[int, float], ...]  # every step
    params: dict

    def max_loss_difference(self) -> float:
        """Largest |ours - published| over the logged steps (0.0 when no step was logged)."""
        return max(
            (abs(ours - theirs) for ours, theirs in zip(self.losses, self.published_losses)), default=0.0
        )

    def losses_matching_printout(self) -> int:
        """How many logged losses print exactly as published (6 decimals, the printout's format)."""
        return sum(f"{ours:f}" == f"{theirs:f}" for ours, theirs in zip(self.losses, self.published_losses))


@dataclass(frozen=True)
class CaseStudyResult:
    """Both experiments on the same data: ``X`` (N, 2), ``y`` (N,) with N = 300."""

    X: np.ndarray
    y: np.ndarray
    linear: Experiment
    two_layer: Experiment


def _run(name, loss_fn, scores_fn, params, X, y, num_steps, log_every, published, published_accuracy, log):
    if log is not None:
        log(f"== {name}: {num_steps} steps, loss logged every {log_every} ==")
    history = train(
        loss_fn, params, X, y, reg=REG, step_size=STEP_SIZE, num_steps=num_steps, log_every=log_every, log=log
    )
    logged = tuple((step, loss) for step, loss in history if step % log_every == 0)
    training_accuracy = accuracy(scores_fn, params, X, y)
    if log is not None:
        log(f"training accuracy: {training_accuracy:.2f}")  # the case study's format
    return Experiment(
        name=name,
        logged_steps=tuple(step for step, _ in logged),
        losses=tuple(loss for _, loss in logged),
        accuracy=training_accuracy,
        published_losses=published,
        published_accuracy=published_accuracy,
        history=tuple(history),
        params=params,
    )


def run_case_study(
    seed: int = 0, *, log: Callable[[str], object] | None = None, two_layer_steps: int = TWO_LAYER_STEPS
) -> CaseStudyResult:
    """Train both models of the case study with its hyperparameters; takes a few seconds.

    Args:
        seed: seed of the ``np.random.RandomState`` stream; 0 reproduces the published printouts.
        log: called with each log line (``print`` to watch), None for silence.
        two_layer_steps: fewer steps for a quick look (the linear run is unaffected); the published
            two-layer numbers need the default 10,000. Only the logged steps reached are compared.

    Returns:
        A ``CaseStudyResult`` with the data (N = 300) and one ``Experiment`` per model.

    Raises:
        ValueError: a seed outside [0, 2**32), a negative step count, or a log that is not callable.

    Examples:
        >>> result = run_case_study(two_layer_steps=1000)  # the full run takes a few seconds
        >>> [f"{loss:f}" for loss in result.linear.losses[:3]], result.linear.accuracy
        (['1.096956', '0.917265', '0.851503'], 0.49)
        >>> f"{result.two_layer.losses[0]:f}", result.two_layer.published_losses[0]
        ('1.098744', 1.098744)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"run_case_study: seed must be an integer in [0, 2**32); got {seed!r}")
    if (
        isinstance(two_layer_steps, bool)
        or not isinstance(two_layer_steps, (int, np.integer))
        or two_layer_steps < 0
    ):
        raise ValueError(f"run_case_study: two_layer_steps must be an integer >= 0; got {two_layer_steps!r}")
    if log is not None and not callable(log):
        raise ValueError(
            "run_case_study: log must be callable with one string (print, say), or None; "
            f"got {type(log).__name__}"
        )
    rng = np.random.RandomState(seed)
    X, y = make_spiral(POINTS_PER_CLASS, NUM_CLASSES, rng=rng)
    rng.standard_normal(DISCARDED_NORMALS)
    linear = _run(
        "linear softmax classifier", linear_classifier_loss, linear_classifier_scores,
        init_linear_classifier(NUM_FEATURES, NUM_CLASSES, rng=rng), X, y, LINEAR_STEPS, LINEAR_LOG_EVERY,
        PUBLISHED_LINEAR_LOSSES, PUBLISHED_LINEAR_ACCURACY, log,
    )  # fmt: skip
    two_layer = _run(
        "two-layer ReLU network (H = 100)", two_layer_net_loss, two_layer_net_scores,
        init_two_layer_net(NUM_FEATURES, HIDDEN_UNITS, NUM_CLASSES, rng=rng), X, y, two_layer_steps,
        TWO_LAYER_LOG_EVERY, PUBLISHED_TWO_LAYER_LOSSES, PUBLISHED_TWO_LAYER_ACCURACY, log,
    )  # fmt: skip
    return CaseStudyResult(X=X, y=y, linear=linear, two_layer=two_layer)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print both loss logs, the accuracies, and a comparison with the published numbers.

    Examples:
        >>> main(["--seed", "-1"])  # bad input: a usage message on stderr, exit status 2
        Traceback (most recent call last):
        SystemExit: 2
    """
    parser = argparse.ArgumentParser(
        prog="python -m backprop.case_study", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="RandomState seed (0 reproduces the published numbers)"
    )
    args = parser.parse_args(argv)
    if not 0 <= args.seed < 2**32:
        parser.error(f"--seed must be in [0, 2**32); got {args.seed}")

    result = run_case_study(args.seed, log=print)
    print(f"== compared with the published printouts (seed {args.seed}) ==")
    for experiment in (result.linear, result.two_layer):
        print(
            f"{experiment.name}: {experiment.losses_matching_printout()} of {len(experiment.losses)} logged "
            f"losses print as published, largest difference {experiment.max_loss_difference():.1e}; "
            f"accuracy {experiment.accuracy:.2f} (published {experiment.published_accuracy:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
