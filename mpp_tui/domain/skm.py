"""The SKM satisfaction index (PermenPANRB 14/2017): the nine elements, NRR, IKM and the grade.

How the regulation computes it (Lampiran, "Metode Pengolahan Data"), and the choices made here:

- Each element (unsur) is answered 1–4. Its NRR (nilai rata-rata) is the sum of its answers
  divided by the number of respondents.
- Every element has the same weight, "jumlah bobot / jumlah unsur = 1/X": with nine elements
  1/9. The regulation's worked example writes that weight as 0,11; the rounded figure is only
  how the example prints 1/9 (with 0,11 a perfect survey would score 9 × 4 × 0,11 × 25 = 99,
  not the 100 the regulation's own scale ends at). So the weight is exactly 1/9.
- IKM (1–4) = Σ NRR × 1/9; the IKM of the service unit (nilai IKM unit pelayanan, 25–100)
  = IKM × 25.
- The grade (mutu pelayanan) comes from the regulation's table "Nilai Persepsi, Interval IKM,
  Interval Konversi IKM, Mutu Pelayanan dan Kinerja Unit Pelayanan":

  ======  ================  =================  =====  ============
  persep  interval (1–4)    converted (25–100) mutu   kinerja
  ======  ================  =================  =====  ============
  1       1,00 – 2,5996     25,00 – 64,99      D      Tidak Baik
  2       2,60 – 3,064      65,00 – 76,60      C      Kurang Baik
  3       3,0644 – 3,532    76,61 – 88,30      B      Baik
  4       3,5324 – 4,00     88,31 – 100,00     A      Sangat Baik
  ======  ================  =================  =====  ============

  Each element's NRR is graded on the interval column, the unit's score on the converted one
  (the interval bounds are the converted bounds divided by 25, so both agree). The older
  KEP/25/M.PAN/2/2004 intervals (1,00–1,75 / 1,76–2,50 / 2,51–3,25 / 3,26–4,00) were replaced
  by this table and are not used.
- The regulation's bands leave gaps (88,30 | 88,31). As DOMAIN.md asks, values keep full
  precision (exact fractions, never a rounded NRR or a 0,11 weight) and a value gets the band
  whose lower bound it reaches: 88,30 → B, 88,305 → B, 88,31 → A.
- Figures are shown rounded half up to the precision of the regulation's table for their
  scale: 4 decimals on the 1–4 scale (NRR, weighted NRR, IKM), 2 on the 25–100 scale. A graded
  figure never rounds up into a band its exact value does not reach: 88,305 is graded B and
  shown as 88,30 (the top of B), not as 88,31 next to a B.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from mpp_tui.domain.errors import InvalidInput
from mpp_tui.domain.names import Name

ELEMENT_COUNT = 9
ANSWERS = (1, 2, 3, 4)
WEIGHT = Fraction(1, ELEMENT_COUNT)
"""The weight of every element: exactly 1/9 (see the module docstring)."""
CONVERSION = 25
"""IKM (1–4) × 25 = the service unit's score (25–100)."""
INTERVAL_PLACES = 4  # the regulation's interval column is given to 4 decimals (3,5324)
SCORE_PLACES = 2  # its converted column to 2 (88,31)


@dataclass(frozen=True, slots=True)
class SkmElement:
    """One element (unsur) of the survey, with the regulation's sample question and answers.

    Attributes:
        number: 1–9; the element is `U{number}` and its answers fill column `u{number}`.
        name, name_en: the element's name.
        question, question_en: the question asked to the visitor.
        answers, answers_en: the labels of answers 1, 2, 3 and 4.
    """

    number: int
    name: str
    name_en: str
    question: str
    question_en: str
    answers: tuple[str, str, str, str]
    answers_en: tuple[str, str, str, str]

    @property
    def code(self) -> str:
        """`U1` … `U9`."""
        return f"U{self.number}"

    def label(self, lang: str) -> str:
        """The element's name in `lang`."""
        return Name(self.name, self.name_en).pick(lang)

    def ask(self, lang: str) -> str:
        """The question in `lang`."""
        return Name(self.question, self.question_en).pick(lang)

    def answer(self, value: int, lang: str) -> str:
        """The label of answer `value` (1–4) in `lang`."""
        return Name(self.answers[value - 1], self.answers_en[value - 1]).pick(lang)

    def titled(self) -> Name:
        """`U3 Waktu penyelesaian` / `U3 Completion time`, for messages."""
        return Name(f"{self.code} {self.name}", f"{self.code} {self.name_en}")


# The nine elements of PermenPANRB 14/2017 (Lampiran, ruang lingkup), in the order of the
# table's columns u1…u9 (DOMAIN.md: U8 complaint handling, U9 facilities). Questions and answer
# labels follow the regulation's sample questionnaire.
ELEMENTS: tuple[SkmElement, ...] = (
    SkmElement(
        1,
        "Persyaratan",
        "Requirements",
        "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        "How well did the service's requirements suit the service?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not suitable", "Less suitable", "Suitable", "Very suitable"),
    ),
    SkmElement(
        2,
        "Sistem, mekanisme, dan prosedur",
        "Procedure",
        "Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?",
        "How easy was the service's procedure?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ("Not easy", "Less easy", "Easy", "Very easy"),
    ),
    SkmElement(
        3,
        "Waktu penyelesaian",
        "Completion time",
        "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
        "How fast was the service?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ("Not fast", "Less fast", "Fast", "Very fast"),
    ),
    SkmElement(
        4,
        "Biaya/tarif",
        "Fee",
        "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
        "How fair was the fee for the service?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ("Very expensive", "Rather expensive", "Cheap", "Free"),
    ),
    SkmElement(
        5,
        "Produk spesifikasi jenis pelayanan",
        "Product matches the standard",
        "Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        "How well did what you received match what the service standard promises?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not matching", "Partly matching", "Matching", "Fully matching"),
    ),
    SkmElement(
        6,
        "Kompetensi pelaksana",
        "Staff competence",
        "Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "How competent were the staff who served you?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ("Not competent", "Less competent", "Competent", "Very competent"),
    ),
    SkmElement(
        7,
        "Perilaku pelaksana",
        "Staff behaviour",
        "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan "
        "dan keramahan?",
        "How polite and friendly were the staff?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
        (
            "Not polite or friendly",
            "Less polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ),
    ),
    SkmElement(
        8,
        "Penanganan pengaduan, saran dan masukan",
        "Complaint handling",
        "Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?",
        "How are complaints from service users handled?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
        ("There is none", "Exists but does not work", "Works, not fully", "Handled well"),
    ),
    SkmElement(
        9,
        "Sarana dan prasarana",
        "Facilities",
        "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?",
        "How good are the facilities?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ("Poor", "Fair", "Good", "Very good"),
    ),
)


class Grade(StrEnum):
    """Mutu pelayanan: A (best) to D."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    def words(self, lang: str) -> str:
        """Kinerja unit pelayanan: "Sangat Baik" / "Very good" and so on."""
        return Name(*_GRADE_WORDS[self]).pick(lang)


_GRADE_WORDS = {
    Grade.A: ("Sangat Baik", "Very good"),
    Grade.B: ("Baik", "Good"),
    Grade.C: ("Kurang Baik", "Poor"),
    Grade.D: ("Tidak Baik", "Bad"),
}

Bands = tuple[tuple[Decimal, Grade], ...]

# Lower bounds of the bands, best first: the converted column (25–100) …
SCORE_BANDS: Bands = (
    (Decimal("88.31"), Grade.A),
    (Decimal("76.61"), Grade.B),
    (Decimal("65.00"), Grade.C),
    (Decimal("25.00"), Grade.D),
)
# … and the interval column (1–4) the regulation gives for the same bands.
INTERVAL_BANDS: Bands = (
    (Decimal("3.5324"), Grade.A),
    (Decimal("3.0644"), Grade.B),
    (Decimal("2.60"), Grade.C),
    (Decimal("1.00"), Grade.D),
)

Exact = Fraction | Decimal | int


def _band(value: Exact, bands: Bands, top: int) -> Grade:
    exact = Fraction(value)
    if not Fraction(bands[-1][0]) <= exact <= top:
        raise ValueError(f"{value} is outside the SKM scale {bands[-1][0]}–{top}")
    return next(grade for lower, grade in bands if exact >= Fraction(lower))


def grade_of(score: Exact) -> Grade:
    """The grade of a converted score (25–100), compared exactly with each band's lower bound.

    Raises:
        ValueError: the score is outside 25–100.
    """
    return _band(score, SCORE_BANDS, 100)


def interval_grade(value: Exact) -> Grade:
    """The grade of a value on the 1–4 scale (an element's NRR, or the IKM).

    Raises:
        ValueError: the value is outside 1–4.
    """
    return _band(value, INTERVAL_BANDS, 4)


def shown(value: Exact, places: int, bands: Bands | None = None) -> Decimal:
    """`value` rounded half up to `places` decimals, exactly (no binary floating point).

    With `bands`, the result stays inside the band of the exact value: a value below a band's
    lower bound never rounds up to it (88.305 → 88.30 on the converted scale, graded B).
    """
    exact = Fraction(value)
    step = Fraction(1, 10**places)
    rounded = math.floor(exact / step + Fraction(1, 2)) * step
    if bands is not None:
        above = [Fraction(lower) for lower, _ in bands if Fraction(lower) > exact]
        if above and rounded >= min(above):
            rounded = min(above) - step
    scaled = rounded * 10**places  # a whole number now
    return Decimal(scaled.numerator).scaleb(-places)


@dataclass(frozen=True, slots=True)
class ElementScore:
    """One element's result.

    Attributes:
        element: which element.
        total: the sum of its answers.
        nrr: NRR = total / respondents (1–4, 4 decimals).
        weighted: NRR × 1/9 (4 decimals).
        score: NRR × 25 (25–100, 2 decimals).
        grade: the NRR's band on the regulation's interval column (from the exact NRR).
    """

    element: SkmElement
    total: int
    nrr: Decimal
    weighted: Decimal
    score: Decimal
    grade: Grade

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "element": self.element.code,
            "name": self.element.name,
            "name_en": self.element.name_en,
            "total": self.total,
            "nrr": float(self.nrr),
            "weighted_nrr": float(self.weighted),
            "score": float(self.score),
            "grade": self.grade.value,
        }


@dataclass(frozen=True, slots=True)
class SkmResult:
    """The index of a set of responses.

    Attributes:
        respondents: how many visitors answered.
        elements: U1…U9, in order.
        ikm: Σ NRR × 1/9 (1–4, 4 decimals).
        score: IKM × 25, the nilai IKM unit pelayanan (25–100, 2 decimals).
        grade: the score's band (from the exact score).
    """

    respondents: int
    elements: tuple[ElementScore, ...]
    ikm: Decimal
    score: Decimal
    grade: Grade

    def grade_words(self, lang: str) -> str:
        """The grade in words ("Baik")."""
        return self.grade.words(lang)

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        """A JSON-ready dict (figures as numbers, at the precision they are shown)."""
        return {
            "respondents": self.respondents,
            "weight": "1/9",
            "elements": [e.to_json() for e in self.elements],
            "ikm": float(self.ikm),
            "score": float(self.score),
            "grade": self.grade.value,
            "grade_words": self.grade.words(lang),
        }


def check_answers(answers: Sequence[object]) -> tuple[int, ...]:
    """One visitor's answers, checked: exactly nine, each 1, 2, 3 or 4.

    Raises:
        InvalidInput: the wrong number of answers, or an answer out of range (naming its
            element).
    """
    if isinstance(answers, str | bytes) or len(answers) != ELEMENT_COUNT:
        count = len(answers) if not isinstance(answers, str | bytes) else 1
        raise InvalidInput("skm.err.answer_count", count=count, expected=ELEMENT_COUNT)
    checked: list[int] = []
    for element, value in zip(ELEMENTS, answers, strict=True):
        if isinstance(value, bool) or not isinstance(value, int) or value not in ANSWERS:
            raise InvalidInput(
                "skm.err.answer_invalid", element=element.titled(), value=str(value)[:12]
            )
        checked.append(value)
    return tuple(checked)


def compute_ikm(responses: Iterable[Sequence[int]]) -> SkmResult:
    """The index of `responses` (each nine answers, U1…U9).

    Raises:
        InvalidInput: a response is malformed (see `check_answers`).
        ValueError: there are no responses (nothing to grade).
    """
    totals = [0] * ELEMENT_COUNT
    respondents = 0
    for response in responses:
        for i, value in enumerate(check_answers(response)):
            totals[i] += value
        respondents += 1
    return ikm_from_totals(respondents, totals)


def ikm_from_totals(respondents: int, totals: Sequence[int]) -> SkmResult:
    """The index from the per-element sums of answers (what a database sums for a report).

    Args:
        respondents: the number of responses (at least 1).
        totals: the sum of the answers of U1…U9; each between `respondents` and 4 × that.

    Raises:
        ValueError: no respondents, or totals that no set of 1–4 answers can give.
    """
    if respondents < 1:
        raise ValueError("the SKM index needs at least one response")
    if len(totals) != ELEMENT_COUNT:
        raise ValueError(f"expected {ELEMENT_COUNT} totals, got {len(totals)}")
    elements = []
    for element, total in zip(ELEMENTS, totals, strict=True):
        if not respondents <= total <= 4 * respondents:
            raise ValueError(f"{element.code}: total {total} impossible for {respondents} answers")
        nrr = Fraction(total, respondents)
        elements.append(
            ElementScore(
                element=element,
                total=total,
                nrr=shown(nrr, INTERVAL_PLACES, INTERVAL_BANDS),
                weighted=shown(nrr * WEIGHT, INTERVAL_PLACES),
                score=shown(nrr * CONVERSION, SCORE_PLACES, SCORE_BANDS),
                grade=interval_grade(nrr),
            )
        )
    ikm = sum((Fraction(total, respondents) * WEIGHT for total in totals), Fraction(0))
    score = ikm * CONVERSION
    return SkmResult(
        respondents=respondents,
        elements=tuple(elements),
        ikm=shown(ikm, INTERVAL_PLACES, INTERVAL_BANDS),
        score=shown(score, SCORE_PLACES, SCORE_BANDS),
        grade=grade_of(score),
    )
