"""Your own experiments: a network, data and analyses declared in one TOML project file.

settings  the tables and keys a project file may hold, with their defaults and checks
file      reading a project file (``tomllib``) into a config; one-line errors with the line
data      reading, hashing and coding the data files: corpora, feature tables, patterns
engine    training and testing the network the project declares (the recipes' own maths)
corpus    a corpus as a prediction stream, and the ideal predictor from its statistics
analyses  every measurement, as a function of the run's arrays
present   figures and report text from a run folder
recipe    the project as a recipe for ``srnlab run/sweep/show`` (with its presentation)
scaffold  ``srnlab new``: a commented project and its data, from scratch or from a recipe
"""
