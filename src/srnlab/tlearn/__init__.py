"""tlearn projects: run the ``.cf/.data/.teach`` projects of Plunkett & Elman's simulator
(*Exercises in Rethinking Innateness*, 1997) and get the numbers tlearn gives.

One job per module, floors pointing down:

- ``lists``    tlearn's node lists (``0``, ``i1-i3``, ``1-2,5``)
- ``network``  what a ``.cf`` declares: nodes, connections and their constraints
- ``cf``       the ``.cf`` parser; ``cf_writer`` its writer
- ``patterns`` the ``.data``, ``.teach`` and ``.reset`` parsers and writers
- ``wts``      the ``.wts`` weight-file reader and writer
- ``engine``   the reference engine: tlearn's node-order semantics, readable, float32 or 64
- ``fastpath`` layered nets and SRNs mapped onto srnlab's compiled SRN kernels
- ``project``  a project on disk, and the experiment that trains it into a ``RunResult``
- ``recipe``   a project as a recipe module (``srnlab run PROJECT.cf``)
- ``export``   srnlab run folders (and projects) written as tlearn projects
"""
