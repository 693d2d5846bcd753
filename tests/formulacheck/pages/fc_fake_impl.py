"""A stand-in reference implementation for the code: tie tests (numpy only, written independently
of the checker): one right function and deliberately wrong ones."""

import numpy as np


def affine_forward(X, W, b):
    return X @ W + b[None, :], (X, W)


def affine_backward(dF, cache):
    X, W = cache
    return dF @ W.T, X.T @ dF, dF.sum(axis=0)


def affine_backward_wrong(dF, cache):
    X, W = cache
    return dF @ W.T, X.T @ dF, dF.sum(axis=1)  # sums over the wrong axis


def softmax_loss(scores, labels):
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    n = scores.shape[0]
    loss = -np.log(probs[np.arange(n), labels]).mean()
    dscores = probs.copy()
    dscores[np.arange(n), labels] -= 1
    return loss, dscores / n


def softmax_loss_wrong_class(scores, labels):
    return softmax_loss(scores, (labels + 1) % scores.shape[1])  # off-by-one class


def l2_penalty(W, reg):
    return 0.5 * reg * float(np.sum(W * W)), reg * W


def crashes(X):
    raise RuntimeError("not implemented yet")


not_a_function = 3
