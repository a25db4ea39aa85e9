"""The subcommands of ``srnlab``: each command's module (listed in ``cli.COMMANDS``) has NAME,
HELP, DESCRIPTION, configure and execute. ``worksheet_inputs`` and ``worksheet_output`` are
parts of the worksheet command (``explore`` shares its readers), not commands themselves."""
