"""`make bench`: kitgen's times as ratios to their floors, measured side by side in one run.

Each figure runs the subject and its floor alternately, several times, and compares
medians, so a noisy machine moves both. Not a test: nothing here fails the build.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
KITGEN = str(BIN / "kitgen")
PYTHON = sys.executable
sys.path.insert(0, str(REPO / "benchmarks"))
from make_bank import make_bank  # noqa: E402

Command = Sequence[str]


def run(cmd: Command, env: dict[str, str] | None = None) -> float:
    """Wall seconds of one run of `cmd`."""
    started = time.perf_counter()
    done = subprocess.run(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr}")
    return elapsed


def peak_memory(cmd: Command) -> int:
    """Peak RSS (MB) of `cmd`, run under a small Python that reads its child's usage: a
    child forked straight from this process would count this process's memory as its own."""
    done = subprocess.run([PYTHON, "-c", PEAK_RSS, *cmd], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr}")
    return int(done.stdout.strip().splitlines()[-1]) // 1024


PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def side_by_side(
    subject: Command,
    floor: Command,
    runs: int,
    subject_env: dict[str, str] | None = None,
    before: Command | None = None,
) -> tuple[float, float]:
    """Median seconds of subject and floor, run alternately after one warm-up each."""
    times: dict[str, list[float]] = {"subject": [], "floor": []}
    for index in range(runs + 1):
        for name, cmd, env in (("subject", subject, subject_env), ("floor", floor, None)):
            if before is not None and name == "subject":
                run(before)
            seconds = run(cmd, env)
            if index:  # the first round only warms caches
                times[name].append(seconds)
    return statistics.median(times["subject"]), statistics.median(times["floor"])


ROWS: list[list[str]] = []


def report(label: str, value: str, floor: str, ratio: float | None, goal: str, holds: bool) -> None:
    ROWS.append(
        [
            label,
            value,
            floor,
            "" if ratio is None else f"{ratio:.2f}",
            goal,
            "yes" if holds else "NO",
        ]
    )
    print(
        f"  {label}: {value} vs {floor} -> {'' if ratio is None else f'{ratio:.2f}'} "
        f"(goal {goal}: {'holds' if holds else 'missed'})",
        flush=True,
    )


def role_file(folder: Path, name: str, bank: Path, questions: int) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "role": f"Synthetic role, {questions} questions",
                "level": "mid",
                "duration": questions * 12 + 10,  # the questions, an opening and a closing
                "questions": questions,
                "banks": [os.path.relpath(bank, folder)],  # a role names banks in its workspace
                "categories": {  # min 0: a short kit need not cover all eight
                    a: {"weight": 1, "min": 0}
                    for a in ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")
                },
            }
        ),
        encoding="utf-8",
    )
    return path


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="kitgen-bench-"))
    cache = work / "cache"
    env = {"KITGEN_CACHE_DIR": str(cache)}
    os.environ.update(env)
    roles = REPO / "examples" / "roles"
    one = roles / "nlp-engineer.yaml"
    n_roles = len(list(roles.glob("*.yaml")))
    print(f"kitgen benchmarks in {work}", flush=True)

    # a. start-up: validate (no WeasyPrint) vs importing WeasyPrint
    run([KITGEN, "validate", str(roles)])  # fills the bank cache
    t, floor = side_by_side(
        [KITGEN, "validate", str(roles)], [PYTHON, "-c", "import weasyprint"], 7
    )
    report(
        "a. validate examples vs import weasyprint",
        f"{t:.3f} s",
        f"{floor:.3f} s",
        t / floor,
        "<= 0.35",
        t / floor <= 0.35,
    )

    # b. one kit vs a bare WeasyPrint render of the same HTML
    html = work / "one.html"
    run([KITGEN, "generate", str(one), "-o", str(html), "--format", "html", "--rebuild"])
    t_one, floor = side_by_side(
        [KITGEN, "generate", str(one), "-o", str(work / "one.pdf"), "--rebuild"],
        [
            PYTHON,
            str(REPO / "benchmarks" / "bare_render.py"),
            str(html),
            str(REPO / "templates" / "classic"),
            str(work / "bare.pdf"),
            "ua",  # like for like: kitgen's kits are tagged
        ],
        5,
    )
    report(
        "b. generate one kit vs bare WeasyPrint render",
        f"{t_one:.3f} s",
        f"{floor:.3f} s",
        t_one / floor,
        "<= 1.10",
        t_one / floor <= 1.10,
    )

    # g. what tagging (PDF/UA-1) costs: the default kit vs the same kit with --no-tags
    t_tagged, t_flat = side_by_side(
        [KITGEN, "generate", str(one), "-o", str(work / "tagged.pdf"), "--rebuild"],
        [KITGEN, "generate", str(one), "-o", str(work / "flat.pdf"), "--rebuild", "--no-tags"],
        5,
    )
    report(
        "g. tagged kit (PDF/UA-1, the default) vs --no-tags",
        f"{t_tagged:.3f} s",
        f"{t_flat:.3f} s",
        t_tagged / t_flat,
        "<= 1.15",
        t_tagged / t_flat <= 1.15,
    )

    # c. a batch of every example role: 2 processes vs 1, and per-kit cost vs one cold kit
    t2, t1 = side_by_side(
        [KITGEN, "generate", str(roles), "-o", str(work / "b2"), "--rebuild", "--jobs", "2"],
        [KITGEN, "generate", str(roles), "-o", str(work / "b1"), "--rebuild", "--jobs", "1"],
        3,
    )
    report(
        f"c. batch of {n_roles} roles, --jobs 2 speed-up over --jobs 1",
        f"{t2:.2f} s",
        f"{t1:.2f} s",
        t1 / t2,
        ">= 1.8",
        t1 / t2 >= 1.8,
    )
    per_kit = t1 / n_roles
    from pypdf import PdfReader

    documents = sorted((work / "b1").glob("*.pdf"))
    pages = sum(len(PdfReader(pdf).pages) for pdf in documents)
    report(
        "c. per-kit time in a --jobs 1 batch vs one cold generate "
        f"({pages / len(documents):.1f} pages per document)",
        f"{per_kit:.3f} s",
        f"{t_one:.3f} s",
        per_kit / t_one,
        "<= 0.45",
        per_kit / t_one <= 0.45,
    )

    # h. the unchanged workspace run again (every document up to date) vs a full run
    t_fresh, t_full = side_by_side(
        [KITGEN, "generate", str(roles), "-o", str(work / "b2"), "--jobs", "2"],
        [KITGEN, "generate", str(roles), "-o", str(work / "b2"), "--rebuild", "--jobs", "2"],
        3,
    )
    report(
        "h. unchanged workspace, run again vs a full run (--jobs 2)",
        f"{t_fresh:.2f} s",
        f"{t_full:.2f} s",
        t_fresh / t_full,
        "<= 0.1",
        t_fresh / t_full <= 0.1,
    )

    # i. one role edited, run again with --force (only it is rendered) vs a full run
    edited = work / "roles"
    shutil.copytree(roles, edited)
    run([KITGEN, "generate", str(edited), "-o", str(work / "b3"), "--jobs", "2"])
    one_edit = f"echo '# edited' >> {edited / 'nlp-engineer.yaml'}"
    t_edit, t_full = side_by_side(
        [KITGEN, "generate", str(edited), "-o", str(work / "b3"), "--force", "--jobs", "2"],
        [KITGEN, "generate", str(edited), "-o", str(work / "b3"), "--rebuild", "--jobs", "2"],
        3,
        before=["sh", "-c", one_edit],
    )
    report(
        f"i. one of {n_roles} roles edited, run again vs a full run (--jobs 2)",
        f"{t_edit:.2f} s",
        f"{t_full:.2f} s",
        t_edit / t_full,
        f"<= 2/{n_roles} ({2 / n_roles:.2f})",
        t_edit / t_full <= 2 / n_roles,
    )

    # d. one role for 50 candidates vs one kit
    csv_file = work / "candidates.csv"
    csv_file.write_text(
        "name,interviewer,date\n"
        + "".join(
            f"Candidate {i},Interviewer {i % 5},2026-12-{1 + i % 28:02d}\n" for i in range(50)
        )
    )
    t50, t_kit = side_by_side(
        [
            KITGEN,
            "generate",
            str(one),
            "--candidates",
            str(csv_file),
            "-o",
            str(work / "drive"),
            "--rebuild",
        ],
        [KITGEN, "generate", str(one), "-o", str(work / "one.pdf"), "--rebuild"],
        3,
    )
    report(
        "d. 50 candidates (--candidates) vs one kit",
        f"{t50:.2f} s",
        f"{t_kit:.2f} s",
        t50 / t_kit,
        "<= 3",
        t50 / t_kit <= 3,
    )

    # e. a 10,000-question bank: cold validate vs CSafeLoader alone; warm from the cache
    bank = work / "bank-10k.yaml"
    bank.write_text(yaml.safe_dump(make_bank(10_000), sort_keys=False, width=100))
    cold_cache = work / "cold-cache"
    t_cold, t_yaml = side_by_side(
        [KITGEN, "validate", str(bank)],
        [PYTHON, "-c", f"import yaml; yaml.load(open({str(bank)!r}), Loader=yaml.CSafeLoader)"],
        3,
        subject_env={"KITGEN_CACHE_DIR": str(cold_cache)},
        before=["rm", "-rf", str(cold_cache)],
    )
    report(
        "e. validate 10k-question bank, cold, vs CSafeLoader alone",
        f"{t_cold:.2f} s",
        f"{t_yaml:.2f} s",
        t_cold / t_yaml,
        "<= 1.2",
        t_cold / t_yaml <= 1.2,
    )
    run([KITGEN, "validate", str(bank)])
    t_warm, _ = side_by_side([KITGEN, "validate", str(bank)], ["true"], 5)
    report(
        "e. validate 10k-question bank, warm (bank cache)",
        f"{t_warm:.3f} s",
        f"{t_cold:.2f} s cold",
        t_warm / t_cold,
        "<= 0.3 s and < 0.2 of cold",
        t_warm <= 0.3 and t_warm / t_cold < 0.2,
    )

    # f. big kits: peak memory of 200 questions, and time per page from 12 to 200 questions,
    # drawn from a 1,000-question bank (the 10k bank's own size would dominate the memory)
    bank = work / "bank-1k.yaml"
    bank.write_text(yaml.safe_dump(make_bank(1_000), sort_keys=False, width=100))
    sizes = {}
    for count in (12, 50, 200):
        role = role_file(work, f"synthetic-{count}", bank, count)
        target = work / f"synthetic-{count}.pdf"
        seconds = statistics.median(
            run([KITGEN, "generate", str(role), "-o", str(target), "--rebuild"]) for _ in range(3)
        )
        peak = peak_memory([KITGEN, "generate", str(role), "-o", str(target), "--rebuild"])
        from pypdf import PdfReader

        sizes[count] = (seconds, len(PdfReader(target).pages), peak)
        print(
            f"  {count} questions: {seconds:.2f} s, {sizes[count][1]} pages, {peak} MB", flush=True
        )
    peak = sizes[200][2]
    report("f. peak memory, 200-question kit", f"{peak} MB", "", None, "<= 200 MB", peak <= 200)
    (t12, p12, _), (t50q, p50, _), (t200, p200, _) = sizes[12], sizes[50], sizes[200]
    early = (t50q - t12) / (p50 - p12)
    late = (t200 - t50q) / (p200 - p50)
    report(
        "f. seconds per extra page, 50->200 vs 12->50 questions",
        f"{late:.3f} s/page",
        f"{early:.3f} s/page",
        late / early,
        "linear: <= 1.5",
        late / early <= 1.5,
    )

    print_table()
    shutil.rmtree(work, ignore_errors=True)


def print_table() -> None:
    import weasyprint

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"\nMachine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"WeasyPrint {weasyprint.__version__}\n"
    )
    header = ["measure", "kitgen", "floor", "ratio", "goal", "holds"]
    widths = [max(len(r[i]) for r in [header, *ROWS]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *ROWS]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


if __name__ == "__main__":
    main()
