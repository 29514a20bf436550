"""`python -m anonymise`."""

from anonymise.cli.main import main

main()
