"""The subcommands of ``srnlab``: each module has NAME, HELP, DESCRIPTION, configure, execute."""
