"""The built-in experiments, one module each: a frozen ``Config`` built from the shared setting
groups (``srnlab.settings``), its ``run(config) -> RunResult``, and the numbers its
replications are summarised by. Their figures and report text live apart, in
``srnlab.presenters``; ``srnlab.catalogue`` joins the two halves into a ``Recipe``.
"""
