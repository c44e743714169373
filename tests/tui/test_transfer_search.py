"""Ranking in the transfer dialog's service search."""

from __future__ import annotations

from mpp_tui.tui.dialogs.transfer import ServiceOption, match_rank


def test_transfer_search_ranks_the_code_first() -> None:
    ktp = ServiceOption("KTP", "Perekaman & Cetak KTP-el", "Disdukcapil", ("L01",))
    fktp = ServiceOption("JKN_UBAH", "Perubahan Data & Pindah FKTP", "BPJS Kesehatan", ("L09",))
    akta = ServiceOption("AKTA_LAHIR", "Akta Kelahiran & KIA", "Disdukcapil", ("L02",))
    cerai = ServiceOption("AKTA_CERAI", "Pengambilan Akta Cerai", "PA Sampit", ("L11",))
    assert match_rank(ktp, ["ktp"]) == 0
    assert match_rank(fktp, ["ktp"]) == 3
    assert match_rank(akta, ["akta", "lahir"]) == 0
    assert match_rank(cerai, ["akta", "lahir"]) is None
    assert match_rank(akta, ["kelahiran"]) == 2
    assert match_rank(ktp, ["paspor"]) is None
