"""The ``jaxify`` command line.

    jaxify PATH...            dry run: unified diff + findings, nothing written
    jaxify PATH... --apply    rewrite files in place
    jaxify PATH... --check    exit 1 if anything would change
    jaxify -                  rewrite a module read on stdin, print it on stdout
    jaxify rules [CODE]       list the rules, or print one rule's documentation
    jaxify verify PATH        run original and rewritten side by side

Exit codes: 0 success (nothing to change, or changes applied); 1 changes needed under --check;
2 usage error, or a file that could not be read, parsed or rewritten.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click

from jaxify import __version__
from jaxify.config import PRECISIONS, Options, load_config, parse_version
from jaxify.discovery import iter_python_files
from jaxify.engine import FileResult, process_file, rewrite_text
from jaxify.report import colour_diff, summarize, summary_line, to_json, unified_diff

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2


class DefaultCommandGroup(click.Group):
    """A group whose default command is ``fix``: ``jaxify src/`` means ``jaxify fix src/``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in ("--help", "-h", "--version"):
            return super().parse_args(ctx, args)
        if not args or args[0] not in self.commands:
            args = ["fix", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]}, help=__doc__)
@click.version_option(__version__, "--version", prog_name="jaxify")
def main() -> None:
    pass


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def build_options(start: Path, **flags) -> Options:
    try:
        config = load_config(start)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    known = {field for field in Options.__dataclass_fields__}
    unknown = set(config) - known
    if unknown:
        raise click.UsageError(f"unknown [tool.jaxify] keys: {', '.join(sorted(unknown))}")
    merged = dict(config)
    for key, value in flags.items():
        if value not in (None, ()):
            merged[key] = value
    for key in ("select", "ignore", "exclude"):
        if key in merged:
            raw = merged[key]
            merged[key] = _codes(tuple(raw) if not isinstance(raw, str) else (raw,)) if key != "exclude" else tuple(
                [raw] if isinstance(raw, str) else raw
            )
    if "target_jax" in merged and isinstance(merged["target_jax"], str):
        try:
            merged["target_jax"] = parse_version(merged["target_jax"])
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--target-jax") from error
    if merged.get("precision", "keep") not in PRECISIONS:
        raise click.BadParameter(f"must be one of {', '.join(PRECISIONS)}", param_hint="--precision")
    return Options(**merged)


def _run_all(files: list[Path], options: Options, apply: bool, jobs: int) -> list[FileResult]:
    if jobs <= 1 or len(files) <= 1:
        return [process_file(path, options, apply) for path in files]
    with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
        return list(pool.map(process_file, files, [options] * len(files), [apply] * len(files), chunksize=4))


@main.command("fix", hidden=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--apply", is_flag=True, help="Write the rewritten files in place.")
@click.option("--check", is_flag=True, help="Exit 1 if anything would change (a CI gate).")
@click.option("--diff/--no-diff", default=True, help="Show the unified diff of each changed file.")
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (JX5, JX501).")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes.")
@click.option("--unsafe", is_flag=True, default=None, help="Also apply fixes marked unsafe.")
@click.option("--precision", type=click.Choice(PRECISIONS), default=None,
              help="keep (default): results stay float64 where NumPy computed in float64; "
                   "float32: trade exactness for speed.")
@click.option("--target-jax", default=None, help="Oldest JAX version the code must run on (default: installed).")
@click.option("--jit", is_flag=True, default=None, help="Wrap jit-compatible functions in jax.jit.")
@click.option("--key-name", default=None, help="Name of the PRNG key parameter added to functions (default: key).")
@click.option("--assume-numeric-inputs", is_flag=True, default=None,
              help="Declare that callers pass numeric arrays: conversions that assume it become safe.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--jobs", "-j", type=int, default=None, help="Parallel processes (default: all cores).")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line (and errors).")
@click.option("-v", "--verbose", is_flag=True, help="Also list every file processed.")
def fix_command(paths, apply, check, diff, select, ignore, unsafe, precision, target_jax, jit, key_name,
                assume_numeric_inputs, output_format, jobs, exclude, quiet, verbose):
    """Rewrite PATH... (files or folders) into JAX; a dry run unless --apply."""
    if not paths:
        raise click.UsageError("no path given (use '-' to read a module on stdin)")
    options = build_options(
        Path.cwd(), select=_codes(select), ignore=_codes(ignore), unsafe=unsafe, precision=precision,
        target_jax=target_jax, jit=jit, key_name=key_name, exclude=tuple(exclude),
        assume_numeric_inputs=assume_numeric_inputs,
    )
    if paths == (Path("-"),):
        sys.exit(_run_stdin(options, output_format))
    if Path("-") in paths:
        raise click.UsageError("'-' (stdin) cannot be combined with other paths")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")

    files = list(iter_python_files(list(paths), options.exclude))
    results = _run_all(files, options, apply, jobs or os.cpu_count() or 1)

    if output_format == "json":
        click.echo(to_json(results, apply, with_diff=diff))
    else:
        _print_text(results, options, apply, diff, quiet, verbose)

    if any(result.failed for result in results):
        sys.exit(EXIT_ERROR)
    if check and any(result.changed for result in results) and not apply:
        sys.exit(EXIT_CHANGES)
    sys.exit(EXIT_OK)


def _print_text(results, options, apply, diff, quiet, verbose) -> None:
    colour = sys.stdout.isatty()
    for result in results:
        if verbose:
            state = "skipped" if result.skipped else ("changed" if result.changed else "unchanged")
            click.echo(f"{result.path}: {state}", err=True)
        if diff and not quiet and result.changed and not apply:
            text = unified_diff(result)
            click.echo(colour_diff(text) if colour else text, nl=False)
        for finding in result.findings:
            if not quiet or result.failed:
                click.echo(finding.format())
    click.echo(summary_line(summarize(results, apply), options.precision))


def _run_stdin(options: Options, output_format: str) -> int:
    text = sys.stdin.read()
    result = rewrite_text(text, "<stdin>", options)
    sys.stdout.write(result.rewritten if result.changed else text)
    for finding in result.findings:
        click.echo(finding.format(), err=True)
    return EXIT_ERROR if result.failed else EXIT_OK


@main.command("rules")
@click.argument("code", required=False)
def rules_command(code: str | None) -> None:
    """List every rule, or print the documentation of one (jaxify rules JX501)."""
    from jaxify.rules import all_rules, documentation, family_of

    if code:
        text = documentation(code)
        if text is None:
            raise click.UsageError(f"unknown rule: {code}")
        click.echo(text, nl=False)
        return
    for rule in all_rules():
        click.echo(f"{rule.code}  {rule.safety.value:<7} {family_of(rule.code):<46} {rule.summary}")


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
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds per module.")
@click.option("--precision", type=click.Choice(PRECISIONS), default=None,
              help="float32: rewrite with float32 and compare with float32 tolerances (said in the report).")
@click.option("--unsafe", is_flag=True, default=None, help="Verify the rewrite made with --unsafe.")
@click.option("--jit", is_flag=True, default=None, help="Verify the rewrite made with --jit.")
@click.option("--select", multiple=True, help="Only these rule codes or prefixes.")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes.")
def verify_command(paths, examples, capture, hypothesis, device, output_format, plot, timeout, precision, unsafe,
                   jit, select, ignore):
    """Run original and rewritten code side by side on the same inputs, under jax.jit, and compare."""
    from jaxify.verify.command import run_verify
    from jaxify.verify.session import VerifySettings

    options = build_options(Path.cwd(), select=_codes(select), ignore=_codes(ignore), unsafe=unsafe,
                            precision=precision, jit=jit)
    settings = VerifySettings(examples=examples, capture=capture, hypothesis=hypothesis, timeout=timeout,
                              device=device)
    sys.exit(run_verify(list(paths), options, settings, output_format, plot))
