"""The French and Dutch wording of the advice: its skeleton (the template an analyst starts
from) and the labels printed on the PDF. Kept as data: the document must read the same
whatever the catalogues hold."""

from __future__ import annotations

from .choices import AnswerKind, MeasureType, Recommendation

MEASURE_LABELS = {
    "fr": {
        MeasureType.ID_WITHDRAWAL: "Retrait de la carte d'identité",
        MeasureType.ID_INVALIDATION: "Invalidation de la carte d'identité",
        MeasureType.ID_REFUSAL: "Refus de délivrance de la carte d'identité",
        MeasureType.PASSPORT_REFUSAL: "Refus de délivrance du passeport",
        MeasureType.PASSPORT_WITHDRAWAL: "Retrait du passeport",
        MeasureType.PASSPORT_NON_RENEWAL: "Non-renouvellement du passeport",
        MeasureType.ASSET_FREEZE: "Gel des avoirs (liste nationale)",
    },
    "nl": {
        MeasureType.ID_WITHDRAWAL: "Intrekking van de identiteitskaart",
        MeasureType.ID_INVALIDATION: "Ongeldigverklaring van de identiteitskaart",
        MeasureType.ID_REFUSAL: "Weigering van afgifte van de identiteitskaart",
        MeasureType.PASSPORT_REFUSAL: "Weigering van afgifte van het paspoort",
        MeasureType.PASSPORT_WITHDRAWAL: "Intrekking van het paspoort",
        MeasureType.PASSPORT_NON_RENEWAL: "Niet-vernieuwing van het paspoort",
        MeasureType.ASSET_FREEZE: "Bevriezing van tegoeden (nationale lijst)",
    },
}

ANSWER_LABELS = {
    "fr": {
        AnswerKind.AGREE: "d'accord",
        AnswerKind.OBJECT: "objection",
        AnswerKind.INFORMATION: "informations à ajouter",
    },
    "nl": {
        AnswerKind.AGREE: "akkoord",
        AnswerKind.OBJECT: "bezwaar",
        AnswerKind.INFORMATION: "aanvullende informatie",
    },
}

RECOMMENDATION_LABELS = {
    "fr": {
        Recommendation.FAVOURABLE: "Avis favorable à la mesure",
        Recommendation.UNFAVOURABLE: "Avis défavorable à la mesure",
    },
    "nl": {
        Recommendation.FAVOURABLE: "Gunstig advies over de maatregel",
        Recommendation.UNFAVOURABLE: "Ongunstig advies over de maatregel",
    },
}

SKELETON = {
    "fr": {
        "facts": "Faits pertinents (dates, sources, gradation) :\n- ",
        "criteria": "Base légale : {basis}.\nCritères rencontrés :\n- ",
        "proportionality": (
            "Nécessité et proportionnalité (durée, alternatives moins intrusives, "
            "effets sur la personne) :\n"
        ),
        "no_consultation": "Aucun partenaire n'a été consulté.",
        "no_answer": "pas de réponse",
    },
    "nl": {
        "facts": "Relevante feiten (data, bronnen, evaluatie):\n- ",
        "criteria": "Rechtsgrond: {basis}.\nVervulde criteria:\n- ",
        "proportionality": (
            "Noodzaak en proportionaliteit (duur, minder ingrijpende alternatieven, "
            "gevolgen voor de persoon):\n"
        ),
        "no_consultation": "Er werd geen partner geraadpleegd.",
        "no_answer": "geen antwoord",
    },
}


def legal_basis(competence, language: str) -> str:  # type: ignore[no-untyped-def]
    return competence.legal_basis_nl if language == "nl" else competence.legal_basis_fr
