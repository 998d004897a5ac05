"""Model: the scikit-learn estimator, training and evaluation (layer 4, above the engines).

``estimator`` holds :class:`~.estimator.ComplaintClassifier` (fit, predict, ``to_lean()``,
save and load); ``files`` picks the engine that answers from a model directory and holds the
bundled default; ``training`` fits from a labelled CSV; ``evaluation`` scores held-out rows.
Importing this package does not import scikit-learn (only ``estimator`` does).
"""
