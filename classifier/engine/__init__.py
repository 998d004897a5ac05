"""Engines: the ways a fitted model's probabilities are computed (layer 3, above text and advice).

``scorer`` is the contract every engine keeps (:class:`~.scorer.Scorer`, :class:`~.scorer.Model`)
and turns scores into results; ``lean`` is the lean engine (:class:`~.lean.LeanModel`), whose
paths are ``one_text``, ``numpy_batch`` and ``kernel`` (C source: ``_kernel.c``), reading the
arrays of ``weights`` and the hash tables of ``tables``; ``reasons`` names the terms behind an
answer. The scikit-learn pipeline is the fourth engine (:mod:`classifier.model.estimator`).
"""
