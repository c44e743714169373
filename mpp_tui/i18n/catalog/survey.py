"""The satisfaction survey (SKM): its screen and mpp survey."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- SKM results (mpp survey) -------------------------------------------------------------
    "skm.err.answer_count": (
        "Survei SKM memerlukan tepat {expected} jawaban (U1–U9); diterima {count}.",
        "The SKM survey needs exactly {expected} answers (U1–U9); got {count}.",
    ),
    "skm.err.answer_invalid": (
        "Jawaban untuk {element} harus 1, 2, 3 atau 4 (diterima: {value}).",
        "The answer for {element} must be 1, 2, 3 or 4 (got: {value}).",
    ),
    "skm.err.not_done": (
        "Tiket {ticket} berstatus '{status}'; survei hanya untuk layanan yang sudah selesai.",
        "Ticket {ticket} is '{status}'; the survey is only for a finished service.",
    ),
    "skm.err.already_answered": (
        "Survei untuk tiket {ticket} sudah diisi; satu tiket satu survei. Terima kasih.",
        "The survey for ticket {ticket} has already been answered; one per ticket. Thank you.",
    ),
    "skm.err.too_late": (
        "Survei untuk tiket {ticket} hanya dapat diisi pada hari yang sama, sampai {minutes} "
        "menit setelah layanan selesai.",
        "The survey for ticket {ticket} can only be answered the same day, up to {minutes} "
        "minutes after the service finished.",
    ),
    "skm.err.limit": (
        "Jumlah tiket yang diminta harus antara 1 dan {max}.",
        "The number of tickets asked for must be between 1 and {max}.",
    ),
    "skm.err.range": (
        "Tanggal awal {start} jatuh setelah tanggal akhir {end}.",
        "The start date {start} is after the end date {end}.",
    ),
    "skm.err.no_responses": (
        "Tidak ada jawaban survei SKM dari {start} sampai {end} untuk pilihan ini.",
        "No SKM survey answers from {start} to {end} for this selection.",
    ),
    "skm.field.format": ("Format", "format"),
    "skm.unit": ("IKM unit pelayanan", "Service unit index"),
    "skm.cli.title": (
        "Survei Kepuasan Masyarakat (PermenPANRB 14/2017) · {start} s.d. {end}",
        "Public satisfaction survey (PermenPANRB 14/2017) · {start} to {end}",
    ),
    "skm.col.element": ("Unsur", "Element"),
    "skm.col.name": ("Nama", "Name"),
    "skm.col.total": ("Jumlah", "Sum"),
    "skm.col.nrr": ("NRR", "NRR"),
    "skm.col.weighted": ("NRR×1/9", "NRR×1/9"),
    "skm.col.score": ("NRR×25", "NRR×25"),
    "skm.col.grade": ("Mutu", "Grade"),
    "skm.col.respondents": ("Responden", "Respondents"),
    "skm.cli.respondents": ("Jumlah responden: {n}", "Respondents: {n}"),
    "skm.cli.ikm": (
        "IKM (jumlah NRR × 1/9, skala 1–4): {ikm}",
        "IKM (sum of NRR × 1/9, scale 1–4): {ikm}",
    ),
    "skm.cli.score": (
        "Nilai IKM unit pelayanan (IKM × 25): {score}",
        "Service unit score (IKM × 25): {score}",
    ),
    "skm.cli.grade": (
        "Mutu pelayanan: {grade} — kinerja {words}",
        "Service quality: {grade} — performance {words}",
    ),
    # --- survey screen ------------------------------------------------------------------------
    "survey.title": ("Survei Kepuasan Masyarakat", "Public Satisfaction Survey"),
    "survey.key.abandon": ("Batal", "Cancel"),
    "survey.code_placeholder": ("contoh: A-001", "e.g. A-001"),
    "survey.step.code": (
        "Bagaimana pelayanan kami hari ini?",
        "How was our service today?",
    ),
    "survey.intro.code": (
        "Ketik nomor antrean Anda lalu tekan Enter. Sembilan pertanyaan singkat, dijawab "
        "dengan tombol 1–4. Jawaban Anda tidak ditampilkan kepada siapa pun.",
        "Type your queue number and press Enter. Nine short questions, answered with the keys "
        "1–4. Your answers are shown to no one.",
    ),
    "survey.hint.code": (
        "Ketik nomor antrean lalu Enter · Esc kosongkan",
        "Type your queue number, then Enter · Esc clears",
    ),
    "survey.step.pick": (
        "Bagaimana pelayanan kami di loket {counter}?",
        "How was our service at counter {counter}?",
    ),
    "survey.intro.pick": (
        "Tekan angka di depan nomor antrean Anda. Sembilan pertanyaan singkat, dijawab dengan "
        "tombol 1–4.",
        "Press the number in front of your queue number. Nine short questions, answered with "
        "the keys 1–4.",
    ),
    "survey.hint.pick": (
        "Tekan angka di depan nomor Anda (atau ↑↓ lalu Enter)",
        "Press the number in front of yours (or ↑↓, then Enter)",
    ),
    "survey.none_recent": (
        "Belum ada layanan yang baru selesai di loket {counter}. Nomor Anda muncul di sini "
        "setelah petugas menyelesaikan layanan Anda.",
        "No service has just finished at counter {counter}. Your number appears here once the "
        "officer has finished serving you.",
    ),
    "survey.hint.wait": ("Menunggu layanan selesai…", "Waiting for a service to finish…"),
    "survey.finished_at": ("selesai {time}", "finished {time}"),
    "survey.checking": ("Memeriksa nomor antrean…", "Checking the queue number…"),
    "survey.ticket": ("Tiket {ticket} · {service}", "Ticket {ticket} · {service}"),
    "survey.step.question": ("Pertanyaan {n} dari {total}", "Question {n} of {total}"),
    "survey.hint.first_question": (
        "Tekan 1–4 · tombol − kembali ke awal · Esc batal (tidak disimpan)",
        "Press 1–4 · − goes back to the start · Esc cancels (nothing saved)",
    ),
    "survey.hint.question": (
        "Tekan 1–4 · tombol − pertanyaan sebelumnya · Esc batal (tidak disimpan)",
        "Press 1–4 · − previous question · Esc cancels (nothing saved)",
    ),
    "survey.saving": ("Menyimpan jawaban…", "Saving your answers…"),
    "survey.thanks": ("TERIMA KASIH", "THANK YOU"),
    "survey.thanks.detail": (
        "Penilaian Anda untuk tiket {ticket} sudah tersimpan dan membantu kami memperbaiki "
        "pelayanan.",
        "Your rating for ticket {ticket} is saved and helps us improve our service.",
    ),
    "survey.hint.reset": (
        "Tekan tombol apa saja untuk selesai · kembali ke awal dalam {s:#} detik",
        "Press any key to finish · back to the start in {s:# second|# seconds}",
    ),
    "survey.sorry": ("Mohon maaf", "We are sorry"),
    "survey.try_again": (
        "Jawaban belum dapat disimpan. Silakan coba lagi atau minta bantuan petugas.",
        "Your answers could not be saved. Please try again or ask a staff member.",
    ),
    "survey.abandoned": (
        "Survei dibatalkan; tidak ada jawaban yang disimpan.",
        "Survey cancelled; no answers were saved.",
    ),
}
