"""The SKM index (PermenPANRB 14/2017), checked against values computed by hand.

Hand computation, for reference: NRR = sum of an element's answers / respondents; IKM = Σ NRR
× 1/9; score = IKM × 25 = 25 × (sum of all answers) / (9 × respondents). Grades compare the
exact score with each band's lower bound: A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, else D.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpp_tui.domain.errors import InvalidInput
from mpp_tui.domain.skm import (
    ELEMENTS,
    INTERVAL_BANDS,
    SCORE_BANDS,
    Grade,
    check_answers,
    compute_ikm,
    grade_of,
    ikm_from_totals,
    interval_grade,
    shown,
)

D = Decimal


def respondents(*groups: tuple[int, list[int]]) -> list[list[int]]:
    """`(count, answers)` pairs expanded into that many identical responses."""
    return [list(answers) for count, answers in groups for _ in range(count)]


# --- the elements ---------------------------------------------------------------------------------


def test_nine_elements_in_the_regulations_order() -> None:
    """U1…U9 as DOMAIN.md numbers them (U8 complaint handling, U9 facilities), each with a
    question and four distinct answer labels in both languages."""
    assert [e.code for e in ELEMENTS] == [f"U{n}" for n in range(1, 10)]
    assert [e.name_en for e in ELEMENTS] == [
        "Requirements",
        "Procedure",
        "Completion time",
        "Fee",
        "Product matches the standard",
        "Staff competence",
        "Staff behaviour",
        "Complaint handling",
        "Facilities",
    ]
    assert ELEMENTS[0].name == "Persyaratan"
    assert ELEMENTS[7].name == "Penanganan pengaduan, saran dan masukan"
    assert ELEMENTS[8].name == "Sarana dan prasarana"
    for e in ELEMENTS:
        assert e.question.endswith("?")
        assert e.question_en.endswith("?")
        for labels in (e.answers, e.answers_en):
            assert len(set(labels)) == 4, e.code
            assert all(label.strip() for label in labels)


def test_answer_labels_follow_the_questionnaire() -> None:
    """The regulation's sample questionnaire: 1 is the worst answer, 4 the best."""
    u1, u4 = ELEMENTS[0], ELEMENTS[3]
    assert [u1.answer(v, "id") for v in (1, 2, 3, 4)] == [
        "Tidak sesuai",
        "Kurang sesuai",
        "Sesuai",
        "Sangat sesuai",
    ]
    assert u1.answer(4, "en") == "Very suitable"
    assert u4.answer(1, "id") == "Sangat mahal"
    assert u4.answer(4, "id") == "Gratis"
    assert ELEMENTS[2].label("en") == "Completion time"
    assert ELEMENTS[2].label("id") == "Waktu penyelesaian"


# --- hand-computed results ------------------------------------------------------------------------


def test_one_respondent() -> None:
    """One visitor: NRR = the answers; IKM = 28/9 = 3.1111; score = 700/9 = 77.78 → B."""
    result = compute_ikm([[3, 3, 3, 4, 3, 3, 4, 2, 3]])
    assert result.respondents == 1
    assert [e.total for e in result.elements] == [3, 3, 3, 4, 3, 3, 4, 2, 3]
    assert [e.nrr for e in result.elements] == [D("3.0000")] * 3 + [D("4.0000")] + [
        D("3.0000")
    ] * 2 + [D("4.0000"), D("2.0000"), D("3.0000")]
    assert result.elements[0].weighted == D("0.3333")  # 3/9
    assert result.elements[3].weighted == D("0.4444")  # 4/9
    assert result.elements[7].weighted == D("0.2222")  # 2/9
    assert result.ikm == D("3.1111")
    assert result.score == D("77.78")
    assert result.grade is Grade.B
    assert result.grade_words("id") == "Baik"
    assert result.grade_words("en") == "Good"
    # Per element: NRR 3 → 75.00 (C), 4 → 100.00 (A), 2 → 50.00 (D).
    assert [e.grade.value for e in result.elements] == list("CCCACCADC")
    assert result.elements[7].score == D("50.00")


def test_four_respondents() -> None:
    """A small survey worked through by hand.

    answers            U1 U2 U3 U4 U5 U6 U7 U8 U9
      R1                4  4  3  4  4  3  4  3  3
      R2                3  4  3  4  3  3  4  2  3
      R3                4  3  4  4  4  4  4  3  4
      R4                3  3  2  4  3  3  4  2  3
    sum                14 14 12 16 14 13 16 10 13   (122)
    NRR              3.50 3.50 3.00 4.00 3.50 3.25 4.00 2.50 3.25
    NRR × 1/9       .3889 .3889 .3333 .4444 .3889 .3611 .4444 .2778 .3611
    IKM = 122/36 = 3.3889; score = 3050/36 = 84.7222… → 84.72 → B (Baik).
    """
    result = compute_ikm(
        [
            [4, 4, 3, 4, 4, 3, 4, 3, 3],
            [3, 4, 3, 4, 3, 3, 4, 2, 3],
            [4, 3, 4, 4, 4, 4, 4, 3, 4],
            [3, 3, 2, 4, 3, 3, 4, 2, 3],
        ]
    )
    assert result.respondents == 4
    assert [e.total for e in result.elements] == [14, 14, 12, 16, 14, 13, 16, 10, 13]
    assert [str(e.nrr) for e in result.elements] == [
        "3.5000", "3.5000", "3.0000", "4.0000", "3.5000", "3.2500", "4.0000", "2.5000", "3.2500",
    ]  # fmt: skip
    assert [str(e.weighted) for e in result.elements] == [
        "0.3889", "0.3889", "0.3333", "0.4444", "0.3889", "0.3611", "0.4444", "0.2778", "0.3611",
    ]  # fmt: skip
    assert [str(e.score) for e in result.elements] == [
        "87.50", "87.50", "75.00", "100.00", "87.50", "81.25", "100.00", "62.50", "81.25",
    ]  # fmt: skip
    assert [e.grade.value for e in result.elements] == list("BBCABBADB")
    assert result.ikm == D("3.3889")
    assert result.score == D("84.72")
    assert result.grade is Grade.B


def test_all_fours_is_100_and_a() -> None:
    """The weight is exactly 1/9: with the example's rounded 0.11 a perfect survey would
    score 9 × 4 × 0.11 × 25 = 99."""
    result = compute_ikm([[4] * 9] * 7)
    assert (result.ikm, result.score, result.grade) == (D("4.0000"), D("100.00"), Grade.A)
    assert result.grade_words("id") == "Sangat Baik"
    assert all(e.grade is Grade.A and e.score == D("100.00") for e in result.elements)


def test_all_ones_is_25_and_d() -> None:
    result = compute_ikm([[1] * 9] * 3)
    assert (result.ikm, result.score, result.grade) == (D("1.0000"), D("25.00"), Grade.D)
    assert result.grade_words("id") == "Tidak Baik"
    assert result.grade_words("en") == "Bad"


def test_all_threes_is_75_and_c() -> None:
    """Answering "good" (3) to everything is 75.00: Kurang Baik under the regulation's table."""
    result = compute_ikm([[3] * 9])
    assert (result.score, result.grade) == (D("75.00"), Grade.C)


# --- the boundaries, reached by real answers ------------------------------------------------------


def test_88_30_is_b_and_88_31_is_a() -> None:
    """250 respondents: 133 answer 4 and 117 answer 3 everywhere → every element sums to 883,
    all answers to 7947: score 25 × 7947 / 2250 = 88.30 exactly → B (each element's NRR is
    3.532, also B). One answer raised from 3 to 4 makes it 88.3111… → shown 88.31 → A."""
    at_b = respondents((133, [4] * 9), (117, [3] * 9))
    result = compute_ikm(at_b)
    assert [e.total for e in result.elements] == [883] * 9
    assert result.ikm == D("3.5320")
    assert result.score == D("88.30")
    assert result.grade is Grade.B
    assert {e.grade for e in result.elements} == {Grade.B}
    at_a = [list(r) for r in at_b]
    at_a[-1][0] = 4
    result = compute_ikm(at_a)
    assert result.score == D("88.31")
    assert result.grade is Grade.A
    assert result.elements[0].nrr == D("3.5360")
    assert result.elements[0].grade is Grade.A


def test_76_60_is_c_and_76_61_is_b() -> None:
    """125 respondents, 8 fours and 117 threes everywhere: 25 × 3447 / 1125 = 76.60 → C;
    one more four: 76.6222… → 76.62 → B."""
    at_c = respondents((8, [4] * 9), (117, [3] * 9))
    result = compute_ikm(at_c)
    assert (result.score, result.grade) == (D("76.60"), Grade.C)
    at_c[-1][4] = 4
    result = compute_ikm(at_c)
    assert (result.score, result.grade) == (D("76.62"), Grade.B)


def test_65_00_is_c_and_below_is_d() -> None:
    """Five respondents answering 3,3,3,2,2 everywhere: 25 × 117 / 45 = 65.00 → C; one
    answer lower: 64.44 → D."""
    at_c = respondents((3, [3] * 9), (2, [2] * 9))
    result = compute_ikm(at_c)
    assert (result.score, result.grade) == (D("65.00"), Grade.C)
    at_c[0][8] = 2
    result = compute_ikm(at_c)
    assert (result.score, result.grade) == (D("64.44"), Grade.D)


def test_a_score_between_bands_keeps_full_precision() -> None:
    """88.305 (5000 respondents, 158949 in all) lies between B's 88.30 and A's 88.31: it has
    not reached A's lower bound, so it is B, and it is shown as 88.30, never as 88.31 beside B."""
    result = ikm_from_totals(5000, [17661] * 9)
    assert Fraction(25 * 158949, 9 * 5000) == Fraction("88.305")
    assert result.grade is Grade.B
    assert result.score == D("88.30")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", Grade.A),
        ("88.31", Grade.A),
        ("88.30", Grade.B),
        ("88.3099", Grade.B),
        ("76.61", Grade.B),
        ("76.60", Grade.C),
        ("65.00", Grade.C),
        ("64.99", Grade.D),
        ("25", Grade.D),
    ],
)
def test_grade_of_a_score(score: str, grade: Grade) -> None:
    assert grade_of(D(score)) is grade


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("4", Grade.A),
        ("3.5324", Grade.A),
        ("3.5323", Grade.B),
        ("3.532", Grade.B),
        ("3.0644", Grade.B),
        ("3.064", Grade.C),
        ("2.60", Grade.C),
        ("2.5996", Grade.D),
        ("1", Grade.D),
    ],
)
def test_interval_grade_uses_the_2017_table(value: str, grade: Grade) -> None:
    """The interval column of PermenPANRB 14/2017 (not the 1.75/2.50/3.25 of KEP/25/2004:
    3.30 would be A there, and is B here)."""
    assert interval_grade(D(value)) is grade


def test_the_2004_intervals_are_not_used() -> None:
    """Under KEP/25/M.PAN/2/2004 an NRR of 3.30 was A (3.26–4.00); under 14/2017 it is B."""
    assert interval_grade(D("3.30")) is Grade.B
    assert interval_grade(D("1.80")) is Grade.D


def test_interval_and_converted_bands_agree() -> None:
    """The regulation's interval bounds are its converted bounds divided by 25."""
    assert [(lower * 25, g) for lower, g in INTERVAL_BANDS] == [
        (lower.quantize(D("0.0001")), g) for lower, g in SCORE_BANDS
    ]


@pytest.mark.parametrize("score", ["24.99", "100.01", "0"])
def test_scores_off_the_scale_are_refused(score: str) -> None:
    with pytest.raises(ValueError, match="outside"):
        grade_of(D(score))


def test_shown_rounds_half_up_but_never_into_a_band_not_reached() -> None:
    assert shown(Fraction(700, 9), 2, SCORE_BANDS) == D("77.78")
    assert shown(Fraction(700, 9), 2) == D("77.78")
    assert shown(Fraction("88.305"), 2) == D("88.31")
    assert shown(Fraction("88.305"), 2, SCORE_BANDS) == D("88.30")
    assert shown(Fraction("76.6099"), 2, SCORE_BANDS) == D("76.60")
    assert shown(Fraction("64.995"), 2, SCORE_BANDS) == D("64.99")
    assert shown(Fraction("2.59999"), 4, INTERVAL_BANDS) == D("2.5999")
    assert shown(Fraction(4), 4, INTERVAL_BANDS) == D("4.0000")


@given(
    st.lists(
        st.lists(st.integers(min_value=1, max_value=4), min_size=9, max_size=9),
        min_size=1,
        max_size=40,
    )
)
def test_shown_figures_sit_in_their_grades_band(answers: list[list[int]]) -> None:
    """Whatever the answers, the shown score reads as the grade it is given, and the score is
    25 × the exact mean answer."""
    result = compute_ikm(answers)
    total = sum(map(sum, answers))
    exact = Fraction(25 * total, 9 * len(answers))
    assert result.grade is grade_of(exact)
    assert grade_of(result.score) is result.grade
    assert abs(Fraction(result.score) - exact) < Fraction(1, 100)
    assert interval_grade(result.ikm) is result.grade
    for e in result.elements:
        assert interval_grade(e.nrr) is e.grade
        assert grade_of(e.score) is e.grade


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 8, 10])
def test_exactly_nine_answers(count: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_answers([3] * count)
    assert "9" in caught.value.message("id")
    assert str(count) in caught.value.message("en")


@pytest.mark.parametrize("bad", [0, 5, -1, True, "3", None, 3.0])
def test_an_answer_out_of_range_names_its_element(bad: object) -> None:
    answers: list[object] = [4, 4, bad, 4, 4, 4, 4, 4, 4]
    with pytest.raises(InvalidInput) as caught:
        check_answers(answers)
    assert "U3 Waktu penyelesaian" in caught.value.message("id")
    assert "U3 Completion time" in caught.value.message("en")


def test_check_answers_gives_the_answers_back() -> None:
    assert check_answers([1, 2, 3, 4, 4, 3, 2, 1, 2]) == (1, 2, 3, 4, 4, 3, 2, 1, 2)


def test_no_responses_have_no_index() -> None:
    with pytest.raises(ValueError, match="at least one"):
        compute_ikm([])


@pytest.mark.parametrize(
    ("respondents", "totals"),
    [(0, [0] * 9), (2, [8] * 8), (2, [9] * 9), (2, [1] * 9)],
)
def test_impossible_totals_are_refused(respondents: int, totals: list[int]) -> None:
    with pytest.raises(ValueError, match=r"expected|impossible|at least"):
        ikm_from_totals(respondents, totals)


def test_json() -> None:
    data = compute_ikm([[3, 3, 3, 4, 3, 3, 4, 2, 3]]).to_json("en")
    assert data["respondents"] == 1
    assert data["ikm"] == 3.1111
    assert data["score"] == 77.78
    assert (data["grade"], data["grade_words"], data["weight"]) == ("B", "Good", "1/9")
    assert data["elements"][2] == {
        "element": "U3",
        "name": "Waktu penyelesaian",
        "name_en": "Completion time",
        "total": 3,
        "nrr": 3.0,
        "weighted_nrr": 0.3333,
        "score": 75.0,
        "grade": "C",
    }
