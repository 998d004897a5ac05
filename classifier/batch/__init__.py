"""Batch: many complaints at once, row count in = row count out (layer 5, above the model).

``columns`` decides the result columns and classifies rows (shared by every batch engine);
``frames`` classifies DataFrames; ``files`` streams complaint files through ``readers`` and
``writers``, in worker processes (``workers``) for big files; ``summary`` tallies a run;
``dask_engine`` runs the same code on a Dask cluster. Importing this package imports nothing.
"""
