"""Converting a legacy or WPS file to one we parse, by LibreOffice headless, bounded in time.

Each conversion runs ``soffice --headless --convert-to …`` in a fresh temporary directory that
holds the input, the output and a private user profile (``-env:UserInstallation``): no state is
shared between conversions or with a desktop user, no macro runs from a profile, and two
conversions never wait on each other's profile lock. The process runs in its own process group,
with no stdin and a minimal environment, and the whole group (the soffice script, oosplash,
soffice.bin) is killed when the time limit passes; a refusal names the limit. The command can be
given (``ASSISTANT_SOFFICE`` or ``command=``), so tests can stand in a converter that hangs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from assistant.ingest.errors import IngestError
from assistant.ingest.limits import MB, OverLimit

SOFFICE_ENV = "ASSISTANT_SOFFICE"
# What to install, by the kind of file (the Debian packages without a GUI).
PACKAGES = {
    "docx": "libreoffice-writer-nogui",
    "xlsx": "libreoffice-calc-nogui",
    "pptx": "libreoffice-impress-nogui",
}


class ConverterMissing(IngestError, code="converter_missing"):
    """LibreOffice is not installed, so legacy and WPS files cannot be read (→ 422)."""


class ConvertTimeout(IngestError, code="convert_timeout"):
    """The conversion ran past its time limit and was stopped (→ 422)."""


def soffice() -> str | None:
    """The LibreOffice command: ``ASSISTANT_SOFFICE`` when set, else soffice on PATH."""
    given = os.environ.get(SOFFICE_ENV)
    if given:
        return given
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    data: bytes,
    source: str,
    *,
    suffix: str,
    target: str,
    seconds: float,
    command: str | None = None,
    max_bytes: int | None = None,
) -> bytes:
    """``data`` (a ``suffix`` file) converted to ``target`` (``docx``, ``xlsx``, ``pptx``);
    a result over ``max_bytes`` is refused unread."""
    exe = command or soffice()
    if exe is None:
        package = PACKAGES.get(target, "libreoffice-writer-nogui")
        raise ConverterMissing(
            source,
            f"reading {suffix} files needs LibreOffice, which is not installed "
            f"(install {package}); 读取{suffix}文件需要安装 LibreOffice（{package}）",
        )
    with tempfile.TemporaryDirectory(prefix="assistant-convert-") as tmp:
        work = Path(tmp)
        src = work / f"input{suffix}"
        src.write_bytes(data)
        out = work / "out"
        out.mkdir()
        args = [
            exe,
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(src),
        ]
        message = _run(args, work, source, suffix, seconds)
        result = out / f"input.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            raise IngestError(
                source,
                f"LibreOffice could not read this {suffix} file (corrupt, encrypted or not a "
                f"{suffix} file){': ' + message if message else ''}",
            )
        size = result.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise OverLimit(
                source,
                f"the {suffix} file converts to {size / MB:.0f} MB, over the limit of "
                f"{max_bytes / MB:.0f} MB per file",
            )
        return result.read_bytes()


def _run(args: list[str], work: Path, source: str, suffix: str, seconds: float) -> str:
    """Run the converter; the last line it printed (for a refusal), or :class:`ConvertTimeout`."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "TMPDIR": str(work),
        "LANG": "C.UTF-8",
        "SAL_USE_VCLPLUGIN": "svp",  # no display, ever
    }
    try:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=work,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        raise ConverterMissing(
            source, f"cannot start LibreOffice ({args[0]}: {exc.strerror or exc})"
        ) from exc
    try:
        output, _ = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()  # reap it and close the pipe
        raise ConvertTimeout(
            source,
            f"converting the {suffix} file took longer than {seconds:g} s (the limit) "
            "and was stopped",
        ) from None
    finally:
        _kill_group(proc)  # whatever the launcher left behind
    lines = [ln.strip() for ln in output.decode("utf-8", "replace").splitlines() if ln.strip()]
    errors = [ln for ln in lines if "rror" in ln]
    return (errors or [""])[-1][:200]


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.wait()
