"""Tools around the classifier (top layer): ``bench`` (speed and memory), ``report`` (tables for
the notebooks and the data card), ``plots`` (their figures) and ``realtext`` (checks on public
third-party corpora)."""
