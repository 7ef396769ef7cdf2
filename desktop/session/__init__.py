"""The desktop's application layer: no Qt (an import-linter contract says so).

Views reach a journal only through ``JournalSession`` (typed commands, the queries they
need) and this package's re-exports of the domain's value enums and errors, so no view
imports ``domain``. See ``docs/architecture.md``.
"""

from __future__ import annotations

from desktop.session.checkpoint import CheckpointStore
from desktop.session.core import CHECKLIST_EVERY_DAYS, Changes, JournalSession, Moment, RedFlagCheck
from desktop.session.face import FACE_VIEWS
from desktop.session.files import remove_database, swap_in, with_extension
from desktop.session.kinds import (
    CHECK_IN_KINDS,
    CORRECTABLE_KINDS,
    CheckIn,
    EntryKind,
    ExerciseResponse,
    ForwardBend,
    GaitCheck,
    HeelRaises,
    MuscleGrade,
    PainRating,
    Slump,
    StraightLegRaise,
    TestResult,
    Walk,
    test_result,
)
from desktop.session.notes import JOURNAL_AS_A_WHOLE, About, NoteAbout
from desktop.session.opening import create_session, is_encrypted, open_app, open_session
from domain import __version__
from domain.application import MergeReport
from domain.encryption import PassphraseNeeded, check_new_passphrase
from domain.errors import InvalidEntry, JournalError, JournalLocked, WrongPassphrase
from domain.events import EntryEvent
from domain.journal import JournalIdentity
from domain.review import ReviewNote
from domain.values import (
    ASKED_RED_FLAGS,
    RED_FLAG_QUESTIONS,
    REGION_BY_RANK,
    GaitResult,
    GaitTest,
    Muscle,
    RedFlag,
    Region,
    Sensation,
    Side,
    SlumpResult,
    Urgency,
)

__all__ = [
    "ASKED_RED_FLAGS",
    "CHECKLIST_EVERY_DAYS",
    "CHECK_IN_KINDS",
    "CORRECTABLE_KINDS",
    "FACE_VIEWS",
    "JOURNAL_AS_A_WHOLE",
    "RED_FLAG_QUESTIONS",
    "REGION_BY_RANK",
    "About",
    "Changes",
    "CheckIn",
    "CheckpointStore",
    "EntryEvent",
    "EntryKind",
    "ExerciseResponse",
    "ForwardBend",
    "GaitCheck",
    "GaitResult",
    "GaitTest",
    "HeelRaises",
    "InvalidEntry",
    "JournalError",
    "JournalIdentity",
    "JournalLocked",
    "JournalSession",
    "MergeReport",
    "Moment",
    "Muscle",
    "MuscleGrade",
    "NoteAbout",
    "PainRating",
    "PassphraseNeeded",
    "RedFlag",
    "RedFlagCheck",
    "Region",
    "ReviewNote",
    "Sensation",
    "Side",
    "Slump",
    "SlumpResult",
    "StraightLegRaise",
    "SymptomMark",
    "TestResult",
    "Urgency",
    "Walk",
    "WrongPassphrase",
    "__version__",
    "check_new_passphrase",
    "create_session",
    "is_encrypted",
    "open_app",
    "open_session",
    "remove_database",
    "swap_in",
    "test_result",
    "with_extension",
]
