"""The `anonymise` command line."""
