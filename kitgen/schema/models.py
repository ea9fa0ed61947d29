"""The data kitgen reads: question banks and role profiles. All validation lives here."""

import itertools
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kitgen.i18n import N_

RATING_KEY = re.compile(r"[1-9][0-9]?")
MAX_ROLE_ITEMS = 100  # categories, banks and a round's categories in one role profile
MAX_ROUNDS = 20  # rounds of one interview loop

Level = Literal["junior", "mid", "senior", "staff"]
Kind = Literal["technical", "behavioral", "hypothetical", "case"]
# the languages kitgen prints its own labels in (kitgen/locale); a bank may be in any
LabelLanguage = Literal["en", "de", "fr", "es"]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
LEVELS: tuple[Level, ...] = ("junior", "mid", "senior", "staff")

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Rating = Annotated[int, Field(ge=0, le=10)]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([-_][a-z0-9]+)*$", max_length=40)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Minutes = Annotated[int, Field(ge=0, le=120, strict=True)]

# the default labels; the kit prints them in its language (a profile's own stay as written)
DEFAULT_RATING_SCALE: tuple[str, ...] = (N_("Poor"), N_("Mixed"), N_("Good"), N_("Excellent"))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Strict):
    """An area of competence; a row of the scorecard."""

    id: Slug
    title: Text
    look_for: list[Text] = []


class Question(_Strict):
    """One interview question with what a strong answer shows and how to rate it."""

    id: Slug
    category: Slug
    text: Text
    kind: Kind = "technical"
    levels: list[Level] = Field(default_factory=lambda: list(LEVELS), min_length=1)
    minutes: int = Field(default=5, gt=0, le=120, strict=True)
    weight: float = Field(default=1, ge=0, le=1000, strict=True)
    tags: list[Tag] = []
    look_for: list[Text] = Field(min_length=1)
    follow_ups: list[Text] = []
    red_flags: list[Text] = []
    rubric: dict[Rating, Text] = Field(min_length=1)  # rating -> what such an answer shows
    # the rating a hire at each level shows (the bar), and a short key for the interviewer
    bar: dict[Level, Annotated[int, Field(ge=1, le=10, strict=True)]] = {}
    answer: Text | None = None

    @field_validator("bar")
    @classmethod
    def _bar_rises_with_the_level(cls, bar: dict[str, int], info: ValidationInfo) -> dict[str, int]:
        # a field validator: it runs only for a bar that is given (most banks' questions of
        # users have none, and a 10,000-question bank is checked in a blink)
        levels = [level for level in LEVELS if level in bar]
        for lower, higher in itertools.pairwise(levels):
            if bar[higher] < bar[lower]:
                raise ValueError(
                    f"bar falls from {bar[lower]} at {lower} to {bar[higher]} at "
                    f"{higher}; a more senior hire shows at least as much"
                )
        allowed = info.data.get("levels", LEVELS)
        missing = [level for level in bar if level not in allowed]
        if missing:
            raise ValueError(f"bar names level {missing[0]!r}, which the question is not for")
        return bar

    @field_validator("rubric", mode="before")
    @classmethod
    def _ratings_are_whole_numbers(cls, value: Any) -> Any:
        # YAML gives int keys, the bank cache's JSON digit strings; "01", "1.0" or " 1"
        # would turn into 1 and silently replace another anchor.
        if isinstance(value, dict):
            for key in value:
                if type(key) is int or (  # the common cases first: YAML's ints, JSON's "3"
                    type(key) is str
                    and len(key) < 3
                    and key.isascii()
                    and key.isdigit()
                    and key[0] != "0"
                ):
                    continue
                if isinstance(key, bool) or not (
                    isinstance(key, int) or (isinstance(key, str) and RATING_KEY.fullmatch(key))
                ):
                    raise ValueError(
                        f"rubric ratings are whole numbers like 1 or 4, not {key!r:.20}"
                    )
        return value


class Bank(_Strict):
    """A question bank file."""

    bank: Slug
    title: Text
    language: LanguageTag | None = None  # what the bank is written in: en, de, ja, pt-BR
    categories: list[Category] = []
    questions: list[Question] = []


class CategoryRule(_Strict):
    """How much of a category a role wants."""

    weight: float = Field(default=1, ge=0, le=1000, strict=True)
    min: int | None = Field(default=None, ge=0, strict=True)  # None: covered, see `floor`
    max: int | None = Field(default=None, ge=0, strict=True)

    @model_validator(mode="after")
    def _min_not_above_max(self) -> "CategoryRule":
        if self.max is not None and self.min is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        if self.max == 0 and self.min is None and self.weight > 0:
            raise ValueError(
                "max 0 leaves no room for the one question every weighted category gets; "
                "give it min: 0 (or weight 0) to leave it out"
            )
        return self

    @property
    def floor(self) -> int:
        """Questions the category must get: its `min`, else one when it has a weight (a
        listed focus area is never silently dropped; `min: 0` opts out)."""
        if self.min is not None:
            return self.min
        return 1 if self.weight > 0 else 0

    @property
    def covered(self) -> bool:
        """Whether every round that lists the category must ask about it."""
        return self.floor > 0


def _weight_shorthand(value: object) -> object:
    # `nlp: 3` is shorthand for `nlp: {weight: 3}`
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"weight": value}
    return value


CategoryValue = Annotated[
    CategoryRule,
    BeforeValidator(_weight_shorthand, json_schema_input_type=float | CategoryRule),
]


class TagRules(_Strict):
    prefer: list[Tag] = []
    avoid: list[Tag] = []

    @model_validator(mode="after")
    def _disjoint(self) -> "TagRules":
        both = sorted(set(self.prefer) & set(self.avoid))
        if both:
            raise ValueError(f"tag {both[0]!r} is both preferred and avoided")
        return self


class Round(_Strict):
    """One interview of a loop: its slot, its focus areas, its interviewer."""

    name: Name
    minutes: int = Field(gt=0, le=600, strict=True)  # the round's slot, as booked
    categories: list[Slug] = Field(min_length=1, max_length=MAX_ROLE_ITEMS)
    interviewer: Name | None = None  # pre-fills this round's packet

    @property
    def slug(self) -> str:
        return slugify(self.name)


def slugify(text: str) -> str:
    """A file-name part: lowercase letters and digits joined by '-' ("round" if none)."""
    words = re.findall(r"[a-z0-9]+", text.casefold())
    return "-".join(words)[:60].strip("-") or "round"


class RoleProfile(_Strict):
    """A role profile file: what the kit for one role must contain."""

    role: Text
    level: Level
    summary: Text | None = None
    duration: int | None = Field(default=None, gt=0, le=6000, strict=True)  # the slot
    opening: Minutes = 5  # minutes to open, inside the slot (and inside each round's)
    closing: Minutes = 5  # minutes for the candidate's questions, inside it too
    questions: int | None = Field(default=None, gt=0, le=1000, strict=True)
    seed: int | None = Field(default=None, ge=0, le=2**63, strict=True)
    banks: list[Text] | None = Field(default=None, min_length=1, max_length=MAX_ROLE_ITEMS)
    template: Text = "classic"
    language: LabelLanguage | None = None  # the kit's labels; default kitgen.toml's, else en
    categories: dict[Slug, CategoryValue] = Field(min_length=1, max_length=MAX_ROLE_ITEMS)
    tags: TagRules = TagRules()
    include: list[Slug] = Field(default=[], max_length=1000)
    exclude: list[Slug] = Field(default=[], max_length=1000)
    rating_scale: list[Name] = Field(
        default=list(DEFAULT_RATING_SCALE), min_length=2, max_length=10
    )
    rounds: list[Round] = Field(default=[], max_length=MAX_ROUNDS)

    def can_draw(self, question: Question) -> bool:
        """Whether the role may draw `question` (SPEC "Selection rules", eligible): in its
        categories, its level allowed, a weight, not excluded, no avoided tag."""
        return (
            question.category in self.categories
            and self.level in question.levels
            and question.weight > 0
            and question.id not in self.exclude
            and not set(question.tags) & set(self.tags.avoid)
        )

    @property
    def slot(self) -> int:
        """The booked minutes: `duration`, or the rounds' minutes added up."""
        if self.duration is not None:
            return self.duration
        return sum(r.minutes for r in self.rounds)

    @property
    def question_minutes(self) -> int:
        """The question budget of a kit without rounds: the slot less opening and closing."""
        return self.slot - self.opening - self.closing


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a role profile (`role`) or a bank (`bank`), for editors."""
    models: dict[str, type[BaseModel]] = {"role": RoleProfile, "bank": Bank}
    if kind not in models:
        from kitgen.errors import InputError

        raise InputError(f"no schema for {kind!r}; choose role or bank")
    return models[kind].model_json_schema()
