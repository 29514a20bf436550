"""SIGTERM stops a command as Ctrl-C does: with SIGTERM's default the process died at
once, and the temporary Prefect server a run had started was left running."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from anonymise.cli.errors import guarded
from anonymise.cli.main import stop_on_sigterm


@pytest.fixture
def restored() -> Iterator[None]:
    before = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, before)


@pytest.mark.usefixtures("restored")
def test_sigterm_interrupts_a_command_which_says_what_it_left(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stop_on_sigterm()

    def erase() -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # a real signal, to this process
        signal.pause()  # never reached: the handler raises first

    with pytest.raises(SystemExit) as stopped:
        guarded(erase, aftermath="every file is as it was")
    assert stopped.value.code == 130
    assert "interrupted; every file is as it was" in capsys.readouterr().err
