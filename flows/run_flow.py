"""The run as a Prefect flow: thin tasks over `anonymise.pipeline`.

Tasks pass small records of paths and counts; results are never persisted and no
task input is cached, so no value or key reaches Prefect's database. Retries are
only on I/O: reading an input only when its storage failed (``InputUnavailable``),
never when its content was refused (a large bad file is read once); publishing always.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import shutil
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.client.schemas.objects import State, TaskRun
from prefect.futures import PrefectFuture, PrefectWrappedFuture
from prefect.runtime import flow_run

from anonymise import pipeline
from anonymise.config import (
    PipelineConfig,
    SourceConfig,
    load_config,
    local_folder,
    with_memory_mode,
)
from anonymise.errors import (
    AnonymiseError,
    ConfigError,
    InputUnavailable,
    RunError,
    VerificationRefused,
    out_of_space,
)
from anonymise.key_source import configured_key
from anonymise.output_lock import (
    WORK_PREFIX,
    holding_output_dir,
    holding_output_dir_said,
    same_folder,
)
from anonymise.plan import Plan, PlannedInput, read_plan
from anonymise.publishing import (
    hashed_report,
    settle_journal,
    settle_journals,
    write_journal,
    write_stub,
)
from anonymise.records import (
    RecordStatus,
    append_record,
    error_summary,
    gaps,
    record_from_report,
)
from anonymise.records.chain import check_appendable
from anonymise.records.settings import log_path_of
from anonymise.run_report import RunMeta, Status, build_report, report_markdown, write_report
from anonymise.staging import STAGING
from anonymise.verification import Residual
from flows.prefect_api import stop_temporary_server

T = TypeVar("T")
P = ParamSpec("P")
_NO_RESULTS: dict[str, Any] = {"persist_result": False, "cache_policy": NONE}


def engine_errors_alone(step: Callable[P, T]) -> Callable[P, T]:
    """The engine's own errors (value-free by rule) without the exception they were
    raised from: Prefect logs an error's whole traceback, chained exceptions included,
    and those may quote the input (pydantic's ``input_value``, a YAML snippet, a
    stream's first bytes). Other exceptions pass as they are."""

    @functools.wraps(step)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return step(*args, **kwargs)
        except AnonymiseError as exc:
            exc.__context__ = None
            raise exc from None

    return wrapper


def value_free(step: Callable[P, T]) -> Callable[P, T]:
    """Let only the engine's own errors reach Prefect's logs, alone
    (``engine_errors_alone``). Any other exception may quote a cell (Polars and pyarrow
    messages do); it becomes a RunError naming the step and the exception's type, and
    nothing else of it."""

    alone = engine_errors_alone(step)

    @functools.wraps(step)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return alone(*args, **kwargs)
        except AnonymiseError:
            raise
        except Exception as exc:
            failure = type(exc).__name__
            full = out_of_space(exc)
        # Raised outside the handler, so the exception is not even its hidden context.
        if full:
            raise RunError(
                f"step '{step.__name__}' failed: no space left on the device (a full disk "
                "or a spent quota) of the output folder or the work folder in it; nothing "
                "was published. Free some space and run again"
            )
        raise RunError(
            f"step '{step.__name__}' failed ({failure}); nothing was published. Rerun the "
            "step outside Prefect with ANONYMISE_DEBUG=1 to see the cause (it may quote data)"
        )

    return wrapper


def storage_failed(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Prefect's retry condition for reading an input: whether the read failed on the
    storage's side (worth another try), not on the input's content (the same again)."""
    return isinstance(state.result(raise_on_failure=False), InputUnavailable)


@task(
    name="stage input",
    retries=2,
    retry_delay_seconds=1,
    retry_condition_fn=storage_failed,
    **_NO_RESULTS,
)
@value_free
def stage_task(
    source: str,
    workdir: str,
    quarantine_dir: str,
    index: int,
    config: PipelineConfig,
    warm_detection: bool,
) -> pipeline.StagedInput:
    key = configured_key(config)  # loaded here so the key is never a task input
    return pipeline.stage(
        source,
        Path(workdir),
        Path(quarantine_dir),
        index,
        config=config,
        key=key,
        source_config=_source_for(config, source),
        warm_detection=warm_detection,
    )


@task(name="plan columns", **_NO_RESULTS)
@value_free
def plan_task(
    staged: pipeline.StagedInput, config: PipelineConfig, plan_path: str | None
) -> PlannedInput:
    plan: Plan | None = read_plan(Path(plan_path)) if plan_path else None
    return pipeline.plan_staged(
        staged, config, _rules_for(config, staged.source), plan, plan_path or ""
    )


@task(name="transform, write and verify", **_NO_RESULTS)
@value_free
def transform_task(
    staged: pipeline.StagedInput,
    planned: PlannedInput,
    config: PipelineConfig,
    output_dir: str,
    index: int,
) -> pipeline.TransformedInput:
    key = configured_key(config)  # loaded here so the key is never a task input
    return pipeline.transform(staged, planned, key.material, config, Path(output_dir), index)


@task(name="publish", retries=2, retry_delay_seconds=1, **_NO_RESULTS)
@value_free
def publish_task(outputs: list[pipeline.TransformedInput]) -> list[str]:
    return pipeline.publish(outputs)


def _run_record(
    config: PipelineConfig,
    report: dict[str, Any],
    status: RecordStatus,
    *,
    error: str | None = None,
) -> dict[str, Any] | None:
    """This run's Art. 30 record (no values: the report holds none); None with records
    off."""
    if not config.records.enabled:
        return None
    finished = report.get("finished_at") or datetime.now(UTC).isoformat(timespec="seconds")
    return record_from_report(
        {**report, "finished_at": finished}, config, status=status, error=error
    )


def _record_run(
    config: PipelineConfig,
    report: dict[str, Any],
    status: RecordStatus,
    *,
    error: str | None = None,
    record: dict[str, Any] | None = None,
) -> str | None:
    """Append this run's record (``record`` when it is made already)."""
    record = record or _run_record(config, report, status, error=error)
    if record is None:
        return None
    appended = append_record(log_path_of(config), record)
    get_run_logger().info("processing record %s appended to %s", appended.record_id, appended.path)
    return appended.record_id


def _journal_home(config: PipelineConfig, out: Path) -> Path:
    """Where a run's publishing journal goes: the config's ``output.dir``, which every
    erasure locks and searches (``anonymise.publishing``), made if need be (the first run
    of a pipeline may use ``--output``). A run into another folder that cannot leave its
    journal there is refused: no erasure would know of that folder before a run there
    is recorded, nor ever with records off."""
    home = Path(config.resolve(config.output.dir))
    if same_folder(home, out):
        return out
    try:
        home.mkdir(parents=True, exist_ok=True)  # a first run may use `--output`
        writable = os.access(home, os.W_OK | os.X_OK)
    except OSError:
        writable = False
    if not writable:
        raise ConfigError(
            f"config key 'output.dir': folder '{home}' cannot be made or written by this "
            "user; a run that publishes elsewhere with --output says so there first, where "
            "every erasure looks, so that the people it erases are searched for in what "
            "this run publishes; give the folder to the user who runs the pipeline"
        )
    return home


def _warn_of_nulled(outputs: list[pipeline.TransformedInput]) -> None:
    """A warning per column whose action could not read some values (counts only)."""
    for output in outputs:
        for column, count in output.nulled.items():
            planned = output.planned.column(column)
            get_run_logger().warning(
                "input '%s', column '%s': %d value(s) its action '%s' could not read became "
                "empty (see 'nulled' in the run report)",
                output.staged.source,
                column,
                count,
                planned.action if planned else "?",
            )


def _make_folder(out: Path, given_by: str) -> None:
    """The output folder, or a ConfigError naming where it was given (a file of that
    name, a folder that cannot be made or written)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not os.access(out, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, "Permission denied")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            f"{given_by} '{out}': cannot make the run's folders there ({reason}); "
            "name a folder that can be created and written"
        ) from exc


def _residual_columns(residuals: list[list[Residual]]) -> list[str]:
    return sorted({f"{r.column} ({r.entity})" for rs in residuals for r in rs})


def _artifact_key(pipeline_name: str) -> str:
    # Prefect artifact keys: lower-case letters, digits and dashes only.
    slug = re.sub(r"[^a-z0-9-]+", "-", pipeline_name.lower()).strip("-")
    return f"anonymise-{slug or 'run'}"


def _all(futures: list[PrefectFuture[T]], submitted: list[PrefectFuture[Any]]) -> list[T]:
    """Each future's result, in order; each is kept in ``submitted`` first, so that a run
    that fails (or is stopped) while some still run can wait for them (``_wait_for_running``)."""
    submitted.extend(futures)
    return [f.result() for f in futures]


def _wait_for_running(submitted: list[PrefectFuture[Any]]) -> None:
    """Wait for steps still running: a step's thread cannot be stopped, and one left
    running when the run cleans up went on writing (a quarantine file of raw rows,
    pending outputs) into the work folder, remade after it was removed and the lock let
    go, where an erasure that took the lock next did not look."""
    running = [
        f
        for f in submitted
        if not (isinstance(f, PrefectWrappedFuture) and f.wrapped_future.done())
    ]
    if running:
        get_run_logger().warning(
            "waiting for %d running step(s) to end before cleaning up", len(running)
        )
    try:
        for future in running:
            with contextlib.suppress(Exception):  # its own failure is not this run's
                future.wait()
    except BaseException:  # stopped again (a second Ctrl-C or SIGTERM), or hung
        # Cleaning up now would let the steps write on after the lock is let go, and
        # they keep the process alive: end it, threads and all. The kernel lets go of
        # the lock; the work folder is the next run's or erasure's to remove.
        get_run_logger().error(
            "stopped again while waiting for running steps: exiting at once; the next run "
            "or erasure removes this run's work folder (it holds raw rows)"
        )
        with contextlib.suppress(BaseException):
            stop_temporary_server()
        os._exit(130)


def _source_for(config: PipelineConfig, source: str) -> SourceConfig | None:
    """The config's source entry that names this file, if any (not for --input files)."""
    return next((s for s in config.sources if source in _declared_matches(config, s.path)), None)


def _rules_for(config: PipelineConfig, source: str) -> dict[str, Any]:
    declared = _source_for(config, source)
    return {**config.columns, **(declared.columns if declared else {})}


def _declared_matches(config: PipelineConfig, path: str) -> list[str]:
    from anonymise.io.inputs import expand_inputs

    return expand_inputs([config.resolve(path)])


def resolve_inputs(config: PipelineConfig, overrides: list[str] | None) -> list[str]:
    """The inputs of a run: `--input` overrides, else the config's sources."""
    from anonymise.io.inputs import expand_inputs

    if overrides:
        return expand_inputs(overrides)
    if not config.sources:
        raise ConfigError(
            "key 'sources': none, and no --input given; list the exports to read under "
            "'sources:' (or pass --input)"
        )
    return expand_inputs([config.resolve(s.path) for s in config.sources])


@flow(name="anonymise-run", persist_result=False, log_prints=False)
@engine_errors_alone  # the config is loaded, and the inputs listed, in the flow itself
def anonymise_run(
    config_path: str,
    plan_path: str | None = None,
    inputs: list[str] | None = None,
    output_dir: str | None = None,
    dry_run: bool = False,
    memory: str | None = None,
) -> dict[str, Any]:
    """Pull, plan, transform, verify, write. Returns the run report (no values).
    ``memory`` overrides the config's ``memory.mode`` (auto, whole or batched)."""
    logger = get_run_logger()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    config = with_memory_mode(load_config(config_path), memory)
    given = local_folder(output_dir, "--output") if output_dir else None
    out = Path(given) if given else Path(config.resolve(config.output.dir))
    run_id = str(flow_run.get_id() or uuid.uuid4())
    workdir = out / f"{WORK_PREFIX}{run_id}"
    held = ExitStack()  # the output folder's lock, released once the work folder is gone
    submitted: list[PrefectFuture[Any]] = []  # steps that may still run when the run ends
    journal: Path | None = None  # what this run is publishing, until it is recorded
    publishing = False  # the journal says what it publishes (else it only names `out`)
    for gap in gaps(config) if config.records.enabled else ():  # no record, no gap
        logger.warning("Art. 30 record incomplete: config key '%s' is not set", gap)
    report: dict[str, Any] = {
        "run_id": run_id,
        "pipeline": config.pipeline,
        "started_at": started,
        "key_id": None,  # until the key is read: a run without one is recorded too
        "config_sha256": config.sha256 or None,
    }
    try:
        key = configured_key(config)
        report["key_id"] = key.key_id
        if not dry_run and config.records.enabled:
            check_appendable(log_path_of(config))  # its record must not be lost
        _make_folder(out, "--output" if output_dir else "output.dir")
        home = _journal_home(config, out)

        def say() -> None:
            """Said as soon as the run holds its folder: an erasure that finds the journal
            waits for that folder's lock, then searches what the run published there and
            removes its work folder if it was killed (a dry run's too: it stages raw
            rows there)."""
            nonlocal journal
            if not dry_run:  # a dry run writes nothing of other runs'
                for folder in {home, out}:
                    settle_journals(out, folder, by=f"run {run_id}")
            journal = write_stub(home, out, run_id, config.pipeline)

        # The work folder is made under the lock: whoever holds it removes any other.
        timeout = config.output.lock_timeout
        if home is out:
            held.enter_context(holding_output_dir(out, timeout=timeout))
            say()
        else:  # said under output.dir's journals lock (``holding_output_dir_said``)
            held.enter_context(holding_output_dir_said(out, home, timeout=timeout, say=say))
        workdir.mkdir()
        sources = resolve_inputs(config, inputs)
        logger.info("run %s: %d input(s) -> %s", run_id, len(sources), out)
        plan: Plan | None = read_plan(Path(plan_path)) if plan_path else None
        pipeline.check_before_reading(config, sources, plan, plan_path or "")
        # Each step runs its inputs in parallel; .result() re-raises a task's own error.
        # The analyzer is needed to classify (no reviewed plan) or to verify.
        detects = plan_path is None or config.verify.enabled
        staged = _all(
            [
                stage_task.submit(s, str(workdir), str(workdir / "quarantine"), i, config, detects)
                for i, s in enumerate(sources)
            ],
            submitted,
        )
        # What was read, for the record of a run that fails after this
        report["inputs"] = [
            {"source": s.source, "sha256": s.sha256, "rows_in": s.rows_read} for s in staged
        ]
        report["rows_in"] = sum(s.rows_read for s in staged)
        report["quarantined"] = sum(s.quarantined for s in staged)
        planned = _all([plan_task.submit(s, config, plan_path) for s in staged], submitted)
        outputs = _all(
            [
                transform_task.submit(s, p, config, str(out), i)
                for i, (s, p) in enumerate(zip(staged, planned, strict=True))
            ],
            submitted,
        )
        _warn_of_nulled(outputs)
        residuals = [list(t.residuals) for t in outputs]
        refusing = any(residuals) and config.verify.enabled and config.verify.fail_on_residual
        refused = refusing and not dry_run  # a dry run says what a run would do
        if any(residuals) and not refused:
            logger.warning(
                "verification found personal data in columns meant to be clean: %s; %s",
                ", ".join(_residual_columns(residuals)),
                "a run would be refused and publish nothing"
                if refusing
                else "a run would publish it all the same, as verify.fail_on_residual is false"
                if dry_run
                else "published all the same, as verify.fail_on_residual is false",
            )
        status: Status = "refused" if refused else "dry_run" if dry_run else "succeeded"
        meta = RunMeta(
            run_id=run_id,
            pipeline=config.pipeline,
            started_at=started,
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
            status=status,
            key_id=key.key_id,
            config_sha256=config.sha256 or None,
            plan_sha256=plan.sha256() if plan is not None else None,
            plan_source=plan_path or "detection",
            phone_region=config.suppression.phone_region,
        )
        report = build_report(meta, outputs, residuals)
        record = None
        if status == "succeeded":
            # said before the first rename: a run killed from here on is settled by
            # whoever takes the lock next (``anonymise.publishing``)
            report = hashed_report(report, [o.pending for o in outputs])
            record = _run_record(config, report, "succeeded")
            log = log_path_of(config) if record is not None else None
            publishing = True
            journal = write_journal(home, out, report, record, log)
            publish_task(outputs)
        record_id = None
        if not dry_run:
            write_report(report, out)
            status_recorded: RecordStatus = "refused" if refused else "succeeded"
            record_id = _record_run(config, report, status_recorded, record=record)
        if journal is not None:
            journal.unlink(missing_ok=True)
            journal = None
        create_markdown_artifact(
            markdown=report_markdown(report, record_id=record_id),
            key=_artifact_key(config.pipeline),
            description=f"anonymise run {run_id}: {status}",
        )
        logger.info(
            "run %s %s: %d rows in, %d rows %s",
            run_id,
            status,
            report["rows_in"],
            report["rows_out"],
            "out" if status == "succeeded" else "made, none published",
        )
        if refused:
            raise VerificationRefused(
                "verification found personal data in columns meant to be clean: "
                f"{', '.join(_residual_columns(residuals))}; nothing was published "
                f"(see {out / 'run_report.json'})",
                report=report,
            )
        return report
    except VerificationRefused:
        raise  # recorded above
    except BaseException as exc:  # Ctrl-C too: its record says how far the run got
        if not dry_run:
            try:
                # stopped while publishing: what it had published is recorded as such
                settled = journal is not None and settle_journal(journal, by=f"run {run_id}")
                if not settled:
                    _record_run(config, report, "failed", error=error_summary(exc))
            except Exception as record_error:  # the run's own error goes on, not this one
                said = str(record_error) if isinstance(record_error, AnonymiseError) else ""
                logger.error(
                    "no processing record for run %s: %s",
                    run_id,
                    said or type(record_error).__name__,
                )
        raise
    finally:
        try:
            _wait_for_running(submitted)
        finally:
            if journal is not None and not publishing:
                journal.unlink(missing_ok=True)  # it published nothing
            STAGING.discard_under(workdir)
            shutil.rmtree(workdir, ignore_errors=True)
            held.close()
