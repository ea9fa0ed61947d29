"""The red-team classes (issue 11), each with several instances, run as a user would: the
installed `kitgen` command, under a time bound, with FIFOs, symlink loops, signals, planted
cache entries and oversized inputs made in tmp_path."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from kitgen import OutputError
from kitgen._files import write_files

from .conftest import EXAMPLES, REPO

KITGEN = str(Path(sys.executable).parent / "kitgen")
ROLE = EXAMPLES / "nlp-engineer.yaml"


def _kitgen(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, bounded: 30 s, and kitgen's own memory cap."""
    return subprocess.run(
        [KITGEN, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, **(env or {})},
    )


def _fails_cleanly(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    for text in expected:
        assert text in done.stderr, done.stderr


def test_files_that_are_not_files(tmp_path: Path) -> None:
    fifo = tmp_path / "role.yaml"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(loop)
    folder = tmp_path / "roles"
    folder.mkdir()
    os.mkfifo(folder / "hidden.yaml")
    for args, expected in (
        (["validate", fifo], "not a regular file"),
        (["lint", fifo], "not a regular file"),
        (["validate", folder], "not a regular file"),
        (["generate", fifo], "not a regular file"),
        (["generate", ROLE, "--bank", "/dev/stdin"], "a bank is a .yaml or .yml file"),
        (["generate", ROLE, "--bank", fifo], "not a regular file"),
        (["validate", loop], "Too many levels of symbolic links"),
        (["generate", ROLE, "-o", loop], "symlink loop"),
        (["generate", ROLE, "--template", loop], "symlink loop"),
        (["score", loop], "symlink loop"),
        (["generate", ROLE, "-o", "/dev/null"], "is not a folder"),
        (["generate", ROLE, "-o", "-"], "standard output) is not supported"),
        (["generate", ROLE, "-o", tmp_path / ("x" * 300 + ".pdf")], "file name too long"),
    ):
        _fails_cleanly(_kitgen(*args), expected)


def test_a_bank_that_is_a_folder_or_device_is_named_for_what_it_is(tmp_path: Path) -> None:
    roles = tmp_path / "roles"
    roles.mkdir()
    (tmp_path / "banks.yaml").mkdir()
    os.mkfifo(tmp_path / "pipe.yaml")
    for bank, expected in (("../banks.yaml", "is a folder"), ("../pipe.yaml", "not a regular")):
        role = roles / "r.yaml"
        role.write_text(
            f"role: R\nlevel: mid\nduration: 60\nbanks: [{bank}]\ncategories: {{nlp: 1}}\n"
        )
        _fails_cleanly(_kitgen("validate", role), expected)


def test_a_role_cannot_make_kitgen_print_files_outside_its_workspace(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "shadow.yaml"
    secret.parent.mkdir()
    secret.write_text("root:$6$hunter2hunter2hunter2hunter2:20228:0:99999:7:::\n")
    work = tmp_path / "work" / "roles"
    work.mkdir(parents=True)
    role = work / "r.yaml"
    role.write_text(
        "role: R\nlevel: mid\nduration: 60\nbanks: [../../outside/shadow.yaml]\n"
        "categories: {nlp: 1}\n"
    )
    done = _kitgen("validate", role)
    _fails_cleanly(done, "is outside the role's workspace")
    assert "hunter2" not in done.stderr
    inside = tmp_path / "work" / "banks"
    inside.mkdir()
    (inside / "copy.yaml").write_text(secret.read_text())
    role.write_text(
        "role: R\nlevel: mid\nduration: 60\nbanks: [../banks/copy.yaml]\ncategories: {nlp: 1}\n"
    )
    done = _kitgen("validate", role)
    assert done.returncode == 1
    assert "hunter2hunter2hunter2hunter2" not in done.stderr  # at most a short excerpt


def test_nothing_is_clobbered_and_a_kit_is_written_all_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = tmp_path / "kit.pdf"
    late.write_bytes(b"a colleague's kit, written while kitgen ran")
    with pytest.raises(OutputError) as info:
        write_files([(tmp_path / "kit.json", b"{}"), (late, b"%PDF")], replace=False)
    assert "appeared while kitgen ran" in str(info.value)
    assert late.read_bytes().startswith(b"a colleague's")
    assert not (tmp_path / "kit.json").exists()  # taken back: all or none
    # a full disk while writing the third format leaves none of the kit's files
    real_fdopen = os.fdopen
    calls = []

    def full_disk(fd: int, *args: object, **kwargs: object) -> object:
        calls.append(fd)
        if len(calls) == 3:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "fdopen", full_disk)
    files = [(tmp_path / f"new.{fmt}", b"x") for fmt in ("pdf", "html", "json", "md")]
    with pytest.raises(OutputError) as info:
        write_files(files, replace=False)
    assert "No space left on device" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kit.pdf"]


def test_a_long_candidate_name_stops_the_batch_before_any_file(tmp_path: Path) -> None:
    rows = tmp_path / "c.csv"
    rows.write_text("Ann Lee,,\nBo Chen,,\n" + "Z" * 300 + ",,\n")
    out = tmp_path / "out"
    _fails_cleanly(_kitgen("generate", ROLE, "--candidates", rows, "-o", out), ":3:1: ")
    assert not out.exists() or not list(out.iterdir())


def test_render_workers_die_with_kitgen(tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch = subprocess.Popen(
        [KITGEN, "generate", str(EXAMPLES), "-o", str(out), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def workers() -> list[int]:
        found = subprocess.run(["pgrep", "-f", str(out)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split() if int(pid) != batch.pid]

    deadline = time.monotonic() + 20
    while len(workers()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers()) == 2, "the batch did not start two workers"
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait()
    deadline = time.monotonic() + 5
    while workers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers() == []
    written = len(list(out.glob("*.pdf"))) if out.exists() else 0
    time.sleep(1)
    assert (len(list(out.glob("*.pdf"))) if out.exists() else 0) == written


def test_no_more_workers_than_kits(tmp_path: Path) -> None:
    done = _kitgen("generate", ROLE, EXAMPLES / "llm-engineer.yaml", "-o", tmp_path, "--jobs", "8")
    assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.glob("*.pdf"))) == 2


def test_work_is_bounded_in_time_and_memory(tmp_path: Path) -> None:
    # scoring: kit data with 20,000 categories and 200,000 questions is refused at once
    categories = [{"id": f"c{i}", "title": "C", "weight": 1} for i in range(20_000)]
    questions = [{"id": f"q{i}", "category": "c0", "number": i + 1} for i in range(200_000)]
    kit = {"kit_id": "0" * 10, "role": "R", "level": "mid", "categories": categories}
    kit |= {"questions": questions, "rating_scale": [{"value": 1, "label": "a"}] * 4}
    huge = tmp_path / "huge.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.attachments["kitgen-kit.json"] = pikepdf.AttachedFileSpec(pdf, json.dumps(kit).encode())
        pdf.save(huge)
    started = time.monotonic()
    _fails_cleanly(_kitgen("score", huge), "the kit data is damaged")
    assert time.monotonic() - started < 10
    # a template that builds a huge string hits the memory cap, with a message
    template = tmp_path / "greedy"
    template.mkdir()
    (template / "kit.html").write_text("{{ 'x' * 3000000000 }}")
    done = _kitgen(
        "generate",
        ROLE,
        "--template",
        template,
        "-o",
        tmp_path / "g.pdf",
        env={"KITGEN_MEMORY_LIMIT": "1024"},
    )
    assert done.returncode == 1 and "out of memory (the limit is 1024 MB" in done.stderr
    # a template resource over the cap is refused, not read whole (a sparse 60 MB file)
    image = tmp_path / "big-image"
    image.mkdir()
    (image / "huge.png").write_bytes(b"")
    os.truncate(image / "huge.png", 60 * 1024 * 1024)
    (image / "kit.html").write_text('<img src="huge.png">')
    _fails_cleanly(
        _kitgen("generate", ROLE, "--template", image, "-o", tmp_path / "i.pdf"), "too large"
    )


def test_the_bank_cache_trusts_only_its_own_sealed_entries(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"KITGEN_CACHE_DIR": str(cache)}
    bank = REPO / "banks" / "ai-ml.yaml"
    assert _kitgen("validate", bank, env=env).returncode == 0
    entry = next(cache.glob("*.json"))
    seal, _, body = entry.read_bytes().partition(b"\n")
    planted = json.loads(body)
    planted["questions"][0]["text"] = "PLANTED TEXT"
    entry.write_bytes(seal + b"\n" + json.dumps(planted).encode())  # the old seal no longer fits
    shown = _kitgen("show", planted["questions"][0]["id"], env=env)
    assert shown.returncode == 0 and "PLANTED TEXT" not in shown.stdout
    entry.unlink()
    os.mkfifo(entry)  # an entry that is not a file is dropped, never read
    assert _kitgen("validate", bank, env=env).returncode == 0
    unusable = tmp_path / "a-file"
    unusable.write_text("not a folder")
    done = _kitgen("validate", bank, env={"KITGEN_CACHE_DIR": str(unusable)})
    assert done.returncode == 0
    assert done.stderr.count("bank cache") == 1 and "not used" in done.stderr


def test_the_second_review_round(tmp_path: Path) -> None:
    """Instances found by a second red-team pass: copies of one PDF, `score -o -`, an own
    template overwritten, a role far from a `roles/` folder, odd memory limits, huge
    template files."""
    # a role file outside a roles/ folder reaches only its own folder
    loose = tmp_path / "Downloads"
    loose.mkdir()
    (tmp_path / "elsewhere.yaml").write_text("bank: x\ntitle: X\n")
    role = loose / "role.yaml"
    role.write_text(
        "role: R\nlevel: mid\nduration: 60\nbanks: [../elsewhere.yaml]\ncategories: {nlp: 1}\n"
    )
    _fails_cleanly(_kitgen("validate", role), "is outside the role's workspace")
    # odd memory limits are refused with their range (usage, exit 2)
    for value in ("1", "20", "99999999999999999999", "２０"):
        done = _kitgen("validate", role, env={"KITGEN_MEMORY_LIMIT": value})
        assert done.returncode == 2 and "256 to 1048576 MB" in done.stderr, (value, done.stderr)
    # a template file over 5 MB is refused before it is read
    big = tmp_path / "big-template"
    big.mkdir()
    (big / "kit.html").write_text("{% include 'huge.html' %}")
    (big / "huge.html").write_bytes(b"")
    os.truncate(big / "huge.html", 6 * 1024 * 1024)
    _fails_cleanly(
        _kitgen("generate", ROLE, "--template", big, "--format", "html", "-o", tmp_path / "x.html"),
        "template file too large",
    )
    # too long or unprintable --candidate values are usage errors
    done = _kitgen("generate", ROLE, "--candidate", "x" * 300, "-o", tmp_path / "c.pdf")
    assert done.returncode == 2 and "at most 200 printable characters" in done.stderr


def test_one_pdf_counts_once_however_it_is_named(tmp_path: Path) -> None:
    from .engines import pypdf_form

    blank = tmp_path / "blank.pdf"
    assert _kitgen("generate", ROLE, "-o", blank).returncode == 0
    import kitgen

    kit = kitgen.build_kit(ROLE).kit
    filled = tmp_path / "ada.pdf"
    pypdf_form.fill(blank, filled, {}, {f"rating:{kit.questions[0].question.id}": "3"})
    link = tmp_path / "also-ada.pdf"
    os.link(filled, link)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(filled.read_bytes())
    for other in (link, copy):
        _fails_cleanly(_kitgen("score", filled, other), "is the same file as")
    _fails_cleanly(_kitgen("score", filled, "-o", "-"), "standard output) is not supported")
    own = tmp_path / "tpl"
    shutil_copy = subprocess.run(["cp", "-r", str(REPO / "templates" / "classic"), str(own)])
    assert shutil_copy.returncode == 0
    before = (own / "debrief.html").read_bytes()
    done = _kitgen("score", filled, "-o", own / "debrief.html", "--template", own, "--force")
    _fails_cleanly(done, "refusing to overwrite an input file")
    assert (own / "debrief.html").read_bytes() == before
