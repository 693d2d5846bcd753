"""Numpy reference implementation of the CS231n neural-network case study, one module per concept.

Modules: ``data`` (spiral data set), ``softmax``, ``affine``, ``relu``, ``regularization``,
``rnn`` (a vanilla recurrent layer, one step and over time), ``lstm`` (one LSTM step),
``models`` (linear classifier, two-layer network), ``training``, ``gradient_check``, and
``case_study`` (``python -m backprop.case_study`` reproduces the published printouts).
Conventions: N examples, D features, H hidden units, K classes; labels 0-based; biases of shape (K,).
"""
