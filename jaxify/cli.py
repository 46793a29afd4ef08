"""The ``jaxify`` command line: the rewrite (the default command) and the ``rules`` and ``verify``
subcommands."""

from __future__ import annotations

import dataclasses
import functools
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

import click

from jaxify import __version__, divisions
from jaxify.cache import ResultCache, default_cache_dir
from jaxify.config import PRECISIONS, ConfigError, Options, check_codes, parse_version, split_codes
from jaxify.discovery import iter_python_files
from jaxify.formats import FORMATS, render
from jaxify.formats.text import COLOR_CHOICES, TextView, statistics_table, use_colour
from jaxify.progress import FileProgress, show_progress
from jaxify.report import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, RunReport, exit_status, statistics
from jaxify.results import FileResult, engine_finding, settled_result
from jaxify.runner import DEFAULT_FILE_MEMORY_MB, DEFAULT_FILE_TIMEOUT, Limits, iter_results, rewrite_file
from jaxify.settings import Flags, Settings
from jaxify.sharding import ShardError, parse_shard, select_shard
from jaxify.source import UnreadableSource, decode
from jaxify.suppression import Suppressions

HELP = """Rewrite legacy NumPy / imperative scientific Python into idiomatic JAX.

A dry run by default: prints the diff and the findings that need a decision, writes nothing.
"""

EXAMPLES = """\b
Examples:
  jaxify src/                         dry run: diff + findings that need a person
  jaxify src/ --apply                 rewrite the files in place
  jaxify src/ --check                 CI gate: exit 1 if anything would change
  jaxify src/ --output-format github  annotations for a GitHub workflow
  jaxify - < module.py                rewrite stdin, print the module
  jaxify rules JX501                  one rule's documentation
  jaxify verify src/                  run original vs rewritten under jax.jit

\b
Exit codes: 0 nothing left to do; 1 findings that need a person remain, or (--check) files
would change; 2 usage error, a file that could not be read, parsed or rewritten, an internal
error, or SIGTERM; 130 interrupted (Ctrl-C).
"""


class Terminated(BaseException):
    """SIGTERM, raised where the main process is, so that the workers are stopped on the way out."""


def _raise_terminated(signum, frame) -> None:
    raise Terminated


class DefaultCommandGroup(click.Group):
    """A group whose default command is ``fix``: ``jaxify src/`` means ``jaxify fix src/``.

    Its help shows the rewrite's own options (``fix`` is hidden) and the subcommands; bare
    ``jaxify`` prints that help.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(EXIT_OK)
        if args[0] in ("--help", "-h", "--version"):
            return super().parse_args(ctx, args)
        if args[0] not in self.commands:
            args = ["fix", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        """Exit 130 on Ctrl-C and 2 on SIGTERM or a bug, never 1 (which CI reads as "changes needed")."""
        signal.signal(signal.SIGTERM, _raise_terminated)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("jaxify: interrupted; files already written stay written, the others are untouched",
                       err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Terminated:
            click.echo("jaxify: terminated; files already written stay written, the others are untouched",
                       err=True)
            ctx.exit(EXIT_ERROR)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`jaxify . | head`): stop quietly, as other tools do; stdout is
            # pointed at /dev/null so that flushing it at exit cannot raise again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            click.echo("jaxify: the output was closed early; files already written stay written, the others "
                       "are untouched", err=True)
            ctx.exit(EXIT_ERROR)
        except Exception as error:
            click.echo(f"jaxify: internal error, please report it: {type(error).__name__}: {error}\n"
                       f"{traceback.format_exc()}", err=True)
            ctx.exit(EXIT_ERROR)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] PATH... | COMMAND [ARGS]...")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rewrite = self.commands["fix"]
        records = [param.get_help_record(ctx) for param in self.get_params(ctx)]
        records += [param.get_help_record(ctx) for param in rewrite.params]
        with formatter.section("Options"):
            formatter.write_dl([record for record in records if record])
        self.format_commands(ctx, formatter)


def _version_flag(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    try:
        return parse_version(value)
    except ConfigError as error:
        raise click.BadParameter(str(error), ctx, param) from error


def _codes_flag(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return check_codes(split_codes(value), f"--{param.name.replace('_', '-')}")
    except ConfigError as error:
        raise click.BadParameter(str(error), ctx, param) from error


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]}, help=HELP,
             epilog=EXAMPLES)
@click.version_option(__version__, "--version", prog_name="jaxify")
def main() -> None:
    pass


def build_options(start: Path, **flags) -> Options:
    """The Options a file in folder ``start`` gets from ``flags`` (Options' field names) and its config."""
    if isinstance(flags.get("target_jax"), str):
        flags["target_jax"] = parse_version(flags["target_jax"])
    flags = {key: value for key, value in flags.items() if value not in (None, ())}
    try:
        return Settings(Flags(**flags)).options_for(Path(start) / "__jaxify_options__.py")
    except ConfigError as error:
        raise click.UsageError(str(error)) from error


def _run_all(files: list[Path], options: list[Options], apply: bool, jobs: int | None, limits: Limits,
             cache: ResultCache | None, progress: FileProgress):
    """Each file's result, in the order of ``files``, as soon as it and those before it are done
    (the workers finish them in their own order, largest first)."""
    position = {str(path): index for index, path in enumerate(files)}
    finished: dict[int, FileResult] = {}
    released = 0
    work = functools.partial(rewrite_file, cache=cache)
    settle = functools.partial(settled_result, apply=apply, cache=cache)
    divide = functools.partial(divisions.divide, apply=apply, cache=cache)
    for result in iter_results(files, dict(zip(files, options)), apply, jobs, limits, work, settle, divide):
        progress.advance()
        finished[position[result.path]] = result
        while released in finished:
            yield finished.pop(released)
            released += 1


def _warn_unknown_suppressions(result: FileResult) -> None:
    if result.original and "jaxify" in result.original:
        for line, code in Suppressions(result.original).unknown_codes():
            click.echo(f"warning: {result.path}:{line}: unknown rule code {code} in a `# jaxify: ignore` comment",
                       err=True)


@main.command("fix", hidden=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--apply", is_flag=True, help="Write the rewritten files in place.")
@click.option("--check", is_flag=True, help="Exit 1 if anything would change (a CI gate).")
@click.option("--require", type=click.Choice(["verified"]), default=None,
              help="verified: keep only the rewrites that jaxify verify proves on captured or declared inputs; "
                   "the other functions stay as they were, with a JX004 finding.")
@click.option("--capture", metavar="CMD", help="With --require verified: run CMD (the test suite) and verify each "
                                               "changed function on the calls it makes.")
@click.option("--diff/--no-diff", default=None, help="Show the unified diff of each changed file.")
@click.option("--output-format", "--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="How to print the results.")
@click.option("--select", multiple=True, callback=_codes_flag, help="Only these rule codes or prefixes (JX5, JX501).")
@click.option("--extend-select", multiple=True, callback=_codes_flag, help="Add rule codes to the selection.")
@click.option("--ignore", multiple=True, callback=_codes_flag, help="Skip these rule codes or prefixes.")
@click.option("--extend-ignore", multiple=True, callback=_codes_flag, help="Same as --ignore (kept for ruff users).")
@click.option("--unsafe", is_flag=True, default=None, help="Also apply fixes marked unsafe.")
@click.option("--precision", type=click.Choice(PRECISIONS), default=None,
              help="keep (default): results stay float64 where NumPy computed in float64; "
                   "float32: trade exactness for speed.")
@click.option("--target-jax", callback=_version_flag, help="Oldest JAX version the code must run on (default: installed).")
@click.option("--jit/--no-jit", default=None,
              help="--jit: wrap every jit-compatible function in jax.jit; --no-jit: wrap none (default: wrap the "
                   "functions that convert in full).")
@click.option("--partial", is_flag=True, default=None,
              help="Move what converts statement by statement, even in functions that keep NumPy elsewhere.")
@click.option("--key-name", default=None, help="Name of the PRNG key parameter added to functions (default: key).")
@click.option("--assume-numeric-inputs", is_flag=True, default=None,
              help="Declare that callers pass numeric arrays: conversions that assume it become safe.")
@click.option("--exact-order", is_flag=True, default=None,
              help="Loops keep their sequential order of float additions (no cumsum / sum forms).")
@click.option("--keep-outputs", is_flag=True, default=None, help="Notebooks: keep the outputs of rewritten cells.")
@click.option("--show-fixes", is_flag=True, help="Also list the findings that were fixed.")
@click.option("--statistics", "show_statistics", is_flag=True, help="Print how often each rule fired, per outcome.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (2 still means a failure).")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --apply, exit 1 if any file was rewritten.")
@click.option("--add-ignore", is_flag=True,
              help="Write `# jaxify: ignore[CODE]` on the lines whose findings need a person.")
@click.option("--exclude", multiple=True, help="Gitignore-style pattern of paths to skip (repeatable).")
@click.option("--extend-exclude", multiple=True, help="Pattern to skip on top of the configured ones.")
@click.option("--force-exclude/--no-force-exclude", default=None,
              help="Apply exclusions to files named on the command line too (pre-commit).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None, help="Skip what .gitignore ignores (default: on).")
@click.option("--stdin-filename", help="The name of the module read on stdin, for findings and configuration.")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
              help="Colour the output (auto honours NO_COLOR, FORCE_COLOR and the terminal).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Parallel processes (default: the cores this process may use).")
@click.option("--file-timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_FILE_TIMEOUT,
              show_default=True, help="Seconds one file's rewrite (a large module's: each slice's) may take; past it, a JX003 finding.")
@click.option("--file-memory", type=click.IntRange(min=64), default=DEFAULT_FILE_MEMORY_MB, show_default=True,
              help="MiB of memory one file's rewrite may use; past it, a JX003 finding.")
@click.option("--no-cache", is_flag=True, envvar="JAXIFY_NO_CACHE",
              help="Rewrite every file, reading and writing no cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), envvar="JAXIFY_CACHE_DIR",
              help="Where results of unchanged files are kept (default: .jaxify_cache/ at the project root).")
@click.option("--shard", metavar="K/N", help="Only the K-th of N deterministic shares of the files (CI matrix).")
@click.option("-q", "--quiet", is_flag=True, help="No diff: the findings that need a person and the summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also list every file processed.")
@click.pass_context
def fix_command(ctx, paths, apply, check, diff, output_format, show_fixes, show_statistics, exit_zero,
                exit_non_zero_on_fix, add_ignore, stdin_filename, color, jobs, file_timeout, file_memory, no_cache,
                cache_dir, shard, quiet, verbose, require, capture, **flags):
    """Rewrite PATH... (files or folders) into JAX; a dry run unless --apply."""
    if not paths:
        raise click.UsageError("no path given (use '-' to read a module on stdin)")
    if apply and check:
        raise click.UsageError("--apply and --check cannot be combined: --check only reports what --apply would do")
    if add_ignore and (apply or check):
        raise click.UsageError("--add-ignore cannot be combined with --apply or --check")
    if show_statistics and output_format not in ("text", "json"):
        raise click.UsageError("--statistics prints text or json")
    if capture and not require:
        raise click.UsageError("--capture needs --require verified (jaxify verify has its own --capture)")
    if require and (add_ignore or paths == (Path("-"),)):
        raise click.UsageError("--require verified needs files, and cannot be combined with --add-ignore")
    try:
        settings = Settings(Flags(**flags))
    except ConfigError as error:
        raise click.UsageError(str(error)) from error
    limits = Limits(seconds=file_timeout, memory_mb=file_memory)
    if paths == (Path("-"),):
        if add_ignore:
            raise click.UsageError("--add-ignore needs files, not stdin")
        ctx.exit(_run_stdin(settings, stdin_filename, limits, check=check, diff=diff, output_format=output_format,
                            colour=use_colour(color, sys.stdout), exit_zero=exit_zero))
    if Path("-") in paths:
        raise click.UsageError("'-' (stdin) cannot be combined with other paths")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")

    try:
        files = list(iter_python_files(list(paths), excluded=settings.excluded, force_exclude=settings.force_exclude))
        if shard:
            files = select_shard(files, parse_shard(shard))
        options = [settings.options_for(path) for path in files]
    except ShardError as error:
        raise click.BadParameter(str(error), param_hint="--shard") from error
    except ConfigError as error:
        raise click.UsageError(str(error)) from error
    cache = None if no_cache else ResultCache.open(cache_dir or default_cache_dir(Path.cwd()))
    colour = use_colour(color, sys.stdout)
    text = output_format == "text" and not show_statistics
    view = TextView(colour=colour, diff=text and diff is not False, quiet=quiet or add_ignore,
                    verbose=verbose, applied=apply)
    results = []
    with FileProgress(len(files), show_progress(quiet)) as progress:
        for result in _run_all(files, options, apply and not require, jobs, limits, cache, progress):
            _warn_unknown_suppressions(result)
            if not require:
                view.file_done(result)
            results.append(result)
    if require:  # the diff shown and the file written are what survives verification
        from jaxify.verify.gate import gate_results

        options_of = dict(zip(map(str, files), options)).__getitem__
        for result in gate_results(results, options_of, capture, apply):
            view.file_done(result)
    report = RunReport(results, applied=apply, check=check, show_fixes=show_fixes, with_diff=diff is not False,
                       float32=any(option.precision == "float32" for option in options))
    if add_ignore:
        ctx.exit(_add_ignore(report))
    if show_statistics:
        _print_statistics(report, output_format)
    elif text:
        view.finish(report)
    else:
        click.echo(render(output_format, report), nl=False)
    ctx.exit(exit_status(report, exit_zero=exit_zero, exit_non_zero_on_fix=exit_non_zero_on_fix))


def _print_statistics(report: RunReport, output_format: str) -> None:
    if output_format == "json":
        import json

        click.echo(json.dumps(statistics(report), indent=2))
    else:
        click.echo(statistics_table(report), nl=False)


def _add_ignore(report: RunReport) -> int:
    from jaxify.add_ignore import add_ignore_comments

    added = add_ignore_comments(report.findings())
    for finding in added.left:
        click.echo(f"warning: {finding.path}:{finding.line}: {finding.code} is on a line that cannot carry a "
                   "comment (inside a string or after a backslash); left as it is", err=True)
    click.echo(f"Added {added.comments} `# jaxify: ignore` comment{'s' if added.comments != 1 else ''} "
               f"to {added.files} file{'s' if added.files != 1 else ''}.", err=True)
    return exit_status(report) if any(result.failed for result in report.results) else EXIT_OK


def _run_stdin(settings: Settings, filename: str | None, limits: Limits, *, check: bool, diff: bool | None,
               output_format: str, colour: bool, exit_zero: bool) -> int:
    """A module read on stdin. Plain ``jaxify -`` is a filter: the rewritten module on stdout and
    the findings on stderr; whatever goes wrong, stdout gets the input back unchanged (an editor
    that filters its buffer through jaxify must never be left with nothing). With --check, --diff
    or another --output-format it is a report on stdout, as for a file; ``--stdin-filename``
    names it and chooses its configuration."""
    name = filename or "-"
    try:
        options = settings.options_for(Path(filename) if filename else Path.cwd() / "-")
    except ConfigError as error:
        raise click.UsageError(str(error)) from error
    data = sys.stdin.buffer.read()
    try:
        source = decode(data)
    except UnreadableSource as error:
        source = None
        result = FileResult(name, failed=True, findings=[engine_finding(name, "JX001", str(error))])
    else:
        result = _rewrite_isolated(data, name, options, limits)
    report = RunReport([result], check=check, with_diff=diff is not False,
                       float32=options.precision == "float32")
    _warn_unknown_suppressions(result)
    if output_format != "text":
        click.echo(render(output_format, report), nl=False)
    elif check or diff:
        view = TextView(colour=colour, diff=diff is not False, quiet=False, verbose=False, applied=False)
        view.file_done(result)
        view.finish(report)
    else:
        sys.stdout.buffer.write(source.encode(result.rewritten) if source and result.changed else data)
        sys.stdout.flush()
        for finding in report.findings():
            click.echo(finding.format(), err=True)
    return exit_status(report, exit_zero=exit_zero)


def _rewrite_isolated(data: bytes, name: str, options: Options, limits: Limits) -> FileResult:
    """The rewrite of stdin, in a worker like any file (a crash or a limit fails it, nothing else)."""
    with tempfile.TemporaryDirectory(prefix="jaxify-stdin-") as scratch:
        path = Path(scratch) / "stdin.py"
        path.write_bytes(data)
        (result,) = iter_results([path], options, apply=False, jobs=1, limits=limits)
    findings = [dataclasses.replace(finding, path=name) for finding in result.findings]
    return dataclasses.replace(result, path=name, findings=findings)


@main.command("rules")
@click.argument("query", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="json: code, name, family, safety and summary of each rule listed.")
def rules_command(query: str | None, output_format: str) -> None:
    """List the rules, or print one rule's documentation.

    QUERY is a code (JX301) or a name (loop-to-vmap): that rule's documentation; or a code prefix
    (JX3): the list of those rules.
    """
    import json

    from jaxify.rules import as_json, documentation, family_of, find_rule, rules_matching

    rule = find_rule(query) if query else None
    if rule is not None and output_format == "text":
        click.echo(documentation(rule.code), nl=False)
        return
    rules = [rule] if rule is not None else rules_matching(query)
    if not rules:
        raise click.UsageError(f"unknown rule: {query}")
    if output_format == "json":
        click.echo(json.dumps(as_json(rules), indent=2))
        return
    for listed in rules:
        click.echo(f"{listed.code}  {listed.safety.value:<7} {family_of(listed.code):<46} {listed.summary}")


@main.command("merge-reports")
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def merge_reports_command(reports: tuple[Path, ...]) -> None:
    """Merge the JSON or SARIF reports of the shards of a CI matrix (jaxify --shard K/N) into one."""
    from jaxify.merge_reports import MergeError, merge_reports

    try:
        click.echo(merge_reports(list(reports)))
    except MergeError as error:
        raise click.UsageError(str(error)) from error


@main.command("verify")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--examples", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Sidecar file with jaxify_examples() (default: in the module, or corpus/examples/).")
@click.option("--capture", metavar="CMD", help="Run CMD (tests, a script) and replay the calls it makes.")
@click.option("--hypothesis", type=int, default=50, show_default=True,
              help="Generated inputs per function when no example or captured call exists (0: none).")
@click.option("--device", metavar="NAME", help="JAX platform to run on (cpu, cuda, tpu); default: JAX's.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), help="Write a PNG chart of speedups.")
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report as one self-contained HTML page with charts.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Modules verified at once, each in its own worker process.")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only failures and the summary line.")
@click.option("--sizes", metavar="N,N,...", default="",
              help="Also time each verified function on its input grown to these lengths (10,100,1000).")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds per module.")
@click.option("--precision", type=click.Choice(PRECISIONS), default=None,
              help="float32: rewrite with float32 and compare with float32 tolerances (said in the report).")
@click.option("--unsafe", is_flag=True, default=None, help="Verify the rewrite made with --unsafe.")
@click.option("--jit", is_flag=True, default=None, help="Verify the rewrite made with --jit.")
@click.option("--select", multiple=True, callback=_codes_flag, help="Only these rule codes or prefixes.")
@click.option("--ignore", multiple=True, callback=_codes_flag, help="Skip these rule codes or prefixes.")
def verify_command(paths, examples, capture, hypothesis, device, output_format, plot, html, jobs, exclude, quiet,
                   sizes, timeout, precision, unsafe, jit, select, ignore):
    """Run original and rewritten code side by side on the same inputs, under jax.jit, and compare."""
    from jaxify.verify.command import parse_sizes, run_verify
    from jaxify.verify.session import VerifySettings

    options = build_options(Path.cwd(), select=select, ignore=ignore, unsafe=unsafe, precision=precision, jit=jit,
                            exclude=tuple(exclude))
    settings = VerifySettings(examples=examples, capture=capture, hypothesis=hypothesis, timeout=timeout,
                              device=device, sizes=parse_sizes(sizes))
    sys.exit(run_verify(list(paths), options, settings, output_format, plot, html=html, jobs=jobs, quiet=quiet))
