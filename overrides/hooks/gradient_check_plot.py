"""MkDocs hook: the gradient-check page's plot of relative error against the step h, drawn at build
time from the page's own experiment (`backprop.gradient_check.softmax_step_experiment`, the function
the page's examples run), so the curve always shows what the code measures.

The SVG is a generated file of the build (images/gradient-check-error-vs-h.svg): the page links to
it like any image, and `mkdocs build --strict` still checks that link. Drawing it takes most of a
second, so under `mkdocs serve` it is drawn again only after an edit of the `backprop` package.

>>> svg = error_plot_svg()
>>> svg.lstrip().startswith("<?xml") and "</svg>" in svg
True
"""

import io
import logging

import numpy as np
from mkdocs.structure.files import File

from formulacheck.pages.cache import package_digest

PLOT_URI = "images/gradient-check-error-vs-h.svg"
log = logging.getLogger("mkdocs.hooks.gradient_check_plot")
_drawn: dict = {}  # digest of the backprop package's files -> the plot drawn from them


def error_plot_svg() -> str:
    """The plot as SVG text: float64 and float32 errors against h, log-log, with the customary h."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from backprop.gradient_check import softmax_step_experiment

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "gradient-check",
                         "font.size": 12, "font.family": "sans-serif"})
    figure, axes = plt.subplots(figsize=(6.4, 3.8))
    for dtype, colour, marker in ((np.float64, "#3949ab", "o"), (np.float32, "#c2410c", "s")):
        steps, errors = softmax_step_experiment(dtype)
        best = int(np.argmin(errors))
        axes.loglog(steps, np.maximum(errors, 1e-17), marker=marker, markersize=4, color=colour,
                    label=f"{np.dtype(dtype).name} loss: smallest error {errors[best]:.0e}"
                          f" at h = {steps[best]:.0e}")
    axes.axvline(1e-5, color="#555555", linestyle=":", linewidth=1)
    axes.text(1e-5, 2.0, "h = 1e-5", ha="center", va="bottom", fontsize=10, color="#333333")
    axes.set_xlabel("step h")
    axes.set_ylabel("relative error of the gradient")
    axes.invert_xaxis()
    axes.grid(True, which="major", linewidth=0.4, alpha=0.5)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), frameon=False, fontsize=10)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.patch.set_alpha(0)
    axes.patch.set_alpha(0)
    figure.tight_layout()
    output = io.StringIO()
    figure.savefig(output, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return output.getvalue()


def on_files(files, config):
    signature = package_digest("backprop")  # the code the plot runs
    if signature not in _drawn:
        _drawn.clear()
        _drawn[signature] = error_plot_svg()
    files.append(File.generated(config, PLOT_URI, content=_drawn[signature]))
    return files
