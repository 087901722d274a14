"""Results: the board loads them one entry at a time; centres see them from the release time
(resolvers.exams.entries.results_visible decides that for a whole list)."""

from tortoise.transactions import in_transaction

from models.exams import Entry, EntryStatus, Result
from policies import Actor
from policies.viewer_can import LOAD_RESULT
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.exams.entries import find_entry

# Cambridge grades: A* to G and U, 9 to 1 for the numbered syllabuses, a to e at AS level.
GRADES = (
    "A*",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "U",
    "9",
    "8",
    "7",
    "6",
    "5",
    "4",
    "3",
    "2",
    "1",
    "a",
    "b",
    "c",
    "d",
    "e",
)
MAX_MARK = 100


def check_grade(grade: str, *field: str) -> str:
    cleaned = grade.strip()
    if cleaned not in GRADES:
        raise DomainError.one(
            ErrorCode.GRADE_INVALID,
            f"{cleaned!r} is not a grade; use one of {', '.join(GRADES)}.",
            *field,
        )
    return cleaned


def check_mark(mark: int, *field: str) -> int:
    if not 0 <= mark <= MAX_MARK:
        raise DomainError.one(
            ErrorCode.MARK_INVALID, f"The mark is a percentage, from 0 to {MAX_MARK}.", *field
        )
    return mark


def _snapshot(result: Result | None) -> dict | None:
    if result is None:
        return None
    return {"grade": result.grade, "mark": result.mark}


async def load_result(
    actor: Actor, *, entry_id: int, grade: str, mark: int | None = None
) -> tuple[Entry, Result]:
    """Load the result of an entry, replacing the one loaded before, if any."""
    entry = await find_entry(actor, entry_id, *LOAD_RESULT, "input", "entryId")
    errors: list[UserError] = []
    if entry.status is EntryStatus.WITHDRAWN:
        errors.append(
            UserError(
                ErrorCode.ENTRY_WITHDRAWN,
                f"Entry {entry.entry_code} is withdrawn: it can have no result.",
                ("input", "entryId"),
            )
        )
    try:
        grade = check_grade(grade, "input", "grade")
    except DomainError as error:
        errors.extend(error.errors)
    if mark is not None:
        try:
            check_mark(mark, "input", "mark")
        except DomainError as error:
            errors.extend(error.errors)
    if errors:
        raise DomainError(errors)
    existing = await Result.get_or_none(entry_id=entry.id)
    before = _snapshot(existing)
    async with in_transaction():
        if existing is None:
            result = await Result.create(entry=entry, grade=grade, mark=mark, loaded_at=clock.now())
        else:
            result = existing
            result.grade = grade
            result.mark = mark
            result.loaded_at = clock.now()
            await result.save(update_fields=["grade", "mark", "loaded_at"])
        await audit.record(
            actor,
            "result.load",
            organisation_id=entry.candidate.centre_id,
            target_type="Entry",
            target_id=entry.id,
            before=before,
            after={**(_snapshot(result) or {}), "entryCode": entry.entry_code},
        )
    return entry, result
