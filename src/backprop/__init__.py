"""Numpy reference implementation of the CS231n neural-network case study, one module per concept.

Modules:

- the case study: ``data`` (spiral data set), ``softmax``, ``affine``, ``relu``,
  ``regularization``, ``models`` (linear classifier, two-layer network), ``training``,
  ``gradient_check``, ``case_study`` (``python -m backprop.case_study`` reproduces the published
  printouts), ``svm``, ``batchnorm``;
- the layers of the assignments, one module each:
  ``sigmoid`` (the sigmoid and binary cross-entropy),
  ``dropout``,
  ``layernorm`` (layer normalisation: the statistics per example),
  ``convolution`` (2-D convolution with stride and zero padding, naive and im2col),
  ``max_pooling`` (max pooling of N x C x H x W feature maps),
  ``spatial_batchnorm`` (batch normalisation of N x C x H x W feature maps),
  ``rnn`` (a vanilla recurrent layer, one step and over time),
  ``lstm`` (one LSTM step),
  ``embedding`` (word embedding, temporal softmax loss),
  ``attention`` (scaled dot-product attention, one head and multi-head).

Conventions: N examples, D features, H hidden units, K classes; labels 0-based; biases of shape (K,).
"""
