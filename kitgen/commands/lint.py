"""`kitgen lint`: structured-interview quality and fairness checks, with ruff-style codes.

`validate` says whether kitgen can use a file; `lint` says whether the interview it makes
is a good one: complete questions, rubrics that describe answers, no questions that
invite bias, and roles whose kits rotate and fill their time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kitgen.errors import InputError, KitgenError, Problem
from kitgen.pipeline import BuildRequest, build_kit
from kitgen.schema.loading import LoadedBank, build_library, is_bank_file, load_banks, load_role
from kitgen.schema.models import DEFAULT_RATING_SCALE
from kitgen.select.kit import Kit
from kitgen.select.selection import is_eligible

LINT_RULES: dict[str, str] = {
    "KG101": "fewer than 3 look_for points: interviewers need concrete signals to listen for",
    "KG102": "the rubric anchors ratings 1-{top}, not the default 4-point scale: only roles "
    "with a {top}-point rating_scale can use this question",
    "KG103": "rubric anchor {rating} grades instead of describing an answer",
    "KG104": "no follow-up question to probe with",
    "KG105": "question text touches a protected characteristic ({word!r})",
    "KG106": "leading or yes/no question; ask for an explanation or an example instead",
    "KG107": "rubric anchor {rating} leans on another anchor ({phrase!r}); say on its own what "
    "an answer at this rating contains",
    "KG108": "about {points} points to listen for in {minutes} minutes (at most {limit}): cut "
    "look_for points, or give the question more minutes",
    "KG109": "behavioral question with no fallback for a candidate who lacks the experience; "
    'add "or, if you have not, how would you ..."',
    "KG110": "rubric anchor 1 rates having no story, which punishes lack of opportunity; describe "
    "what a weak answer (story or plan) contains",
    "KG111": "no bar for {levels}: say which rating a hire at each of the question's levels shows",
    "KG201": "category {category!r} draws {drawn} of {eligible} eligible questions: kits for "
    "different seeds will barely differ",
    "KG202": "the questions fill {minutes} of the {budget} minutes for them; add shorter "
    "questions or shorten the slot",
    "KG203": "no behavioral, hypothetical or case question in the kit: structured interviews "
    "should include some",
    "KG204": "category {category!r} is assessed in only one of the loop's {rounds} rounds "
    "({round!r}): one conversation decides it; add it to a second round",
    "KG205": "the kit's labels are in {labels!r} but bank {bank!r} is written in {written!r}: "
    "interviewers get a kit in two languages; set `language` or use a bank in {labels!r}",
}
_VAGUE = re.compile(
    r"^\W*(poor|bad|weak|ok|okay|fine|good|great|strong|excellent|mixed|"
    r"average|n/?a)\W*$",
    re.IGNORECASE,
)
# words that grade an answer without saying what it contains ("as well as" is not one)
_GRADING = re.compile(r"\b(vague(ly)?|sensible|reasonabl[ey]|good|(?<!as )well)\b", re.IGNORECASE)
# "All of 3, plus ...", "as in 2", "beyond level 3": an anchor that only says 4 is 3 and more
_LEANS = re.compile(
    r"\b((all|any|most|both|each|everything|some) (of|in|from) (rating |anchor |level )?\d+"
    r"|(as|like|than|beyond|above|below) (in |at )?(rating |anchor |level )?\d+\b"
    r"|(rating|anchor|level) \d+\b)",
    re.IGNORECASE,
)
_FALLBACK = re.compile(
    r"\bif (you )?(have not|haven't|have never|never have|did not|didn't|not|no)\b|\bor,? if\b",
    re.IGNORECASE,
)
_NO_STORY = re.compile(
    r"\b(no|without an?) (relevant )?(example|story|experience|instance)\b|"
    r"\b(cannot|can't|could not|unable to) (give|name|recall|think of|describe|offer)"
    r" (an? |any )?(real |concrete |specific )?(example|story|time|instance|situation)\b",
    re.IGNORECASE,
)
POINTS_PER_MINUTE = 1.5
_ASIDE = re.compile(r"\([^)]*\)")
_LIST_ITEM = re.compile(r"[,;]")
ROTATION_DEPTH = 3  # eligible questions per drawn one, so seeds give different kits
_PROTECTED = re.compile(
    r"\b(how old|your age|date of birth|married|spouse|children|kids|pregnan\w*|religio\w*|"
    r"church|nationality|citizenship|native language|where are you from|disabilit\w*|"
    r"your health|maiden name|sexual orientation)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(do|does|did|are|is|have|has|would|will|can|could) you\b|"
    r"^(don't|wouldn't|isn't) ",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class Finding:
    problem: Problem
    code: str

    def __str__(self) -> str:
        p = self.problem
        where = f"{p.path}:{p.line}:{p.column}" if p.line else p.path
        return f"{where}: {self.code} {p.message}"


def lint(
    paths: Iterable[Path], banks: Iterable[Path] = (), ignore: Iterable[str] = ()
) -> list[Finding]:
    """Findings for role profiles and banks (a folder: its *.yaml files), less the codes
    in `ignore`; unusable files raise KitgenError."""
    from kitgen.pipeline import expand_roles

    skip = {code.upper() for code in ignore}
    unknown = sorted(skip - set(LINT_RULES))
    if unknown:
        raise InputError([Problem(None, 0, 0, f"unknown lint code {unknown[0]!r}")])
    found = lint_paths(expand_roles(paths), banks)
    return [f for f in found if f.code not in skip]


def lint_paths(paths: Iterable[Path], extra_banks: Iterable[Path] = ()) -> list[Finding]:
    """Findings for the given role profiles and banks; unusable files raise KitgenError."""
    findings: list[Finding] = []
    problems: list[Problem] = []
    extra = list(extra_banks)
    for path in paths:
        try:
            findings += _lint_file(path, extra)
        except KitgenError as exc:
            problems += exc.problems
    if problems:
        raise KitgenError(problems)
    return sorted(set(findings))


def _lint_file(path: Path, extra_banks: list[Path]) -> list[Finding]:
    if is_bank_file(path):
        return lint_bank(load_banks([path])[0])
    return lint_role(path, extra_banks)


def _finding(bank: LoadedBank, loc: tuple[str | int, ...], code: str, **details: object) -> Finding:
    return Finding(bank.doc.problem(loc, LINT_RULES[code].format(**details)), code)


def lint_bank(loaded: LoadedBank) -> list[Finding]:
    findings = []
    for index, q in enumerate(loaded.bank.questions):
        at = ("questions", index)
        if len(q.look_for) < 3:
            findings.append(_finding(loaded, (*at, "look_for"), "KG101"))
        if len(q.rubric) != len(DEFAULT_RATING_SCALE):  # validate checks it is 1..n
            findings.append(_finding(loaded, (*at, "rubric"), "KG102", top=len(q.rubric)))
        for rating, anchor in q.rubric.items():
            if _VAGUE.match(anchor) or len(anchor.split()) < 3 or _GRADING.search(anchor):
                findings.append(_finding(loaded, (*at, "rubric", rating), "KG103", rating=rating))
            leans = _LEANS.search(anchor)
            if leans:
                findings.append(
                    _finding(
                        loaded, (*at, "rubric", rating), "KG107", rating=rating, phrase=leans[0]
                    )
                )
        points, limit = listening_points(q.look_for), int(POINTS_PER_MINUTE * q.minutes)
        if points > limit:
            findings.append(
                _finding(
                    loaded,
                    (*at, "look_for"),
                    "KG108",
                    points=points,
                    minutes=q.minutes,
                    limit=limit,
                )
            )
        if q.kind == "behavioral":
            if not _FALLBACK.search(q.text):
                findings.append(_finding(loaded, (*at, "text"), "KG109"))
            lowest = q.rubric.get(min(q.rubric, default=1))
            if lowest and _NO_STORY.search(lowest):
                findings.append(_finding(loaded, (*at, "rubric", min(q.rubric)), "KG110"))
        unset = [level for level in q.levels if level not in q.bar]
        if unset:
            findings.append(_finding(loaded, (*at, "id"), "KG111", levels=", ".join(unset)))
        if not q.follow_ups:
            findings.append(_finding(loaded, (*at, "id"), "KG104"))
        match = _PROTECTED.search(q.text)
        if match:
            findings.append(_finding(loaded, (*at, "text"), "KG105", word=match[0]))
        if _LEADING.match(q.text.strip()):
            findings.append(_finding(loaded, (*at, "text"), "KG106"))
    return findings


def _draws_from(kit: Kit, bank: LoadedBank) -> bool:
    ids = {q.id for q in bank.bank.questions}
    return any(item.question.id in ids for item in kit.questions)


def listening_points(look_for: Iterable[str]) -> int:
    """What an interviewer must listen for: each look_for point, and each item of a list
    packed into one ("logs the ID, the time, the version" is 3); asides in brackets are free."""
    return sum(1 + len(_LIST_ITEM.findall(_ASIDE.sub("", text))) for text in look_for)


def lint_role(path: Path, extra_banks: list[Path]) -> list[Finding]:
    prepared = build_kit(
        path, BuildRequest((path,), banks=tuple(extra_banks))
    )  # also runs every validate check
    loaded = load_role(path)
    role, kit = loaded.role, prepared.kit
    library = build_library(load_banks(prepared.bank_paths))
    findings = []

    def at(loc: tuple[str | int, ...], code: str, *, key: bool = False, **details: object) -> None:
        message = LINT_RULES[code].format(**details)
        findings.append(Finding(loaded.doc.problem(loc, message, key=key), code))

    for category in kit.categories:
        eligible = sum(
            1
            for q in library.questions.values()
            if q.category == category.id and is_eligible(role, q)
        )
        if category.questions and eligible < ROTATION_DEPTH * category.questions:
            at(
                ("categories", category.id),
                "KG201",
                key=True,
                category=category.id,
                drawn=category.questions,
                eligible=eligible,
            )
    if not role.rounds and kit.total_minutes < 0.8 * role.question_minutes:
        at(("duration",), "KG202", minutes=kit.total_minutes, budget=role.question_minutes)
    if kit.loop is not None and len(kit.loop.rounds) >= 3:
        for category in kit.loop.categories:
            assessed = kit.loop.assessed_in(category.id)
            if len(assessed) == 1:
                at(
                    ("categories", category.id),
                    "KG204",
                    key=True,
                    category=category.id,
                    rounds=len(kit.loop.rounds),
                    round=assessed[0].name,
                )
    for bank in library.banks:
        written = bank.bank.language
        if written and written.split("-")[0] != kit.language and _draws_from(kit, bank):
            loc = ("language",) if role.language else ("banks",)
            at(loc, "KG205", labels=kit.language, bank=bank.bank.bank, written=written)
    if all(item.question.kind == "technical" for item in kit.questions):
        at(("categories",), "KG203", key=True)
    return findings
