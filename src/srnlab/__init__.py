"""srnlab: the classic simple neural networks of cognitive science, exact and explained.

The library is a set of small modules with one job each:

- ``activations``  unit functions f and their derivatives, written from the unit's output
- ``losses``       the error functions E and dE/da
- ``params``       weights named by connection, drawn from a seeded generator
- ``backprop``     the reference forward and backward passes (the lecture's chain rule)
- ``training``     online and batch gradient descent with momentum
- ``explain``      the worked-example records behind ``srnlab worksheet``
- ``recipes``      one module per experiment, a frozen ``Config`` and ``run(config)``
"""

__version__ = "0.1.0"
