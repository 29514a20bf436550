# Shortcuts for the README's commands.
UV = python3 -m uv

.PHONY: setup demo test bench

setup:
	python3 -m pip install --quiet uv
	$(UV) sync --frozen

demo: setup
	ANONYMISE_KEY="$${ANONYMISE_KEY:-$$(python3 -c 'import secrets; print(secrets.token_hex(32))')}" \
		$(UV) run --frozen anonymise run config/example.yaml

test: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen mypy
	$(UV) run --frozen pytest

bench: setup
	$(UV) run --frozen python -m benchmarks.run
