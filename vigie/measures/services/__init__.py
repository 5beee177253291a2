"""Every write of the measures app: validated, transactional, journaled (one module per
area; this package re-exports them)."""

from .advice import (
    AdviceInput,
    advice_acknowledge,
    advice_approve,
    advice_create,
    advice_return,
    advice_send,
    advice_submit,
    advice_update,
)
from .cases import (
    CaseInput,
    case_open,
    case_propose,
    case_take,
    consultation_answer,
    consultation_request,
    measure_in_force_guard,
    measures_expire,
)
from .decisions import (
    DecisionInput,
    appeal_outcome,
    appeal_record,
    decision_record,
    review_record,
    reviews_remind,
)
from .publications import (
    national_list_screen,
    publication_create,
    publication_export,
    records_from_file,
)

__all__ = [
    "AdviceInput",
    "CaseInput",
    "DecisionInput",
    "advice_acknowledge",
    "advice_approve",
    "advice_create",
    "advice_return",
    "advice_send",
    "advice_submit",
    "advice_update",
    "appeal_outcome",
    "appeal_record",
    "case_open",
    "case_propose",
    "case_take",
    "consultation_answer",
    "consultation_request",
    "decision_record",
    "measure_in_force_guard",
    "measures_expire",
    "national_list_screen",
    "publication_create",
    "publication_export",
    "records_from_file",
    "review_record",
    "reviews_remind",
]
