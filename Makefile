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

# Engine vs I/O floor, peak RSS, presidio-structured per row (benchmarks/RESULTS.md), then
# free text: ours vs Presidio, presidio-structured, DataFog, agreement (RESULTS_TEXT.md).
bench: setup
	$(UV) sync --frozen --group bench
	$(UV) run --frozen --group bench python -m benchmarks.run
	$(UV) run --frozen --group bench python -m benchmarks.text_bench
