"""What a built-in recipe shows, one module per recipe: its figures, its report text and its
paper table, each a function of a run folder's contents (a ``RunResult`` loaded from disk), so
a folder can be redrawn and re-reported without retraining. The experiments they present live
below, in ``srnlab.recipes``; ``srnlab.catalogue`` joins each pair into a ``Recipe``.
"""
