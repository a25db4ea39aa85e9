"""``python -m srnlab``: the same as the ``srnlab`` command."""

from srnlab.cli import console_main

if __name__ == "__main__":
    console_main()
