"""Bulk erasure (GDPR Art. 17): find people in every dataset, remove them, give receipts.

settings.py   ErasureConfig, the ``erasure:`` config section (where receipts go)
requests.py   ErasureRequest and read_requests: the requests CSV, validated once
deadline.py   the Art. 12(3) deadline: one calendar month from receipt
datasets.py   the datasets searched: raw sources, past outputs and their quarantine
              files (both from run reports)
matching.py   vectorised matching of request values or tokens, counts per request;
              quarantined raw rows searched as text
rewrite.py    a dataset rewritten without the matched rows, atomically, in its format
receipts.py   one JSON receipt per request and erasure_summary.csv
journal.py    what an erasure removed so far, on disk, until it is recorded
accounting.py its record and receipts whichever way it ends, a dead one's from its journal
engine.py     erase(): search, suppress, rewrite, receipt

This package imports nothing from here on purpose: ``anonymise.config`` imports
``anonymise.erasure.settings``, and the engine imports the config.
"""
