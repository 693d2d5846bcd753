"""The gate's parallel workers (root conftest.py, `ONE_THREAD_EACH`): with pytest-xdist, each
worker runs numpy's linear algebra in the threads the controller set, one unless the user chose."""

import os

import pytest
import threadpoolctl

import numpy  # noqa: F401  (threadpoolctl reports only libraries already loaded)


def test_an_xdist_worker_runs_numpys_linear_algebra_in_the_threads_set_for_it(request):
    if not hasattr(request.config, "workerinput"):
        pytest.skip("not an xdist worker (pytest -n N): OpenBLAS keeps its default threads")
    expected = os.environ.get("OPENBLAS_NUM_THREADS")  # the controller's, unless set before
    assert expected is not None, "the controller did not set OPENBLAS_NUM_THREADS for its workers"
    threads = [info["num_threads"] for info in threadpoolctl.threadpool_info()
               if info["user_api"] == "blas"]

    assert threads == [int(expected)], threads
