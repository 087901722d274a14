"""Exam series and syllabuses: the board creates them; every signed-in user may list them."""

from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.exams import MONTH_NUMBERS, Series, SeriesMonth, Syllabus
from policies import Actor, Authorizer
from policies.viewer_can import MANAGE_SERIES
from resolvers.core import audit
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import find_series
from resolvers.core.pages import Page, check_page

MIN_YEAR = 2000
MAX_YEAR = 2100


def series_code(year: int, month: SeriesMonth) -> str:
    """The series' code, e.g. 2026-JUN."""
    return f"{year}-{month.value[:3]}"


def default_credentials_open_at(year: int, month: SeriesMonth) -> datetime:
    """The centre portal's credential windows: from late March for the March and June series,
    early October for November. The board may give another time."""
    if month is SeriesMonth.NOVEMBER:
        return datetime(year, 10, 5, tzinfo=UTC)
    return datetime(year, 3, 25, tzinfo=UTC)


def _snapshot(series: Series) -> dict:
    return {
        "code": series.code,
        "credentialsOpenAt": series.credentials_open_at.isoformat(),
        "resultsReleaseAt": series.results_release_at.isoformat(),
    }


def _check_times(credentials_open_at: datetime, results_release_at: datetime) -> list[UserError]:
    errors: list[UserError] = []
    for value, name in (
        (credentials_open_at, "credentialsOpenAt"),
        (results_release_at, "resultsReleaseAt"),
    ):
        if value.tzinfo is None:
            errors.append(
                UserError(
                    ErrorCode.INVALID_INPUT,
                    "Give the time with its time zone, e.g. 2026-08-11T07:00Z.",
                    ("input", name),
                )
            )
    if not errors and results_release_at < credentials_open_at:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                "Results cannot be released before credentials may be created.",
                ("input", "resultsReleaseAt"),
            )
        )
    return errors


async def create_series(
    actor: Actor,
    *,
    year: int,
    month: SeriesMonth,
    results_release_at: datetime,
    credentials_open_at: datetime | None = None,
) -> Series:
    Authorizer(actor).require(*MANAGE_SERIES)
    code = series_code(year, month)
    errors: list[UserError] = []
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                f"The year must be between {MIN_YEAR} and {MAX_YEAR}.",
                ("input", "year"),
            )
        )
    else:
        credentials_open_at = credentials_open_at or default_credentials_open_at(year, month)
        errors.extend(_check_times(credentials_open_at, results_release_at))
        if await Series.exists(code=code):
            errors.append(
                UserError(
                    ErrorCode.SERIES_EXISTS,
                    f"The series {code} already exists.",
                    ("input", "month"),
                )
            )
    if errors:
        raise DomainError(errors)
    assert credentials_open_at is not None
    async with in_transaction():
        series = await Series.create(
            code=code,
            year=year,
            month=month,
            month_number=MONTH_NUMBERS[month],
            credentials_open_at=credentials_open_at,
            results_release_at=results_release_at,
        )
        await audit.record(
            actor,
            "series.create",
            target_type="Series",
            target_id=series.id,
            after=_snapshot(series),
        )
    return series


async def update_series_times(
    actor: Actor,
    *,
    code: str,
    credentials_open_at: datetime | None = None,
    results_release_at: datetime | None = None,
) -> Series:
    """Change a series' key times; what is not given stays."""
    Authorizer(actor).require(*MANAGE_SERIES)
    series = await find_series(code, "input", "seriesCode")
    new_open = credentials_open_at or series.credentials_open_at
    new_release = results_release_at or series.results_release_at
    errors = _check_times(new_open, new_release)
    if errors:
        raise DomainError(errors)
    async with in_transaction():
        before = _snapshot(series)
        series.credentials_open_at = new_open
        series.results_release_at = new_release
        await series.save(update_fields=["credentials_open_at", "results_release_at"])
        await audit.record(
            actor,
            "series.update_times",
            target_type="Series",
            target_id=series.id,
            before=before,
            after=_snapshot(series),
        )
    return series


async def get_series(actor: Actor, code: str) -> Series | None:
    Authorizer(actor).require_signed_in()
    return await Series.get_or_none(code=code.strip().upper())


async def series_by_ids(actor: Actor, series_ids: list[int]) -> dict[int, Series]:
    """The series get_series would answer with (any signed-in actor's), in one query."""
    Authorizer(actor).require_signed_in()
    return {series.id: series for series in await Series.filter(id__in=series_ids)}


async def list_series(actor: Actor, *, limit: int = 15, offset: int = 0) -> Page[Series]:
    """Every series, the latest first."""
    Authorizer(actor).require_signed_in()
    check_page(limit, offset)
    query = Series.all()
    total = await query.count()
    items = await query.order_by("-year", "-month_number").offset(offset).limit(limit)
    return Page(items=list(items), total=total, offset=offset)


async def create_syllabus(actor: Actor, *, code: str, title: str) -> Syllabus:
    Authorizer(actor).require(*MANAGE_SERIES)
    errors: list[UserError] = []
    code = code.strip().upper()
    title = " ".join(title.split())
    if not code or len(code) > 16 or not code.isascii() or not code.replace("-", "").isalnum():
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                "The code is 1 to 16 letters, digits or hyphens, e.g. 0580.",
                ("input", "code"),
            )
        )
    elif await Syllabus.exists(code=code):
        errors.append(
            UserError(
                ErrorCode.SYLLABUS_EXISTS, f"The syllabus {code} already exists.", ("input", "code")
            )
        )
    if not title or len(title) > 200:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                "The title is required, at most 200 characters.",
                ("input", "title"),
            )
        )
    if errors:
        raise DomainError(errors)
    async with in_transaction():
        syllabus = await Syllabus.create(code=code, title=title)
        await audit.record(
            actor,
            "syllabus.create",
            target_type="Syllabus",
            target_id=syllabus.id,
            after={"code": code, "title": title},
        )
    return syllabus


async def syllabuses_by_ids(actor: Actor, syllabus_ids: list[int]) -> dict[int, Syllabus]:
    """The syllabuses list_syllabuses shows (any signed-in actor's), in one query."""
    Authorizer(actor).require_signed_in()
    return {syllabus.id: syllabus for syllabus in await Syllabus.filter(id__in=syllabus_ids)}


async def list_syllabuses(
    actor: Actor, *, search: str | None = None, limit: int = 15, offset: int = 0
) -> Page[Syllabus]:
    """Syllabuses by code, searchable by code or title."""
    Authorizer(actor).require_signed_in()
    check_page(limit, offset)
    query = Syllabus.all()
    for term in (search or "").split():
        query = query.filter(Q(code__icontains=term) | Q(title__icontains=term))
    total = await query.count()
    items = await query.order_by("code", "id").offset(offset).limit(limit)
    return Page(items=list(items), total=total, offset=offset)
